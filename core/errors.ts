/**
 * The error model: every failure that keel reports carries a stable string
 * code. Codes are listed once, here, with the exit code the CLI uses and a
 * one-line description of what `data` holds. Never rename or reuse a code.
 *
 * @module
 */

/** Exit codes, as documented in the README. */
export const EXIT = {
  OK: 0,
  GATE: 1,
  USAGE: 2,
  INPUT: 3,
  CONFLICT: 4,
  INTERNAL: 70,
} as const;

/** One of keel's exit codes. */
export type ExitCode = typeof EXIT[keyof typeof EXIT];

/** Description of one error code. */
export interface ErrorCodeInfo {
  /** Exit code of the CLI when this error ends a command. */
  readonly exit: ExitCode;
  /** What the error means and what its `data` holds. */
  readonly doc: string;
}

/**
 * Every error code keel raises. The README's error table is generated from
 * (and tested against) this object.
 */
export const ERROR_CODES = {
  USAGE: {
    exit: EXIT.USAGE,
    doc: "The command line could not be parsed, or a param's value is invalid (empty, blank, " +
      "wrong type, out of range, unknown): the operation's own check, so the same input is " +
      "USAGE on the CLI, over RPC (error -32602) and as an MCP tool error. " +
      "data: {issues?: [{path, message}], suggestions?}.",
  },
  INTERNAL: {
    exit: EXIT.INTERNAL,
    doc: "A bug in keel. data: {name}; the stack is printed only with --debug.",
  },
  REPO_NOT_FOUND: {
    exit: EXIT.INPUT,
    doc:
      "Not inside a git repository where one is needed, the directory (--repo) is missing, or it is a bare repository. data: {path, reason?}.",
  },
  PATH_OUTSIDE_REPO: {
    exit: EXIT.INPUT,
    doc: "A path or glob escapes the repository. data: {path}.",
  },
  PATH_SYMLINK_REFUSED: {
    exit: EXIT.INPUT,
    doc:
      "A file keel reads or writes (or a folder on its way under .keel/ or kitty-specs/) is a symlink; keel never follows it. data: {path, target}.",
  },
  PATH_NOT_REGULAR_FILE: {
    exit: EXIT.INPUT,
    doc:
      "A directory, FIFO, socket, device or hard-linked file where keel expects a regular file (or a non-folder where it expects a folder). data: {path, kind, expected}.",
  },
  FILE_TOO_LARGE: {
    exit: EXIT.INPUT,
    doc: "A file is larger than keel reads. data: {path, size, limit}.",
  },
  DISK_FULL: {
    exit: EXIT.INPUT,
    doc: "A write failed: no space left on the device (ENOSPC, EDQUOT). data: {path, errno}.",
  },
  READ_ONLY_FILESYSTEM: {
    exit: EXIT.INPUT,
    doc: "A write failed: the file system is read-only (EROFS). data: {path, errno}.",
  },
  PERMISSION_DENIED: {
    exit: EXIT.INPUT,
    doc:
      "A file operation was refused by the operating system (EACCES, EPERM). data: {path, errno}.",
  },
  ARTIFACT_NOT_FOUND: {
    exit: EXIT.INPUT,
    doc: "A required artifact file is missing. data: {path}.",
  },
  ARTIFACT_INVALID_JSON: {
    exit: EXIT.INPUT,
    doc: "An artifact is not valid JSON. data: {path, line, column}.",
  },
  ARTIFACT_DUPLICATE_KEY: {
    exit: EXIT.INPUT,
    doc: "A JSON artifact repeats a key in one object. data: {path, key, line, column}.",
  },
  ARTIFACT_SCHEMA_INVALID: {
    exit: EXIT.INPUT,
    doc: "An artifact does not match its schema. data: {path, issues: [{path, message}]}.",
  },
  ARTIFACT_EXISTS: {
    exit: EXIT.CONFLICT,
    doc: "init would overwrite existing artifacts; pass --force. data: {paths}.",
  },
  CONTRACT_NOT_FOUND: {
    exit: EXIT.INPUT,
    doc: "No contract of that name. data: {contract, available}.",
  },
  CONTRACT_INVALID: {
    exit: EXIT.GATE,
    doc: "approve refused: validation or checklist failed. data: {findings}.",
  },
  CONTRACT_NOT_APPROVED: {
    exit: EXIT.GATE,
    doc:
      "run start refused: artifacts not approved. data: {contract, artifacts: [{artifact, state}]}.",
  },
  CONTRACT_STALE: {
    exit: EXIT.GATE,
    doc:
      "run start refused: approved artifacts changed since approval. data: {contract, artifacts}.",
  },
  RUN_ALREADY_ACTIVE: {
    exit: EXIT.CONFLICT,
    doc: "A run is already active on this contract. data: {contract, run_id}.",
  },
  RUN_NOT_ACTIVE: {
    exit: EXIT.INPUT,
    doc: "The command needs an active run and there is none. data: {contract?}.",
  },
  RUN_NOT_FOUND: {
    exit: EXIT.INPUT,
    doc: "No run with that id (or no runs at all). data: {run_id?, available}.",
  },
  RUN_REPORT_INVALID: {
    exit: EXIT.INPUT,
    doc: "A run report cannot be read. data: {path, issues?}.",
  },
  TEST_COMMAND_FAILED_TO_START: {
    exit: EXIT.GATE,
    doc:
      "run exec could not start the command (it is recorded as an error). data: {test_id, reason}.",
  },
  TEST_COMMAND_MISSING: {
    exit: EXIT.USAGE,
    doc: "run exec has no command to run: none after --, and the test contract has none for " +
      "the test (or it needs a shell). data: {test_id, reason, run_id}.",
  },
  WORKTREE_NOT_CLEAN: {
    exit: EXIT.GATE,
    doc: "run start --require-clean refused: files are already dirty or untracked. " +
      "data: {contract, preexisting: [{path, state}]}.",
  },
  APPROVER_NOT_ALLOWED: {
    exit: EXIT.GATE,
    doc: "approve refused: the approver is not in `approvers` of .keel/config.json. " +
      "data: {by, git_user, approvers}.",
  },
  RUN_ANALYSIS_CHANGED: {
    exit: EXIT.CONFLICT,
    doc: "drift --reanalyze of a finished run would change its findings or commits; finished " +
      "runs are immutable and nothing was written. data: {run_id, added, removed}.",
  },
  RUN_NOT_FINISHED: {
    exit: EXIT.INPUT,
    doc: "verify needs a finished run. data: {run_id}.",
  },
  EVIDENCE_DIGEST_MISMATCH: {
    exit: EXIT.GATE,
    doc: "verify: an evidence file no longer matches its recorded sha256. data: {problems}.",
  },
  EVIDENCE_MISSING: {
    exit: EXIT.GATE,
    doc: "verify: a recorded evidence file is gone. data: {problems}.",
  },
  RUN_COMMIT_MISSING: {
    exit: EXIT.GATE,
    doc: "verify: a commit the report names does not exist in the repository. data: {problems}.",
  },
  RUN_COMMIT_OUT_OF_RANGE: {
    exit: EXIT.GATE,
    doc: "verify: a reported commit is not in the recorded range base..head. data: {problems}.",
  },
  RUN_SNAPSHOT_MISMATCH: {
    exit: EXIT.GATE,
    doc: "verify: the contract snapshot no longer matches the digests approved at run start. " +
      "data: {problems}.",
  },
  RUN_REPORT_SEAL_MISMATCH: {
    exit: EXIT.GATE,
    doc: "verify: the run report was edited after finish (its seal or verdict does not match). " +
      "data: {problems}.",
  },
  JUNIT_INVALID: {
    exit: EXIT.INPUT,
    doc: "A JUnit XML report cannot be parsed. data: {path, line, column, reason}.",
  },
  FINDING_NOT_FOUND: {
    exit: EXIT.INPUT,
    doc: "No finding with that id in the run. data: {finding_id, available}.",
  },
  RATIONALE_REQUIRED: {
    exit: EXIT.USAGE,
    doc: "A deviation needs a non-empty rationale. data: {}.",
  },
  LESSONS_CORRUPT: {
    exit: EXIT.INPUT,
    doc: "lessons.jsonl holds a line that is not a lesson. data: {path, line}.",
  },
  CONFIG_INVALID: {
    exit: EXIT.INPUT,
    doc: ".keel/config.json is invalid. data: {path, issues}.",
  },
  JSONL_TORN_TAIL: {
    exit: EXIT.INPUT,
    doc: "A JSONL file ends in a partial line. data: {path, line, offset}.",
  },
  LOCK_HELD: {
    exit: EXIT.CONFLICT,
    doc: "A lock is held by another process and could not be taken in time. data: {path}.",
  },
  STATE_CHANGED: {
    exit: EXIT.CONFLICT,
    doc: "State changed underneath the command. data: {path}.",
  },
  GIT_FAILED: {
    exit: EXIT.INPUT,
    doc: "A git operation failed. data: {args, stderr}.",
  },
  GIT_UNAVAILABLE: {
    exit: EXIT.INPUT,
    doc: "The requested git backend is not available. data: {backend}.",
  },
  GIT_BACKEND_UNSUPPORTED: {
    exit: EXIT.INPUT,
    doc:
      "The operation needs the git CLI (merges, worktrees, branches) and --git-backend isomorphic was chosen; nothing was done. data: {backend, operation}.",
  },
  SCHEMA_NOT_FOUND: {
    exit: EXIT.INPUT,
    doc: "No JSON Schema of that name. data: {name, available}.",
  },
  MISSION_NOT_FOUND: {
    exit: EXIT.INPUT,
    doc: "No mission matches the handle. data: {handle, candidates}.",
  },
  MISSION_AMBIGUOUS: {
    exit: EXIT.INPUT,
    doc: "The handle matches several missions. data: {handle, candidates}.",
  },
  KITTY_SPECS_NOT_FOUND: {
    exit: EXIT.INPUT,
    doc: "The repository has no kitty-specs folder. data: {path}.",
  },
  MISSION_META_INVALID: {
    exit: EXIT.INPUT,
    doc: "meta.json of a mission cannot be read. data: {path, reason}.",
  },
  EVENT_LOG_CORRUPT: {
    exit: EXIT.INPUT,
    doc: "status.events.jsonl has a line that cannot be read. data: {path, line, reason}.",
  },
  WP_NOT_FOUND: {
    exit: EXIT.INPUT,
    doc: "No work package with that id in the mission. data: {wp_id, available}.",
  },
  WP_FRONTMATTER_INVALID: {
    exit: EXIT.INPUT,
    doc: "A WP file's frontmatter cannot be read. data: {path, reason}.",
  },
  WP_CLAIM_CONFLICT: {
    exit: EXIT.CONFLICT,
    doc: "The WP is held by another agent. data: {wp_id, holder}.",
  },
  WP_NOT_CLAIMABLE: {
    exit: EXIT.GATE,
    doc:
      "Nothing to claim, or the WP cannot be implemented from its lane. data: {wp_id?, reason, lane?}.",
  },
  LANES_JSON_MISSING: {
    exit: EXIT.INPUT,
    doc: "lanes.json is required and missing. data: {path}.",
  },
  GLOB_INVALID: {
    exit: EXIT.INPUT,
    doc: "A glob cannot be compiled (a reversed range such as [z-a]). data: {pattern, reason}.",
  },
  LANES_JSON_INVALID: {
    exit: EXIT.INPUT,
    doc: "lanes.json is corrupt or in a legacy shape. data: {path, reason}.",
  },
  WP_NOT_IN_LANE: {
    exit: EXIT.INPUT,
    doc: "implement: lanes.json assigns the WP to no lane, so it has no workspace. " +
      "data: {wp_id, path}.",
  },
  WORKSPACE_DIRTY: {
    exit: EXIT.CONFLICT,
    doc: "implement: the lane worktree has uncommitted changes; nothing was written. " +
      "data: {path, lane_id, changes}.",
  },
  WORKSPACE_WRONG_BRANCH: {
    exit: EXIT.CONFLICT,
    doc: "implement: the lane worktree is not on the lane branch; nothing was written. " +
      "data: {path, lane_id, expected_branch, current_branch}.",
  },
  WORKSPACE_NOT_A_WORKTREE: {
    exit: EXIT.CONFLICT,
    doc: "implement: the workspace path exists but is not a git worktree of this repository " +
      "(a file, a symlink, or a stray folder); nothing was written. data: {path, reason}.",
  },
  WORKSPACE_BASE_MISSING: {
    exit: EXIT.INPUT,
    doc: "implement: the branch the lane is created from (coordination or mission branch, or " +
      "the target branch it is cut from) does not exist. data: {branch, lane_id}.",
  },
  DEPENDENCY_LANE_MERGE_CONFLICT: {
    exit: EXIT.GATE,
    doc: "implement: a dependency lane's tip does not merge cleanly into the lane; the merge was " +
      "undone and the log left unchanged. data: {lane_id, dep_lane_id, dep_branch, next_step}.",
  },
  PLANNING_COMMIT_MERGE_CONFLICT: {
    exit: EXIT.GATE,
    doc: "implement: lanes.json's planning_commit_sha does not merge cleanly into the lane; the " +
      "merge was aborted and the log left unchanged. data: {lane_id, planning_commit_sha}.",
  },
  MERGE_BLOCKED: {
    exit: EXIT.GATE,
    doc: "merge refused by a gate. data: the merge payload with blockers.",
  },
  MERGE_CONFLICT: {
    exit: EXIT.GATE,
    doc:
      "A lane branch did not merge cleanly; the merge was aborted. data: {lane_id, branch, files}.",
  },
  MERGE_IN_PROGRESS: {
    exit: EXIT.CONFLICT,
    doc:
      "A merge, rebase or cherry-pick is running. data: {lock, holder_pid}|{root, operation, marker}.",
  },
  GIT_INDEX_LOCKED: {
    exit: EXIT.CONFLICT,
    doc: "git's index.lock exists (another git process is writing the index). data: {path}.",
  },
  MISSION_REVIEW_MODE_MISMATCH: {
    exit: EXIT.GATE,
    doc: "--mode post-merge without a baseline_merge_commit. data: {mission_slug}.",
  },
  REPORT_OUTPUT_UNSAFE: {
    exit: EXIT.INPUT,
    doc: "report -o: the target is not a regular file (a symlink, directory, FIFO, …) or its " +
      "folder does not exist. data: {path, reason}.",
  },
  RPC_FRAME_TOO_LARGE: {
    exit: EXIT.INPUT,
    doc: "An RPC frame exceeds the configured maximum. data: {limit}.",
  },
  RPC_SOCKET_PATH_INVALID: {
    exit: EXIT.INPUT,
    doc:
      "serve --socket: the parent folder is missing or the path is too long. data: {path, reason}.",
  },
  RPC_SOCKET_IN_USE: {
    exit: EXIT.CONFLICT,
    doc: "serve --socket: the path holds a live server or a non-socket. data: {path, reason}.",
  },
  HOOK_EVENT_INVALID: {
    exit: EXIT.INPUT,
    doc: "guard hook: stdin is not a JSON hook event (nothing is blocked). data: {reason}.",
  },
} as const satisfies Record<string, ErrorCodeInfo>;

/** A stable keel error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Options for {@link KeelError}. */
export interface KeelErrorOptions {
  /** Structured data for machines; see the code's doc. */
  data?: Record<string, unknown>;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * An error with a stable code. Throw it when no result can be produced.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { KeelError } from "./errors.ts";
 * const e = new KeelError("ARTIFACT_NOT_FOUND", "Cannot read intent.json", {
 *   data: { path: ".keel/contracts/default/intent.json" },
 * });
 * assert.equal(e.exitCode, 3);
 * ```
 */
export class KeelError extends Error {
  /** The stable code. */
  readonly code: ErrorCode;
  /** Structured data for machines. */
  readonly data: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: KeelErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "KeelError";
    this.code = code;
    this.data = options.data ?? {};
  }

  /** The CLI exit code for this error. */
  get exitCode(): ExitCode {
    return ERROR_CODES[this.code].exit;
  }

  /** The JSON form printed by `--json` and carried in RPC `error.data`. */
  toJSON(): { code: ErrorCode; message: string; data: Record<string, unknown> } {
    return { code: this.code, message: this.message, data: this.data };
  }
}

/**
 * Whether a value is a {@link KeelError}.
 *
 * @param value Anything caught.
 * @returns `true` for a KeelError.
 */
export function isKeelError(value: unknown): value is KeelError {
  return value instanceof KeelError;
}
