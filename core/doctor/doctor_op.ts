/**
 * `keel doctor [--fix]` / `doctor/run`: find and explain what can go wrong
 * on disk, and repair only what is safe to repair.
 *
 * @module
 */

import { join, relative } from "node:path";
import { z } from "zod";
import { parseParams } from "../params.ts";
import { locateKeel } from "../contract/mod.ts";
import type { OpContext } from "../context.ts";
import { checkContracts } from "./check_contracts.ts";
import { checkLessons } from "./check_lessons.ts";
import { checkLocks } from "./check_locks.ts";
import { checkMissions } from "./check_missions.ts";
import { checkRuns } from "./check_runs.ts";
import { type DoctorProblem, problem } from "./codes.ts";
import { KeelError } from "../errors.ts";
import { loadTrustConfig } from "../trust/mod.ts";
import { moveTornTail } from "./torn_tail.ts";

/** Params of {@link doctorOp}. */
export const DoctorParams = z.strictObject({
  fix: z.boolean().optional().describe(
    "Repair what is safe: move torn JSONL tails to side files, clear stale lock pids.",
  ),
});

/** Params of {@link doctorOp}. */
export type DoctorParamsInput = z.input<typeof DoctorParams>;

/** What `keel doctor` found. */
export interface DoctorResult {
  /** No error or warning is left (info never fails). */
  ok: boolean;
  /** Whether `--fix` was given. */
  fix: boolean;
  /** What was looked at. */
  checked: { contracts: number; runs: number; missions: number; lock_files: number };
  /** Every problem, fixed or not, in check order. */
  problems: DoctorProblem[];
  /** Problems by severity, and how many this call fixed. */
  counts: { error: number; warning: number; info: number; fixed: number };
}

/**
 * Check the repository's keel and spec-kitty state.
 *
 * @param params `{fix?}`.
 * @param ctx The operation context.
 * @returns The problems, and what was fixed.
 * @throws {KeelError} `LOCK_HELD` when `--fix` cannot take a file's lock.
 */
export async function doctorOp(params: DoctorParamsInput, ctx: OpContext): Promise<DoctorResult> {
  params = parseParams(DoctorParams, params);
  const { fix = false } = DoctorParams.parse(params);
  const layout = locateKeel(ctx.cwd);
  const hostname = Deno.hostname();
  const refused: DoctorProblem[] = [];
  const contracts = await _guard(
    () => checkContracts(layout),
    { problems: [], checked: 0 },
    refused,
  );
  const runs = await _guard(
    () => checkRuns(layout, { hostname }),
    { problems: [], checked: 0 },
    refused,
  );
  const lessons = await _guard(() => checkLessons(layout), [], refused);
  await _guard(() => loadTrustConfig(layout), null, refused);
  const missions = await _guard(
    () => checkMissions(layout.root),
    { problems: [], missions: [] },
    refused,
  );
  const stamp = ctx.clock.now().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  if (fix) {
    for (const p of lessons) {
      if (p.code !== "JSONL_TORN_TAIL") continue;
      const path = join(layout.keelDir, "lessons.jsonl");
      await _fixTorn(p, path, { lockPath: `${path}.lock`, stamp, root: layout.root });
    }
    for (const p of missions.problems) {
      if (p.code !== "JSONL_TORN_TAIL") continue;
      const m = missions.missions.find((x) => relative(layout.root, x.log) === p.path);
      if (m === undefined) continue;
      const lockPath = join(layout.keelDir, "locks", `mission-${m.slug}.lock`);
      await _fixTorn(p, m.log, { lockPath, stamp, root: layout.root });
    }
  }
  const locks = await _guard(
    () => checkLocks(layout.root, { dirs: [layout.keelDir], fix }),
    { problems: [], checked: 0 },
    refused,
  );
  const problems = [
    ...refused,
    ...contracts.problems,
    ...runs.problems,
    ...lessons,
    ...missions.problems,
    ...locks.problems,
  ];
  const open = problems.filter((p) => !p.fixed);
  return {
    ok: open.every((p) => p.severity === "info"),
    fix,
    checked: {
      contracts: contracts.checked,
      runs: runs.checked,
      missions: missions.missions.length,
      lock_files: locks.checked,
    },
    problems,
    counts: {
      error: open.filter((p) => p.severity === "error").length,
      warning: open.filter((p) => p.severity === "warning").length,
      info: open.filter((p) => p.severity === "info").length,
      fixed: problems.filter((p) => p.fixed).length,
    },
  };
}

const REFUSALS = new Set<string>([
  "PATH_SYMLINK_REFUSED",
  "PATH_NOT_REGULAR_FILE",
  "PATH_OUTSIDE_REPO",
  "FILE_TOO_LARGE",
]);

/**
 * Run one check; a path the check's readers refuse (a symlink, a special
 * file, a folder where a file belongs, a file too large) becomes a
 * `PATH_REFUSED` problem instead of ending doctor.
 */
async function _guard<T>(check: () => Promise<T>, empty: T, refused: DoctorProblem[]): Promise<T> {
  try {
    return await check();
  } catch (error) {
    if (!(error instanceof KeelError)) throw error;
    const path = typeof error.data.path === "string" ? error.data.path : "";
    if (error.code === "CONFIG_INVALID") {
      refused.push(problem("CONFIG_INVALID", {
        path,
        message: error.message,
        explanation:
          "keel trust reads thresholds from .keel/config.json and refuses while it is invalid.",
        evidence: { issues: error.data.issues ?? [] },
      }));
      return empty;
    }
    if (!REFUSALS.has(error.code)) throw error;
    refused.push(problem("PATH_REFUSED", {
      path,
      message: error.message,
      explanation:
        `keel refuses to read ${path || "this path"} (${error.code}); the commands that need it ` +
        "fail with the same code. Replace it with a regular file (or folder) or remove it.",
      evidence: { error_code: error.code, data: error.data },
    }));
    return empty;
  }
}

async function _fixTorn(
  p: DoctorProblem,
  path: string,
  options: { lockPath: string; stamp: string; root: string },
): Promise<void> {
  const moved = await moveTornTail(path, options);
  if (moved === null) return;
  p.fixed = true;
  p.fix = {
    action: "moved the partial line to a side file",
    side_file: relative(options.root, moved.sideFile),
    bytes: moved.bytes,
    offset: moved.offset,
  };
}
