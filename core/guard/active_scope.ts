/**
 * The scope the guards enforce: the contract snapshot of every active run
 * (or of one contract's), read from the run reports. With no active run the
 * guards do nothing.
 *
 * @module
 */

import type { Intent, PlanUnit } from "../../schemas/mod.ts";
import type { KeelLayout } from "../layout/mod.ts";
import { type PathScope, type ScopeClassifier, scopeClassifier } from "../drift/mod.ts";
import { listActiveRuns, readActiveRun } from "../run_store/mod.ts";
import { loadRunReport } from "../run_store/mod.ts";

/** One active run as the guards see it. */
export interface GuardedRun {
  run_id: string;
  contract: string;
  allowed_files: string[];
  forbidden_files: string[];
  units: PlanUnit[];
  classify: ScopeClassifier;
}

/**
 * The active runs the guards check against: the named contract's, else all.
 *
 * @param layout Where .keel is.
 * @param contract Contract name, when one is named.
 * @returns The runs (empty: no active run, the guards allow everything).
 */
export async function guardedRuns(
  layout: KeelLayout,
  contract?: string | undefined,
): Promise<GuardedRun[]> {
  const refs = contract === undefined
    ? (await listActiveRuns(layout)).map((r) => ({ contract: r.contract, run_id: r.active.run_id }))
    : await readActiveRun(layout, contract).then((a) =>
      a === null ? [] : [{ contract, run_id: a.run_id }]
    );
  const out: GuardedRun[] = [];
  for (const ref of refs) {
    const report = await loadRunReport(layout, ref.run_id);
    if (report.state !== "running") continue;
    const intent: Intent = report.contract_snapshot.intent;
    out.push({
      run_id: report.run_id,
      contract: report.contract,
      allowed_files: intent.allowed_files,
      forbidden_files: intent.forbidden_files,
      units: report.contract_snapshot.plan.units,
      classify: scopeClassifier(intent),
    });
  }
  return out;
}

/** A path's decision under the active runs. */
export interface PathDecision {
  /** The path as given. */
  input: string;
  /** Repo-relative path (null when the path is outside the repository). */
  path: string | null;
  allowed: boolean;
  /** `allowed`, `keel`, `forbidden`, `outside`, `no_run` or `outside_repo`. */
  scope: PathScope["scope"] | "no_run" | "outside_repo";
  /** The forbidding glob. */
  pattern: string | null;
  /** Why, in words. */
  reason: string;
  /** The run that decided (null with no active run). */
  run_id: string | null;
}

/**
 * Decide one repo-relative path under the active runs: allowed when any run
 * allows it; otherwise the first run's reason is given.
 *
 * @param runs The active runs.
 * @param input The path as given.
 * @param path Repo-relative path, or null when outside the repository.
 * @returns The decision.
 */
export function decidePath(
  runs: readonly GuardedRun[],
  input: string,
  path: string | null,
): PathDecision {
  const base = { input, path, pattern: null };
  if (runs.length === 0) {
    return { ...base, allowed: true, scope: "no_run", reason: "no active run", run_id: null };
  }
  if (path === null) {
    return {
      ...base,
      allowed: true,
      scope: "outside_repo",
      reason: "outside the repository",
      run_id: null,
    };
  }
  const decisions = runs.map((r) => ({ r, s: r.classify(path) }));
  const ok = decisions.find((d) => d.s.scope === "allowed" || d.s.scope === "keel");
  const pick = ok ?? decisions[0]!;
  const { r, s } = pick;
  const reason = s.scope === "keel"
    ? "keel's own file"
    : s.scope === "allowed"
    ? `inside allowed_files of contract "${r.contract}"`
    : s.scope === "forbidden"
    ? `forbidden by "${s.pattern}" (forbidden_files of contract "${r.contract}")`
    : `outside allowed_files of contract "${r.contract}" (${r.allowed_files.join(", ") || "none"})`;
  return {
    input,
    path,
    allowed: ok !== undefined,
    scope: s.scope,
    pattern: s.pattern,
    reason,
    run_id: r.run_id,
  };
}
