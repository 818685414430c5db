/**
 * `keel run finish` / `run/finish`: collect the run's commits and files from
 * git, analyse drift against the contract approved at start, write the
 * report (state `finished`) and clear the active run.
 *
 * @module
 */

import { z } from "zod";
import { parseParams } from "../params.ts";
import { nameParam } from "../param_schemas.ts";
import type { RunReport } from "../../schemas/run_report.ts";
import { locateKeel } from "../layout/mod.ts";
import type { OpContext } from "../context.ts";
import { applyAnalysis } from "./apply_analysis.ts";
import { collectRunFacts, type StartedGitReads, startGitReads } from "./collect_run_facts.ts";
import { KeelError } from "../errors.ts";
import { withLock } from "../store/mod.ts";
import { clearActiveRun, readActiveRun, runLockPath } from "../run_store/mod.ts";
import { resolveActiveRun } from "../run_store/mod.ts";
import { readRunReportJson, updateRunReport, validateRunReport } from "../run_store/mod.ts";
import { runSeal } from "./seal.ts";

/** Params of {@link finishRunOp}. */
export const FinishRunParams = z.strictObject({
  contract: nameParam().optional().describe(
    "Contract whose active run to finish (default: default).",
  ),
  run: nameParam().optional().describe("Run id (instead of the contract's active run)."),
});

/**
 * Finish the active run. Git is read first; then, under the contract's run
 * lock and the run's lock, the report is re-read (so tests recorded
 * meanwhile count), analysed, sealed (`seal`, checked by `keel verify`),
 * written atomically with state `finished`, and the active-run pointer is
 * cleared.
 *
 * @param params `{contract?, run?}`.
 * @param ctx Operation context.
 * @returns The finished report; its `verdict` decides the exit code
 *   (0 aligned, 1 drifted).
 * @throws {KeelError} RUN_NOT_ACTIVE, RUN_NOT_FOUND, STATE_CHANGED when the
 *   run was finished by someone else meanwhile, GIT_FAILED.
 */
export async function finishRunOp(
  params: z.input<typeof FinishRunParams>,
  ctx: OpContext,
): Promise<RunReport> {
  params = parseParams(FinishRunParams, params);
  const layout = locateKeel(ctx.cwd);
  const ref = await resolveActiveRun(layout, params);
  // The report's text is read first (no zod): the process that locates the
  // repository then also reads HEAD and checks the base commit named there.
  // Loading zod and building the report's schema holds the event loop for
  // tens of milliseconds, so the range's git log is started before that,
  // and runs while the schema loads.
  // Nothing read from the text is used unless the schema accepts the report
  // (whose base is the same text); a git failure surfaces after validation,
  // as before.
  const json = await readRunReportJson(layout, ref.run_id);
  const base = _baseCommitOf(json.raw);
  const started = startGitReads(ctx, base);
  if (base !== undefined) await _rangeStarted(started, base);
  const before = await validateRunReport(json);
  const facts = await collectRunFacts(before, layout, ctx, started);
  return await withLock(runLockPath(layout, ref.contract), async () => {
    const report = await updateRunReport(layout, ref.run_id, async (current) => {
      if (current.state !== "running") {
        throw new KeelError("STATE_CHANGED", `Run ${ref.run_id} was finished meanwhile`, {
          data: { path: `.keel/runs/${ref.run_id}/run_report.json` },
        });
      }
      const now = ctx.clock.now();
      const next = applyAnalysis(current, facts, { now });
      const finished: RunReport = {
        ...next,
        state: "finished",
        meta: { ...next.meta, finished_at: now.toISOString(), git_backend: facts.gitBackend },
      };
      return { ...finished, seal: await runSeal(finished) };
    });
    const active = await readActiveRun(layout, ref.contract);
    if (active?.run_id === ref.run_id) await clearActiveRun(layout, ref.contract);
    return report;
  });
}

/** `meta.base_commit` of a report not yet validated, when it is a full sha or null. */
function _baseCommitOf(raw: unknown): string | null | undefined {
  const meta = typeof raw === "object" && raw !== null
    ? (raw as { meta?: unknown }).meta
    : undefined;
  const base = typeof meta === "object" && meta !== null
    ? (meta as { base_commit?: unknown }).base_commit
    : undefined;
  if (base === null) return null;
  return typeof base === "string" && /^[0-9a-f]{40}$/.test(base) ? base : undefined;
}

/**
 * Start the range from `base` and wait until its inputs (the repository,
 * HEAD, the base) are read, so its git processes are running before the
 * caller goes on; failures are left for the range's reader.
 */
async function _rangeStarted(started: StartedGitReads, base: string | null): Promise<void> {
  started.range(base);
  const git = await started.git.catch(() => null);
  await Promise.all([
    started.head.catch(() => null),
    base === null || git === null ? null : git.resolveRef(base).catch(() => null),
  ]);
}
