/**
 * The human text of trust metrics.
 *
 * @module
 */

import type { TrustMetrics } from "../../schemas/mod.ts";
import { renderTable } from "./render.ts";

/**
 * `trust`.
 *
 * @param r The trust metrics.
 * @returns The text.
 */
export function trustText(r: TrustMetrics): string {
  const pct = (x: number | null) => (x === null ? "—" : `${Math.round(x * 100)}%`);
  const rows = [
    ["SCOPE", "RUNS", "DRIFT", "TEST GATE", "CHURN", "REVERTS", "DEFECTS", "LATENCY", "LEVEL"],
    ...[...r.domains, r.overall].map((s) => [
      s.scope,
      `${s.runs}`,
      pct(s.metrics.plan_drift_rate),
      pct(s.metrics.test_gate_failure_rate),
      pct(s.metrics.review_churn_rate),
      s.metrics.rollback_or_revert_count === null ? "—" : `${s.metrics.rollback_or_revert_count}`,
      pct(s.metrics.post_merge_defect_rate),
      s.metrics.approval_latency_minutes === null
        ? "—"
        : `${s.metrics.approval_latency_minutes} min`,
      s.delegation.level,
    ]),
  ];
  const lines = [
    r.overall.runs === 0
      ? "No finished runs yet: trust is measured from finished runs (`keel run finish`)."
      : `Trust over the latest ${r.window} finished run(s) per scope ` +
        `(${r.overall.runs_available} finished run(s) in ${r.domains.length} domain(s)):`,
    "",
    renderTable(rows),
    "",
  ];
  for (const s of [...r.domains, r.overall]) {
    lines.push(`${s.scope}: ${s.delegation.level}`);
    lines.push(`  why:  ${s.delegation.reason}`);
    lines.push(`  next: ${s.delegation.means}`);
  }
  for (const n of r.notes) lines.push(`note: ${n}`);
  lines.push("", "Written to .keel/trust_metrics.json.");
  return lines.join("\n");
}
