/**
 * Runs: reports that cannot be read, active-run pointers that point nowhere,
 * and active runs started by a process that has exited.
 *
 * @module
 */

import type { KeelLayout } from "../contract/mod.ts";
import { KeelError } from "../errors.ts";
import { listActiveRuns, listRunIds, loadRunReport } from "../run_store/mod.ts";
import { type DoctorProblem, problem } from "./codes.ts";
import { processAlive } from "../store/mod.ts";

/**
 * Check every run report and active-run pointer.
 *
 * @param layout Where .keel is.
 * @param options `hostname` of this machine (a pid is only checked on its own host).
 * @returns Problems found and how many runs were checked.
 */
export async function checkRuns(
  layout: KeelLayout,
  options: { hostname: string },
): Promise<{ problems: DoctorProblem[]; checked: number }> {
  const problems: DoctorProblem[] = [];
  const ids = listRunIds(layout);
  const unreadable = new Set<string>();
  for (const id of ids) {
    try {
      await loadRunReport(layout, id);
    } catch (error) {
      if (!(error instanceof KeelError)) throw error;
      if (error.code === "RUN_NOT_FOUND") continue; // a run folder without a report yet
      unreadable.add(id);
      const path = `.keel/runs/${id}/run_report.json`;
      problems.push(problem("RUN_REPORT_UNREADABLE", {
        path,
        message: `${path}: ${error.message}`,
        explanation:
          "Run reports are written atomically, so a partial report cannot come from a crash: the file " +
          "was edited by hand or by another tool. keel drift, retro and trust skip or refuse this run.",
        evidence: { run_id: id, error_code: error.code },
      }));
    }
  }
  for (const { contract, active } of await listActiveRuns(layout)) {
    const pointer = `.keel/active/${contract}.json`;
    let report;
    try {
      report = await loadRunReport(layout, active.run_id);
    } catch (error) {
      if (!(error instanceof KeelError)) throw error;
      if (unreadable.has(active.run_id)) continue;
      problems.push(problem("ACTIVE_RUN_DANGLING", {
        path: pointer,
        message: `${pointer}: names run ${active.run_id}, which has no readable report`,
        explanation:
          `The active-run pointer of contract "${contract}" names a run that does not exist. ` +
          "run record/exec/finish fail until the pointer is removed by hand.",
        evidence: { contract, run_id: active.run_id, reason: error.code },
      }));
      continue;
    }
    if (report.state !== "running") {
      problems.push(problem("ACTIVE_RUN_DANGLING", {
        path: pointer,
        message: `${pointer}: names run ${active.run_id}, which is already ${report.state}`,
        explanation:
          "The run was finished but its active-run pointer was not removed (the finishing process " +
          "was stopped in between). A new keel run start on this contract is refused until the " +
          "pointer is removed by hand.",
        evidence: { contract, run_id: active.run_id, reason: report.state },
      }));
      continue;
    }
    const { pid, host } = report.meta;
    if (host !== options.hostname) continue;
    if (processAlive(pid) !== false) continue;
    problems.push(problem("RUN_STARTER_EXITED", {
      path: `.keel/runs/${active.run_id}/run_report.json`,
      message:
        `Active run ${active.run_id} (contract "${contract}") was started by a process that has exited (pid ${pid} on ${host})`,
      explanation:
        "A run spans many processes (run start, run exec, run record, run finish), so the starting " +
        "process having exited is normal between commands. If no agent is still working on this " +
        "run, close it with `keel run finish` so the contract can start a new one.",
      evidence: {
        run_id: active.run_id,
        contract,
        pid,
        host,
        started_at: active.started_at,
      },
    }));
  }
  return { problems, checked: ids.length };
}
