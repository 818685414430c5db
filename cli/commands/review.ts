/**
 * `keel review --mission H [--mode lightweight|post-merge]`: the mission
 * review with its gates, verdict and report.
 *
 * @module
 */

import type { ReviewResult } from "../../core/gates/mod.ts";
import { choice, type CliContext, command, option, type Outcome } from "../define.ts";

/** The `cmd` tag. */
export const tag = "review";

/** The parser. */
export const parser = command(
  "review",
  "Review a mission: WP lanes, review artifacts, dead code; write the report.",
  {
    mission: option("--mission", "H", "Mission: slug, mission_id, or its 8-character prefix.", {
      required: true,
      complete: "mission",
    }),
    mode: choice(
      "--mode",
      ["lightweight", "post-merge"],
      "Review mode (default: post-merge when a baseline exists, else lightweight).",
    ),
  },
);

/**
 * Run the command. Exit 1 when the verdict is `fail`, else 0.
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns The outcome.
 */
export async function run(
  args: { mission: string; mode: "lightweight" | "post-merge" | undefined },
  ctx: CliContext,
): Promise<Outcome> {
  const { reviewOp } = await import("../../core/gates/mod.ts");
  const r = await reviewOp(
    { mission: args.mission, ...(args.mode === undefined ? {} : { mode: args.mode }) },
    ctx.op,
  );
  return { json: r, text: _renderReview(r), exit: r.verdict === "fail" ? 1 : 0 };
}

function _renderReview(r: ReviewResult): string {
  const mark = { pass: "✓", fail: "✗", skipped: "⚠" } as const;
  const lines = [
    `Reviewing mission: ${r.mission_slug}`,
    `Mode: ${r.mode} (${r.mode_source})`,
  ];
  for (const g of r.gates) {
    lines.push(`  ${mark[g.result]}  ${g.id} ${g.name}: ${g.result} - ${g.summary}`);
  }
  if (r.findings.length > 0) lines.push("Findings:");
  for (const f of r.findings) {
    lines.push(`  ${f.hard ? "✗" : "!"} ${f.code} [${f.type}]: ${f.message}`);
  }
  for (const n of r.notes) lines.push(`  note ${n.code}: ${n.message}`);
  const tags = r.verdict_tags.length > 0 ? ` [${r.verdict_tags.join(", ")}]` : "";
  lines.push(`Verdict: ${r.verdict}${tags}  (${r.findings.length} finding(s))`);
  lines.push(`Report written: ${r.report_path}`);
  return lines.join("\n");
}
