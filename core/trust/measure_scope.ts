/**
 * The six trust metrics of one scope (a domain, or every domain) over its
 * latest N finished runs. Pure: facts in, numbers out. The formulas are in
 * docs/drift-loop.md (trust metrics); each is a count of recorded facts over the runs measured.
 *
 * @module
 */

import type { MetricCounts, Metrics } from "./trust_metrics.ts";
import type { RunFacts } from "./run_facts.ts";

/** A measured scope, before its delegation level is decided. */
export interface MeasuredScope {
  scope: string;
  runs: number;
  runs_available: number;
  run_ids: string[];
  metrics: Metrics;
  counts: MetricCounts;
}

/**
 * Measure a scope.
 *
 * @param scope The domain, or `overall`.
 * @param facts Every finished run of the scope (any order).
 * @param options `window`: how many of the latest runs to measure.
 * @returns Metrics and the counts behind them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { measureScope } from "./measure_scope.ts";
 * const m = measureScope("ui", [], { window: 10 });
 * assert(m.runs === 0 && m.metrics.plan_drift_rate === null);
 * ```
 */
export function measureScope(
  scope: string,
  facts: readonly RunFacts[],
  options: { window: number },
): MeasuredScope {
  const ordered = [...facts].sort((a, b) =>
    _cmp(a.finished_at, b.finished_at) || _cmp(a.run_id, b.run_id)
  );
  const runs = ordered.slice(Math.max(0, ordered.length - options.window));
  const n = runs.length;
  const rate = (k: number) => (n === 0 ? null : _round(k / n));
  const drifted = runs.filter((r) => r.drift_codes.length > 0);
  const byCode: Record<string, number> = {};
  for (const r of drifted) for (const c of r.drift_codes) byCode[c] = (byCode[c] ?? 0) + 1;
  const testFailed = runs.filter((r) => r.test_gate_codes.length > 0);
  const cycles = (r: RunFacts) => r.rework_notes + r.review_rejections;
  const reworked = runs.filter((r) => cycles(r) > 0);
  const defective = runs.filter((r) => r.defects > 0);
  const latencies = new Map<string, number>();
  for (const r of runs) {
    if (r.approval_latency_minutes !== null && !latencies.has(r.approval_key)) {
      latencies.set(r.approval_key, r.approval_latency_minutes);
    }
  }
  const gitKnown = runs.every((r) => r.reverted !== null);
  const reverted = gitKnown ? [...new Set(runs.flatMap((r) => r.reverted ?? []))].sort() : null;
  return {
    scope,
    runs: n,
    runs_available: ordered.length,
    run_ids: runs.map((r) => r.run_id),
    metrics: {
      plan_drift_rate: rate(drifted.length),
      test_gate_failure_rate: rate(testFailed.length),
      review_churn_rate: rate(reworked.length),
      approval_latency_minutes: _median([...latencies.values()]),
      rollback_or_revert_count: n === 0 ? null : reverted === null ? null : reverted.length,
      post_merge_defect_rate: rate(defective.length),
    },
    counts: {
      runs: n,
      drifted_runs: drifted.length,
      drift_runs_by_code: Object.fromEntries(Object.entries(byCode).sort(([a], [b]) => _cmp(a, b))),
      test_gate_failed_runs: testFailed.length,
      rework_runs: reworked.length,
      rework_cycles: runs.reduce((s, r) => s + cycles(r), 0),
      approvals_measured: latencies.size,
      commits: runs.reduce((s, r) => s + r.commits.length, 0),
      reverted_commits: reverted,
      defect_runs: defective.length,
      defects: runs.reduce((s, r) => s + r.defects, 0),
      accepted_deviations: runs.reduce((s, r) => s + r.accepted, 0),
    },
  };
}

function _median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const m = s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return Math.round(m * 10) / 10;
}

function _round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

function _cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
