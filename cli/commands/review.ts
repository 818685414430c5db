/**
 * `keel review --mission H [--mode lightweight|post-merge]`: the mission
 * review with its gates, verdict and report.
 *
 * @module
 */

import { reviewText } from "../../core/text/mod.ts";
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
  return { json: r, text: reviewText(r), exit: r.verdict === "fail" ? 1 : 0 };
}
