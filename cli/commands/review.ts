/**
 * `keel review --mission H [--mode lightweight|post-merge] [--require-aligned]`:
 * the mission review with its gates, verdict and report, and each WP's latest
 * keel run beside its lane.
 *
 * @module
 */

import { reviewWithRunsText } from "../../core/text/mod.ts";
import { choice, type CliContext, command, flag, option, type Outcome } from "../define.ts";

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
    requireAligned: flag(
      "--require-aligned",
      "Fail when a WP's latest keel run is drifted (findings not accepted as deviations).",
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
  args: {
    mission: string;
    mode: "lightweight" | "post-merge" | undefined;
    requireAligned: boolean;
  },
  ctx: CliContext,
): Promise<Outcome> {
  const { reviewWithRunsOp } = await import("../../core/mission_run/mod.ts");
  const r = await reviewWithRunsOp(
    {
      mission: args.mission,
      ...(args.mode === undefined ? {} : { mode: args.mode }),
      ...(args.requireAligned ? { requireAligned: true } : {}),
    },
    ctx.op,
  );
  return { json: r, text: reviewWithRunsText(r), exit: r.verdict === "fail" ? 1 : 0 };
}
