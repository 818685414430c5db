/**
 * The context every operation receives: where the repository is, the clock,
 * the environment, and how to reach git. Both wrappers (CLI and RPC) build
 * one and call the same operations with it.
 *
 * @module
 */

import type { Clock } from "./util/mod.ts";

/** Which git adapter to use. */
export type GitBackendName = "cli" | "isomorphic" | "auto";

/** The context of one operation. */
export interface OpContext {
  /** Directory the command works in: `--repo` or the current directory (absolute). */
  cwd: string;
  /** The clock. */
  clock: Clock;
  /** Environment variables keel reads (`KEEL_SESSION`, …). */
  env: Readonly<Record<string, string | undefined>>;
  /** The git backend requested (`auto` = the CLI when `git` is on PATH). */
  gitBackend: GitBackendName;
  /** Live output of long-running operations (test commands); absent = silent. */
  onOutput?: (chunk: Uint8Array, stream: "stdout" | "stderr") => void;
  /**
   * Subscribe to the interrupts keel itself receives (SIGINT/SIGTERM), so a
   * running test can be stopped and recorded; returns the unsubscribe.
   * Absent = no forwarding.
   */
  onInterrupt?: (handler: (signal: "SIGINT" | "SIGTERM") => void) => () => void;
  /**
   * The process runs this one operation and exits (the CLI): a read may block
   * the event loop, since nothing else waits on it. Absent in a server, where
   * reads stay asynchronous so other requests keep their turn.
   */
  oneShot?: boolean;
}
