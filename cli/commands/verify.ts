/**
 * `keel verify [--run ID] [--contract NAME]`: re-check a finished run
 * against the repository and its evidence.
 *
 * @module
 */

import { verifyText } from "../../core/text/mod.ts";
import { type CliContext, command, contractOption, option, type Outcome } from "../define.ts";

/** The `cmd` tag. */
export const tag = "verify";

/** The parser. */
export const parser = command(
  "verify",
  "Check a finished run: seal, evidence digests, commits in range, snapshot.",
  {
    run: option("--run", "ID", "Run id (default: the latest finished run).", { complete: "run" }),
    contract: contractOption(),
  },
);

type VerifyArgs = { cmd: "verify"; run: string | undefined; contract: string | undefined };

/**
 * Run the command: exit 0 when everything still holds, 1 otherwise (each
 * problem is printed with its code).
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns The outcome.
 */
export async function run(args: VerifyArgs, ctx: CliContext): Promise<Outcome> {
  const { verifyRunOp } = await import("../../core/run/mod.ts");
  const r = await verifyRunOp({
    ...(args.run === undefined ? {} : { run: args.run }),
    ...(args.contract === undefined ? {} : { contract: args.contract }),
  }, ctx.op);
  return { json: r, text: verifyText(r), exit: r.ok ? 0 : 1 };
}
