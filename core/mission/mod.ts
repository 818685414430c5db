/**
 * spec-kitty missions (`kitty-specs/<mission>/`): the read-only reader, the
 * event-log reducer, the claim selection shared by `next` and `implement`,
 * and the mission operations.
 *
 * @module
 */

export { MISSION_CODES, type MissionCode } from "./codes.ts";
export { findKittySpecs } from "./find_kitty_specs.ts";
export {
  IMPLEMENT_RULES,
  MISSION_LIST_RULES,
  MISSION_STATUS_RULES,
  NEXT_RULES,
} from "./param_rules.ts";
export {
  listMissionFolders,
  type MissionFolder,
  type MissionRef,
  resolveMission,
} from "./resolve_mission.ts";
export { loadMission, type Mission, readMissionSnapshot } from "./load_mission.ts";
export {
  DISPLAY_LANES,
  EVENT_LANES,
  isCompleteReviewOverride,
  type RecordedVerdict,
  reduceEvents,
  type ReduceEventsOptions,
  type StatusSnapshot,
  type WpState,
} from "./reduce_events.ts";
export {
  normalizeDependencies,
  parseWpFile,
  splitFrontmatter,
  workPackageIdOf,
  type WpFile,
} from "./wp_files.ts";
export {
  APPROVED_OR_DONE_LANES,
  type ExecutionLane,
  executionModeFor,
  laneBranchFor,
  laneOfWp,
  type LanesManifestView,
  type LanesStatus,
  parseLanesJson,
  PLANNING_LANE_ID,
  workspacePathFor,
} from "./lanes.ts";
export {
  commitClaimEventLog,
  coordinationBranchOf,
  type EventLogCommit,
  LANE_ID,
  planWorkspace,
  type PreparedWorkspace,
  prepareWorkspace,
  safeBranchName,
  type WorkspaceMerge,
  type WorkspaceWarning,
} from "./prepare_workspace.ts";
export {
  baseCommitWarning,
  type CandidateExplain,
  type ClaimSelection,
  type DependencyView,
  missionSelection,
  selectClaimableWp,
  type SelectionInput,
  type SelectionReason,
  type SelectionWarning,
  type SelectOptions,
} from "./select_claimable_wp.ts";
export {
  boardEntries,
  type BoardEntry,
  type BoardState,
  computeProgress,
  finalizedBoardState,
  LANE_WEIGHTS,
  type Progress,
  pythonRound1,
} from "./board_state.ts";
export { eventLine, eventTimestamp } from "./event_line.ts";
export {
  appendEvents,
  type EventLogTarget,
  type LockedEventLog,
  missionLockFile,
  type NextEventStamp,
  type PendingAppend,
  planAppend,
  readLockedEventLog,
  undoAppend,
  withMissionLock,
  writeAppend,
} from "./append_events.ts";
export { commitPortFor, type MissionPorts } from "./git_commit_port.ts";
export { openMission } from "./open_mission.ts";
export { type LoadMissionOptions } from "./load_mission.ts";
export { type ParseWpFileOptions } from "./wp_files.ts";
export {
  buildNextPayload,
  missionNumberString,
  nextOp,
  type NextParamsInput,
  type NextPayload,
} from "./next_op.ts";
export {
  actorsCompatible,
  implementOp,
  type ImplementParamsInput,
  type ImplementResult,
  normalizeWpArg,
} from "./implement_op.ts";
export {
  buildMissionStatus,
  missionStatusOp,
  type MissionStatusParamsInput,
  type MissionStatusResult,
  type WpStatusView,
} from "./mission_status_op.ts";
export {
  type MissionListEntry,
  missionListOp,
  type MissionListParamsInput,
  type MissionListResult,
} from "./mission_list_op.ts";
