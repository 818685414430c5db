/**
 * `keel next --mission H [--agent A] [--explain]`: which WP to take next, and
 * if none, why not.
 *
 * @module
 */

import { type CliContext, command, flag, ok, option, type Outcome } from "../define.ts";

/** The `cmd` tag. */
export const tag = "next";

/** The parser. */
export const parser = command(
  "next",
  "Preview the WP implement would claim (wp_id), or why none (selection_reason).",
  {
    mission: option(
      "--mission",
      "H",
      "Mission: slug, mission_id, or its unique 8-character prefix.",
      {
        required: true,
        complete: "mission",
      },
    ),
    agent: option("--agent", "A", "The agent asking."),
    explain: flag("--explain", "Show each candidate and why it was (not) chosen."),
  },
);

/**
 * Run the command.
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns The outcome (exit 0: the preview itself never fails a gate).
 */
export async function run(
  args: { mission: string; agent: string | undefined; explain: boolean },
  ctx: CliContext,
): Promise<Outcome> {
  const { nextOp } = await import("../../core/mission/mod.ts");
  const params: { mission: string; agent?: string; explain?: boolean } = {
    mission: args.mission,
  };
  if (args.agent !== undefined) params.agent = args.agent;
  if (args.explain) params.explain = true;
  const p = await nextOp(params, ctx.op);
  const lines = [
    `Mission ${p.mission_slug}: ${p.mission_state}`,
    p.wp_id !== null
      ? `Next: ${p.wp_id}  prompt: ${p.wp_prompt_file}  workspace: ${p.wp_workspace_path ?? "-"}`
      : `Next: none (${p.selection_reason}${
        p.reason !== null && p.reason !== p.selection_reason ? `; ${p.reason}` : ""
      })`,
  ];
  for (const w of p.warnings) lines.push(`Warning: ${w.code}: ${w.message}`);
  if (p.progress !== null) {
    const g = p.progress;
    lines.push(
      `Progress: ${g.weighted_percentage}%  total ${g.total_wps}, done ${g.done_wps}, approved ${g.approved_wps}, in progress ${g.in_progress_wps}, for review ${g.for_review_wps}, planned ${g.planned_wps}`,
    );
  }
  if (p.explain !== undefined) {
    lines.push("Candidates (in file-name order):");
    for (const c of p.explain) {
      const deps = c.dependencies.length === 0
        ? ""
        : `  deps: ${
          c.dependencies.map((d) => `${d.wp_id}=${d.lane}${d.satisfied ? "✓" : "✗"}`).join(" ")
        }`;
      lines.push(
        `  ${c.wp_id.padEnd(6)} ${c.lane.padEnd(12)} ${c.decision.padEnd(11)} ${c.why}${deps}`,
      );
    }
    if (p.explain.length === 0) lines.push("  (none)");
    for (const w of p.warnings) lines.push(`  warning ${w.wp_id}: ${w.code} (${w.base_commit})`);
  }
  return ok(p, lines.join("\n"));
}
