/**
 * `keel status [--contract NAME]`.
 *
 * @module
 */

import { statusText } from "../../core/text/mod.ts";
import { type CliContext, command, contractOption, ok, type Outcome } from "../define.ts";

/** The `cmd` tag. */
export const tag = "status";

/** The parser. */
export const parser = command(
  "status",
  "Show draft / approved / stale per artifact, and the active run.",
  { contract: contractOption() },
);

/**
 * Run the command.
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns The outcome.
 */
export async function run(
  args: { contract: string | undefined },
  ctx: CliContext,
): Promise<Outcome> {
  const { statusOp } = await import("../../core/status/mod.ts");
  const r = await statusOp(args.contract === undefined ? {} : { contract: args.contract }, ctx.op);
  return ok(r, statusText(r));
}
