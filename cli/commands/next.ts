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
  const { nextOp } = await import("../../core/mission/next_op.ts");
  const params: { mission: string; agent?: string; explain?: boolean } = {
    mission: args.mission,
  };
  if (args.agent !== undefined) params.agent = args.agent;
  if (args.explain) params.explain = true;
  const p = await nextOp(params, ctx.op);
  // `--json` prints only the payload: the text renderers are not loaded.
  if (ctx.json) return ok(p, "");
  const { nextText } = await import("../../core/text/mod.ts");
  return ok(p, nextText(p));
}
