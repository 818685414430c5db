/**
 * `keel merge --mission H [--dry-run] [--target BRANCH]`: the review-artifact
 * gate, then the preview or the merge of every lane branch into the target
 * branch.
 *
 * @module
 */

import { mergeText } from "../../core/text/mod.ts";
import { type CliContext, command, flag, option, type Outcome } from "../define.ts";

/** The `cmd` tag. */
export const tag = "merge";

/** The parser. */
export const parser = command(
  "merge",
  "Merge a mission's lane branches into its target branch (gated by review artifacts).",
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
    dryRun: flag("--dry-run", "Run the same gates and show what would be merged; write nothing."),
    target: option(
      "--target",
      "BRANCH",
      "Target branch (default: meta.json merge_target_branch, then target_branch, then the " +
        "repository's default branch).",
    ),
  },
);

/**
 * Run the command. Exit 1 when blocked, 0 otherwise.
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns The outcome.
 */
export async function run(
  args: { mission: string; dryRun: boolean; target?: string | undefined },
  ctx: CliContext,
): Promise<Outcome> {
  const { mergeOp } = await import("../../core/gates/mod.ts");
  const r = await mergeOp({
    mission: args.mission,
    dryRun: args.dryRun,
    ...(args.target === undefined ? {} : { target: args.target }),
  }, ctx.op);
  return { json: r, text: mergeText(r), exit: r.blocked ? 1 : 0 };
}
