/**
 * The names of every finding and diagnostic code, per domain, in registry
 * order: the one list the zod schemas (`Finding.code`, a run report's
 * findings and deviations) and the code registries in `core/` are typed
 * from. A leaf: it imports nothing, so `schemas/` can use it without
 * reaching into `core/`.
 *
 * Each registry in `core/` (`VALIDATION_CODES`, `DRIFT_CODES`, `GATE_CODES`,
 * `MISSION_CODES`, `DOCTOR_CODES`) is declared `satisfies CodeRegistryOf<Code>`, so a code in
 * a registry that is missing here, or listed here without an entry there,
 * fails type checking; `tests/codes_test.ts` checks the order. A code is
 * added here and in its registry; never rename, reuse or remove one (sealed
 * run reports carry the codes of their day and must keep parsing: a retired
 * code stays listed, and its registry doc says it is no longer emitted).
 *
 * @module
 */

/** Finding codes of `keel validate` and `keel approve`. */
export const VALIDATION_CODE_NAMES = [
  "PATH_EMPTY",
  "PATH_ABSOLUTE",
  "PATH_ESCAPES_REPO",
  "PATH_CONTROL_CHARACTER",
  "PATH_NOT_NORMALIZED",
  "GLOB_INVALID",
  "SCOPE_EMPTY",
  "SCOPE_ALLOWED_AND_FORBIDDEN",
  "TEST_DUPLICATE_ID",
  "TEST_NO_COMMAND",
  "PLAN_DUPLICATE_UNIT_ID",
  "PLAN_UNKNOWN_DEPENDENCY",
  "PLAN_DEPENDENCY_CYCLE",
  "PLAN_UNIT_OUTSIDE_SCOPE",
  "PLAN_UNIT_FORBIDDEN_FILES",
  "PLAN_UNKNOWN_TEST",
  "PLAN_UNIT_NO_FILES",
  "PLACEHOLDER_TEXT",
  "LESSON_RELEVANT",
] as const;

/** A validation finding code. */
export type ValidationCode = (typeof VALIDATION_CODE_NAMES)[number];

/** Drift finding codes: the only codes a run report's findings carry. */
export const DRIFT_CODE_NAMES = [
  "BASE_NOT_ANCESTOR",
  "CONTRACT_CHANGED_DURING_RUN",
  "SCOPE_FILE_FORBIDDEN",
  "SCOPE_FILE_OUTSIDE_ALLOWED",
  "PLAN_COMMIT_UNPLANNED",
  "PLAN_UNIT_MISSING",
  "PLAN_UNIT_OUT_OF_ORDER",
  "PLAN_COMMIT_OUTSIDE_UNIT",
  "PLAN_TRAILER_UNKNOWN_UNIT",
  "TEST_REQUIRED_NOT_RUN",
  "TEST_REQUIRED_FAILED",
  "TEST_COMMAND_MISMATCH",
  "TEST_EVIDENCE_SELF_REPORTED",
  "TEST_UNPLANNED",
  "WORKTREE_UNCOMMITTED",
  "GUARD_HOOK_BYPASSED",
] as const;

/** A drift finding code. */
export type DriftCode = (typeof DRIFT_CODE_NAMES)[number];

/**
 * The error codes of an artifact that cannot be read: `keel validate` and
 * `keel approve` report them as findings of the artifact (they are
 * documented in the error table, `ERROR_CODES`).
 */
export const ARTIFACT_READ_CODE_NAMES = [
  "ARTIFACT_NOT_FOUND",
  "ARTIFACT_INVALID_JSON",
  "ARTIFACT_DUPLICATE_KEY",
  "ARTIFACT_SCHEMA_INVALID",
] as const;

/** The error code of an unreadable artifact. */
export type ArtifactReadCode = (typeof ARTIFACT_READ_CODE_NAMES)[number];

/** Every code a finding (`Finding.code`) may carry. */
export const FINDING_CODE_NAMES = [
  ...VALIDATION_CODE_NAMES,
  ...DRIFT_CODE_NAMES,
  ...ARTIFACT_READ_CODE_NAMES,
] as const;

/** A finding code. */
export type FindingCode = (typeof FINDING_CODE_NAMES)[number];

/** Diagnostic codes of the mission review and merge gates. */
export const GATE_CODE_NAMES = [
  "REJECTED_REVIEW_ARTIFACT_CONFLICT",
  "REVIEW_ARTIFACT_SCHEMA_INVALID",
  "LANE_BRANCH_MISSING",
  "TARGET_BRANCH_NOT_CHECKED_OUT",
  "WP_NOT_DONE",
  "LIGHTWEIGHT_REVIEW_MISSING_BASELINE",
  "LEGACY_MISSION_DEAD_CODE_SKIP",
  "MISSION_REVIEW_DEAD_CODE_UNDETERMINABLE",
  "DEAD_CODE_UNREFERENCED_SYMBOL",
  "LANES_TARGET_DISAGREES",
  "ABANDONED_MERGE_RECOVERED",
  "WP_NOT_IN_EVENT_LOG",
] as const;

/** A gate diagnostic code. */
export type GateCode = (typeof GATE_CODE_NAMES)[number];

/** Warnings of the spec-kitty claim (`next`, `implement`, `mission status`, `mission list`). */
export const MISSION_CODE_NAMES = [
  "BASE_COMMIT_MISSING",
  "DEPENDENCY_LANE_BRANCH_MISSING",
  "COORDINATION_TOPOLOGY",
] as const;

/** A spec-kitty claim warning code. */
export type MissionCode = (typeof MISSION_CODE_NAMES)[number];

/** Problem codes of `keel doctor`. */
export const DOCTOR_CODE_NAMES = [
  "JSONL_TORN_TAIL",
  "JSONL_BAD_LINE",
  "LESSONS_CORRUPT",
  "EVENT_LOG_CORRUPT",
  "STATUS_JSON_DISAGREES",
  "STATUS_JSON_BEHIND",
  "ARTIFACT_UNREADABLE",
  "APPROVAL_STALE",
  "RUN_REPORT_UNREADABLE",
  "ACTIVE_RUN_DANGLING",
  "RUN_STARTER_EXITED",
  "LOCK_LEFT_BY_DEAD_PROCESS",
  "LOCK_HELD",
  "CONFIG_INVALID",
  "PATH_REFUSED",
  "ATOMIC_WRITE_LEFTOVER",
] as const;

/** A doctor problem code. */
export type DoctorCode = (typeof DOCTOR_CODE_NAMES)[number];
