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
import { collectRunFacts, startGitReads } from "./collect_run_facts.ts";
import { KeelError } from "../errors.ts";
import { withLock } from "../store/mod.ts";
import { clearActiveRun, readActiveRun, runLockPath } from "../run_store/mod.ts";
import { resolveActiveRun } from "../run_store/mod.ts";
import { loadRunReport, updateRunReport } from "../run_store/mod.ts";
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
  // git is located and HEAD and the worktree read while the report loads
  // and its schema is built.
  const started = startGitReads(ctx);
  const before = await loadRunReport(layout, ref.run_id);
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
