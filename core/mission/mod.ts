/**
 * spec-kitty missions (`kitty-specs/<mission>/`): the read-only reader, the
 * event-log reducer, the claim selection shared by `next` and `implement`,
 * and the mission operations.
 *
 * @module
 */

export { findKittySpecs } from "./find_kitty_specs.ts";
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
  type ExecutionLane,
  executionModeFor,
  laneOfWp,
  type LanesManifestView,
  type LanesStatus,
  parseLanesJson,
  workspacePathFor,
} from "./lanes.ts";
