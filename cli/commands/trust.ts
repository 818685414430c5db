/**
 * `keel trust [--window N] [--all-worktrees]`: trust metrics and delegation
 * levels per domain, written to `.keel/trust_metrics.json`.
 *
 * @module
 */

import { type CliContext, command, integer, ok, type Outcome } from "../define.ts";
import { renderTable } from "../render.ts";
import { allWorktreesFlag } from "./lessons.ts";

/** The `cmd` tag. */
export const tag = "trust";

/** The parser. */
export const parser = command(
  "trust",
  "Measure trust per domain from recorded runs and recommend delegation levels.",
  {
    window: integer(
      "--window",
      "N",
      "Measure the latest N finished runs per domain (default 10).",
      { min: 1, max: 1000 },
    ),
    allWorktrees: allWorktreesFlag(),
  },
);

/**
 * Run the command.
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns The outcome.
 */
export async function run(
  args: { window: number | undefined; allWorktrees: boolean },
  ctx: CliContext,
): Promise<Outcome> {
  const { computeTrustOp } = await import("../../core/trust/mod.ts");
  const r = await computeTrustOp({
    ...(args.window === undefined ? {} : { window: args.window }),
    ...(args.allWorktrees ? { allWorktrees: true } : {}),
  }, ctx.op);
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
  return ok(r, lines.join("\n"));
}
