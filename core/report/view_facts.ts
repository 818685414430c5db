/**
 * What the HTML and Markdown renderers both show, decided once: test
 * provenance, file scope marks, finding acceptance, metric labels and
 * formats, the lanes of the board.
 *
 * @module
 */

import type { Deviation, Finding, RunReport, TestRecord } from "../../schemas/run_report.ts";
import { DISPLAY_LANES } from "../mission/mod.ts";
import { acceptanceOf } from "../retro/mod.ts";
import type { MetricName, MissionView } from "./report_views.ts";

/** A test as the report shows it. */
export interface TestRow {
  test_id: string;
  /** `required`, `optional` or `unplanned`. */
  kind: "required" | "optional" | "unplanned";
  gate: string | null;
  status: string;
  /** Where the latest result came from: `executed`, `JUnit`, `self-reported`, or `—`. */
  provenance: string;
  exit_code: number | null;
  command: string | null;
  records: number;
}

const PROVENANCE: Readonly<Record<string, string>> = {
  exec: "executed",
  junit: "JUnit",
  record: "self-reported",
  manual: "self-reported",
};

/**
 * Where a test record's result came from, in words.
 *
 * @param source The record's `source`.
 * @returns `executed`, `JUnit`, `self-reported`, or the source itself when it is new.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { provenanceOf } from "./view_facts.ts";
 * assert.equal(provenanceOf("exec"), "executed");
 * assert.equal(provenanceOf("record"), "self-reported");
 * ```
 */
export function provenanceOf(source: TestRecord["source"] | string): string {
  return Object.hasOwn(PROVENANCE, source) ? PROVENANCE[source]! : source;
}

/**
 * The tests of a run, with the provenance of each test's latest record.
 *
 * @param report A run report.
 * @returns One row per test outcome (planned first, as analysed).
 */
export function testRows(report: RunReport): TestRow[] {
  const outcomes = report.analysis?.tests ?? [];
  return outcomes.map((t) => {
    const latest = report.tests.filter((r) => r.test_id === t.test_id).at(-1);
    return {
      test_id: t.test_id,
      kind: !t.planned ? "unplanned" : t.required ? "required" : "optional",
      gate: t.gate,
      status: t.status,
      provenance: latest === undefined ? "—" : provenanceOf(latest.source),
      exit_code: latest?.exit_code ?? null,
      command: latest?.command ? latest.command.join(" ") : null,
      records: t.records,
    };
  });
}

/**
 * How a touched file stands against the contract's scope.
 *
 * @param f A file record.
 * @returns `forbidden`, `outside scope` or `allowed`.
 */
export function fileScope(
  f: RunReport["files"][number],
): "forbidden" | "outside scope" | "allowed" {
  return f.forbidden ? "forbidden" : f.in_scope ? "allowed" : "outside scope";
}

/**
 * The deviation that accepts a finding, if any.
 *
 * @param f The finding.
 * @param deviations The run's deviations.
 * @returns The deviation, or undefined.
 */
export function acceptanceFor(f: Finding, deviations: readonly Deviation[]): Deviation | undefined {
  return acceptanceOf(f, deviations);
}

/**
 * A finding's evidence as short `key: value` pairs.
 *
 * @param evidence The evidence object.
 * @param max Longest value shown (characters).
 * @returns The pairs.
 */
export function evidencePairs(evidence: Record<string, unknown>, max = 160): [string, string][] {
  return Object.entries(evidence).map(([k, v]) => {
    const text = Array.isArray(v)
      ? v.map((x) => (typeof x === "string" ? x : JSON.stringify(x))).join(", ")
      : typeof v === "string"
      ? v
      : JSON.stringify(v) ?? "null";
    return [k, cut(text, max)];
  });
}

/**
 * Cut text to at most `n` characters, ending with `…` when cut.
 *
 * @param s Text.
 * @param n Maximum length.
 * @returns The text.
 */
export function cut(s: string, n: number): string {
  const chars = [...s];
  return chars.length <= n ? s : chars.slice(0, n - 1).join("") + "…";
}

/** Human labels of the trust metrics. */
export const METRIC_LABELS: Record<MetricName, string> = {
  plan_drift_rate: "Plan drift rate",
  test_gate_failure_rate: "Test gate failures",
  review_churn_rate: "Churn (rework)",
  rollback_or_revert_count: "Reverts",
  post_merge_defect_rate: "Defects after merge",
  approval_latency_minutes: "Approval latency",
};

/**
 * A metric's value in words.
 *
 * @param name The metric.
 * @param v Its value.
 * @returns `40%`, `3`, `12 min`, or `—`.
 */
export function formatMetric(name: MetricName, v: number | null): string {
  if (v === null) return "—";
  if (name === "rollback_or_revert_count") return `${v}`;
  if (name === "approval_latency_minutes") return `${Math.round(v * 10) / 10} min`;
  return `${Math.round(v * 100)}%`;
}

/**
 * The board's columns: the nine display lanes, then any other lane a WP is
 * in (e.g. `genesis` for a WP without events).
 *
 * @param view The mission view.
 * @returns Lane names in column order.
 */
export function boardLanes(view: MissionView): string[] {
  const lanes: string[] = [...DISPLAY_LANES];
  for (const wp of view.status.wps) if (!lanes.includes(wp.lane)) lanes.push(wp.lane);
  return lanes;
}

/**
 * A short sha.
 *
 * @param sha A full sha or null.
 * @returns Its first 8 characters, or `(none)`.
 */
export function shortSha(sha: string | null | undefined): string {
  return sha ? sha.slice(0, 8) : "(none)";
}
