/**
 * The problems `keel doctor` reports: stable codes, each with its severity,
 * whether `--fix` can repair it, and a one-line doc.
 *
 * @module
 */

import type { CodeInfo, CodeRegistryOf, Severity } from "../codes.ts";
import type { DoctorCode } from "../../schemas/codes.ts";

/** How bad a problem is. `info` never fails `keel doctor`. */
export type DoctorSeverity = Severity;

/** Description of one doctor code: the registry shape, plus whether `--fix` repairs it. */
export interface DoctorCodeInfo extends CodeInfo {
  /** Severity of every problem with this code. */
  readonly severity: DoctorSeverity;
  /** Whether `keel doctor --fix` repairs it. */
  readonly fixable: boolean;
}

/** Every code `keel doctor` reports. Never rename or reuse a code. */
export const DOCTOR_CODES = {
  JSONL_TORN_TAIL: {
    severity: "error",
    fixable: true,
    doc:
      "A JSONL file ends in a partial line (a write cut short). --fix moves the partial bytes to <file>.torn-<time>. evidence: {line, offset, bytes, text}.",
  },
  JSONL_BAD_LINE: {
    severity: "error",
    fixable: false,
    doc:
      "A complete JSONL line is not JSON (edited by hand or merged badly). evidence: {line, reason}.",
  },
  LESSONS_CORRUPT: {
    severity: "error",
    fixable: false,
    doc: "A JSON line of lessons.jsonl is not a lesson. evidence: {line, reason}.",
  },
  EVENT_LOG_CORRUPT: {
    severity: "error",
    fixable: false,
    doc:
      "status.events.jsonl has a line the reducer cannot read; next and implement refuse the mission. evidence: {line, reason}.",
  },
  STATUS_JSON_DISAGREES: {
    severity: "warning",
    fixable: false,
    doc:
      "status.json (spec-kitty's materialised view) disagrees with the event log; keel trusts the log and never rewrites status.json. evidence: {differences}.",
  },
  STATUS_JSON_BEHIND: {
    severity: "info",
    fixable: false,
    doc:
      "status.json was materialised before the latest events (spec-kitty rewrites it on its next read). evidence: {status_event_count, log_event_count}.",
  },
  ARTIFACT_UNREADABLE: {
    severity: "error",
    fixable: false,
    doc: "An approvable artifact cannot be read or parsed. evidence: {artifact, error_code}.",
  },
  APPROVAL_STALE: {
    severity: "warning",
    fixable: false,
    doc:
      "An approved artifact changed after approval (its digest no longer matches); run start refuses it until it is approved again. evidence: {artifact, approved_digest, digest, approved_by, approved_at}.",
  },
  RUN_REPORT_UNREADABLE: {
    severity: "error",
    fixable: false,
    doc:
      "A run report cannot be read or does not match its schema. evidence: {run_id, error_code}.",
  },
  ACTIVE_RUN_DANGLING: {
    severity: "error",
    fixable: false,
    doc:
      "An active-run pointer names a run whose report is missing, unreadable or finished. evidence: {contract, run_id, reason}.",
  },
  RUN_STARTER_EXITED: {
    severity: "info",
    fixable: false,
    doc:
      "An active run was started by a process that has exited. Runs span many processes, so this is expected between commands; a run nobody will finish should be closed with keel run finish. evidence: {run_id, contract, pid, host, started_at}.",
  },
  LOCK_LEFT_BY_DEAD_PROCESS: {
    severity: "info",
    fixable: true,
    doc:
      "A lock file still names a holder that no longer holds it (the kernel released the lock when the process died); harmless. --fix clears the stale pid. evidence: {pid, pid_alive}.",
  },
  LOCK_HELD: {
    severity: "info",
    fixable: false,
    doc: "A lock is held right now by a live process. evidence: {pid}.",
  },
  CONFIG_INVALID: {
    severity: "error",
    fixable: false,
    doc:
      ".keel/config.json is not valid; keel trust refuses until it is fixed. evidence: {issues}.",
  },
  PATH_REFUSED: {
    severity: "error",
    fixable: false,
    doc:
      "A file or folder keel reads is a symlink, a FIFO, a device, a folder where a file belongs (or the reverse), or too large; the commands that need it refuse with the same code. evidence: {error_code, data}.",
  },
  ATOMIC_WRITE_LEFTOVER: {
    severity: "info",
    fixable: false,
    doc:
      "A temporary file of an atomic write that never completed (its writer was killed before the rename); the artifact beside it holds the old version. evidence: {target, pid}.",
  },
} as const satisfies CodeRegistryOf<DoctorCode, DoctorCodeInfo>;

/** A stable doctor code. */
export type { DoctorCode };

/** One problem found on disk. */
export interface DoctorProblem {
  /** Stable code (see {@link DOCTOR_CODES}). */
  code: DoctorCode;
  /** `error`, `warning` or `info`. */
  severity: DoctorSeverity;
  /** The file, relative to the repository root. */
  path: string;
  /** One line for people. */
  message: string;
  /** What it means and what to do about it. */
  explanation: string;
  /** Whether `--fix` can repair it. */
  fixable: boolean;
  /** Whether this `--fix` run repaired it. */
  fixed: boolean;
  /** What the repair did (side file written, bytes moved), when fixed. */
  fix: Record<string, unknown> | null;
  /** Machine-readable details. */
  evidence: Record<string, unknown>;
}

/**
 * Build a problem with the code's severity and fixability.
 *
 * @param code The code.
 * @param fields Path, message, explanation, evidence.
 * @returns The problem (not fixed).
 */
export function problem(
  code: DoctorCode,
  fields: { path: string; message: string; explanation: string; evidence: Record<string, unknown> },
): DoctorProblem {
  const info = DOCTOR_CODES[code];
  return {
    code,
    severity: info.severity,
    path: fields.path,
    message: fields.message,
    explanation: fields.explanation,
    fixable: info.fixable,
    fixed: false,
    fix: null,
    evidence: fields.evidence,
  };
}
