/**
 * Which run a command means: `--run ID`, else the active run of
 * `--contract` (default `default`), else — when no contract is named and
 * `default` has no active run — the only active run there is.
 *
 * @module
 */

import { DEFAULT_CONTRACT, type KeelLayout } from "../layout/mod.ts";
import { KeelError } from "../errors.ts";
import { listActiveRuns, readActiveRun } from "./active_run.ts";
import { listRunIds, loadRunReport } from "./run_store.ts";
import type { RunReport } from "../../schemas/run_report.ts";

/** How a command names its run. */
export interface RunSelector {
  /** Run id. */
  run?: string | undefined;
  /** Contract name (its active run). */
  contract?: string | undefined;
}

/** A resolved active run. */
export interface ActiveRunRef {
  run_id: string;
  contract: string;
}

/**
 * The running run a command records into.
 *
 * @param layout Where .keel is.
 * @param selector `{run?, contract?}`.
 * @returns The run id and its contract.
 * @throws {KeelError} RUN_NOT_ACTIVE when there is no such running run;
 *   RUN_NOT_FOUND for an unknown `--run`.
 */
export async function resolveActiveRun(
  layout: KeelLayout,
  selector: RunSelector,
): Promise<ActiveRunRef> {
  if (selector.run !== undefined) {
    const report = await loadRunReport(layout, selector.run);
    if (report.state !== "running") {
      throw new KeelError("RUN_NOT_ACTIVE", `Run ${report.run_id} is already finished`, {
        data: { contract: report.contract, run_id: report.run_id },
      });
    }
    if (selector.contract !== undefined && selector.contract !== report.contract) {
      throw new KeelError(
        "RUN_NOT_ACTIVE",
        `Run ${report.run_id} belongs to contract "${report.contract}", not "${selector.contract}"`,
        { data: { contract: selector.contract, run_id: report.run_id } },
      );
    }
    return { run_id: report.run_id, contract: report.contract };
  }
  const name = selector.contract ?? DEFAULT_CONTRACT;
  const active = await readActiveRun(layout, name);
  if (active) return { run_id: active.run_id, contract: name };
  if (selector.contract === undefined) {
    const all = await listActiveRuns(layout);
    if (all.length === 1) return { run_id: all[0]!.active.run_id, contract: all[0]!.contract };
  }
  throw new KeelError(
    "RUN_NOT_ACTIVE",
    `No active run on contract "${name}"; start one with \`keel run start\``,
    { data: { contract: name } },
  );
}

/**
 * Any run, for reading: `--run ID`, else the latest run (of `--contract`
 * when given). ULIDs sort by time, so the latest is the greatest id.
 *
 * @param layout Where .keel is.
 * @param selector `{run?, contract?}`.
 * @returns The report.
 * @throws {KeelError} RUN_NOT_FOUND when there is no such run.
 */
export async function resolveAnyRun(
  layout: KeelLayout,
  selector: RunSelector,
): Promise<RunReport> {
  if (selector.run !== undefined) return await loadRunReport(layout, selector.run);
  const ids = listRunIds(layout).reverse();
  for (const id of ids) {
    if (selector.contract === undefined) return await loadRunReport(layout, id);
    const report = await loadRunReport(layout, id).catch(() => null);
    if (report && report.contract === selector.contract) return report;
  }
  throw new KeelError(
    "RUN_NOT_FOUND",
    selector.contract === undefined
      ? "No runs yet; start one with `keel run start`"
      : `No run of contract "${selector.contract}"`,
    { data: { available: listRunIds(layout) } },
  );
}
