/**
 * Delegation levels from measured metrics and configured thresholds:
 * `low-trust` when any metric reaches its `low_min`; `high-trust` when every
 * measured metric is at or below its `high_max`; `medium-trust` otherwise;
 * `insufficient-data` below `min_runs` runs. Approval latency measures the
 * maintainer, not the agent, and never decides a level.
 *
 * @module
 */

import { LEVEL_METRICS, type LevelMetric, type ResolvedTrustConfig } from "../contract/mod.ts";
import type { DriftCode } from "../../schemas/codes.ts";
import type { MeasuredScope } from "./measure_scope.ts";
import type { Delegation } from "./trust_metrics.ts";

const _CODE_WORDS: Readonly<Record<string, string>> = {
  SCOPE_FILE_OUTSIDE_ALLOWED: "touched files outside scope",
  SCOPE_FILE_FORBIDDEN: "touched forbidden files",
  PLAN_UNIT_MISSING: "left a planned unit undone",
  PLAN_COMMIT_UNPLANNED: "made unplanned commits",
  PLAN_UNIT_OUT_OF_ORDER: "landed units out of order",
  PLAN_COMMIT_OUTSIDE_UNIT: "committed outside their unit's files",
  CONTRACT_CHANGED_DURING_RUN: "ran while the contract changed",
  WORKTREE_UNCOMMITTED: "left changes uncommitted",
  BASE_NOT_ANCESTOR: "rewrote the history under them",
} satisfies Partial<Record<DriftCode, string>>;

/**
 * Decide the delegation level of a measured scope.
 *
 * @param m The measured scope.
 * @param config Window, minimum runs and thresholds.
 * @returns Level, reason in words, and what it means for the next run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { delegationFor } from "./delegation.ts";
 * import { DEFAULT_TRUST_CONFIG } from "../contract/mod.ts";
 * import { measureScope } from "./measure_scope.ts";
 * const d = delegationFor(measureScope("ui", [], { window: 10 }), DEFAULT_TRUST_CONFIG);
 * assert(d.level === "insufficient-data");
 * ```
 */
export function delegationFor(m: MeasuredScope, config: ResolvedTrustConfig): Delegation {
  const label = m.scope === "overall" ? "runs" : `${m.scope} runs`;
  const who = m.scope === "overall" ? "overall" : `in ${m.scope}`;
  if (m.runs < config.min_runs) {
    return {
      level: "insufficient-data",
      reason: `Only ${m.runs} finished ${label === "runs" ? "run" : label.slice(0, -1)}` +
        `${m.runs === 1 ? "" : "s"} so far; keel needs at least ${config.min_runs} ` +
        "before it recommends a level.",
      reasons: [],
      means: `Not enough history to change the gates ${who}: keep the standard gates ` +
        "(approve intent, tests and plan; read the drift report before merging).",
    };
  }
  const low: string[] = [];
  const aboveHigh: string[] = [];
  for (const metric of LEVEL_METRICS) {
    const value = m.metrics[metric];
    if (value === null) continue;
    const th = config.thresholds[metric];
    if (value >= th.low_min) {
      low.push(_sentence(metric, m, label, `low-trust at ${_fmt(metric, th.low_min)}`));
    } else if (value > th.high_max) {
      aboveHigh.push(
        _sentence(metric, m, label, `high-trust needs ${_fmt(metric, th.high_max)} or less`),
      );
    }
  }
  if (low.length > 0) {
    return {
      level: "low-trust",
      reason: _join(low),
      reasons: low,
      means: `Stricter human gates ${who}: keep allowed_files narrow, plan small units, ` +
        "review each unit's commits, and require every test to pass before merging.",
    };
  }
  if (aboveHigh.length > 0) {
    return {
      level: "medium-trust",
      reason: _join(aboveHigh),
      reasons: aboveHigh,
      means: `Keep the standard gates ${who}: approve intent, tests and plan separately ` +
        "and read the drift report before merging.",
    };
  }
  const x = m.metrics;
  const pct = (v: number | null) => (v === null ? "unknown" : _fmt("plan_drift_rate", v));
  const reverts = x.rollback_or_revert_count === null
    ? "reverts unknown"
    : `${x.rollback_or_revert_count} reverted commit(s)`;
  const reason = `The last ${m.runs} ${label} met every high-trust threshold: ` +
    `drift ${pct(x.plan_drift_rate)}, test-gate failures ${pct(x.test_gate_failure_rate)}, ` +
    `review churn ${pct(x.review_churn_rate)}, ${reverts}, ` +
    `post-merge defects ${pct(x.post_merge_defect_rate)}.`;
  return {
    level: "high-trust",
    reason,
    reasons: [reason],
    means: `Room for more autonomy ${who}: the next run can take a lighter human gate — ` +
      "approve the contract as a whole and review at merge, with keel's drift report as the check.",
  };
}

function _sentence(metric: LevelMetric, m: MeasuredScope, label: string, limit: string): string {
  const c = m.counts;
  const n = m.runs;
  const value = m.metrics[metric]!;
  const of = (k: number) => `${k} of the last ${n} ${label}`;
  switch (metric) {
    case "plan_drift_rate": {
      const codes = Object.entries(c.drift_runs_by_code).sort((a, b) => b[1] - a[1]);
      const [topCode, topRuns] = codes[0] ?? ["", 0];
      const words = _CODE_WORDS[topCode];
      const head = words && topRuns === c.drifted_runs
        ? `${of(c.drifted_runs)} ${words}`
        : `${of(c.drifted_runs)} drifted from their plan (` +
          codes.map(([code, k]) => `${_CODE_WORDS[code] ?? code} in ${k}`).join(", ") + ")";
      return `${head} (${_fmt(metric, value)}; ${limit})`;
    }
    case "test_gate_failure_rate":
      return `${of(c.test_gate_failed_runs)} failed or skipped a required test ` +
        `(${_fmt(metric, value)}; ${limit})`;
    case "review_churn_rate":
      return `${of(c.rework_runs)} needed rework after review, ${c.rework_cycles} cycle(s) ` +
        `(${_fmt(metric, value)}; ${limit})`;
    case "rollback_or_revert_count":
      return `${value} commit(s) of the last ${n} ${label} were later reverted (${limit})`;
    case "post_merge_defect_rate":
      return `${of(c.defect_runs)} had a defect reported after merge ` +
        `(${_fmt(metric, value)}; ${limit})`;
  }
}

function _fmt(metric: LevelMetric, value: number): string {
  return metric === "rollback_or_revert_count" ? `${value}` : `${Math.round(value * 1000) / 10}%`;
}

function _join(parts: string[]): string {
  const s = parts.join("; ");
  return s.charAt(0).toUpperCase() + s.slice(1) + ".";
}
