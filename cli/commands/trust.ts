/**
 * `keel trust [--window N] [--all-worktrees]`: trust metrics and delegation
 * levels per domain, written to `.keel/trust_metrics.json`.
 *
 * @module
 */

import { trustText } from "../../core/text/mod.ts";
import { type CliContext, command, integer, ok, type Outcome } from "../define.ts";
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
  return ok(r, trustText(r));
}
