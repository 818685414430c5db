/**
 * The operation context tests run core operations with: a fixed clock (so
 * timestamps in events, reports and ids are exact), no environment, and the
 * git backend chosen by the test.
 *
 * @module
 */

import type { OpContext } from "../core/context.ts";
import type { GitBackendChoice } from "../core/git/mod.ts";
import { fixedClock } from "../core/util/mod.ts";

/** What a test may change in {@link testContext}. */
export interface TestContextOptions {
  /** The clock's first reading (default 2026-11-01T10:00:00Z). */
  at?: string;
  /** How far the clock moves at each reading, in ms (default 1000). */
  stepMs?: number;
  /** The environment the operation sees (default none). */
  env?: Record<string, string>;
  /** The git backend (default `auto`). */
  gitBackend?: GitBackendChoice;
}

/**
 * An operation context rooted at `cwd` with a fixed clock.
 *
 * @param cwd The working directory (a repository root in most tests).
 * @param options Clock, environment and git backend.
 * @returns The context.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { testContext } from "./context.ts";
 * const ctx = testContext("/repo", { at: "2026-01-01T00:00:00Z", stepMs: 0 });
 * assert.equal(ctx.clock.now().toISOString(), "2026-01-01T00:00:00.000Z");
 * assert.equal(ctx.clock.now().toISOString(), "2026-01-01T00:00:00.000Z");
 * assert.equal(ctx.gitBackend, "auto");
 * ```
 */
export function testContext(cwd: string, options: TestContextOptions = {}): OpContext {
  return {
    cwd,
    clock: fixedClock(options.at ?? "2026-11-01T10:00:00Z", options.stepMs ?? 1000),
    env: options.env ?? {},
    gitBackend: options.gitBackend ?? "auto",
  };
}
