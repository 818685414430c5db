/**
 * `keel brief [--contract NAME]`: the approved contract as instructions for
 * an agent (Markdown; `--json` for the structured brief).
 *
 * @module
 */

import { type CliContext, command, contractOption, ok, type Outcome } from "../define.ts";

/** The `cmd` tag. */
export const tag = "brief";

/** The parser. */
export const parser = command(
  "brief",
  "The approved contract as Markdown instructions for an agent.",
  { contract: contractOption() },
);

/**
 * Run the command: exit 0 with the brief; refused (exit 1) for an
 * unapproved or stale contract.
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns The outcome.
 */
export async function run(
  args: { contract: string | undefined },
  ctx: CliContext,
): Promise<Outcome> {
  const { briefOp } = await import("../../core/brief/mod.ts");
  const r = await briefOp(args.contract === undefined ? {} : { contract: args.contract }, ctx.op);
  return ok(r, r.markdown);
}
