/**
 * `keel validate [--contract NAME]`: schema and semantic checks.
 *
 * @module
 */

import { validateText } from "../../core/text/mod.ts";
import { type CliContext, command, contractOption, type Outcome } from "../define.ts";

/** `--contract NAME` (defined in `../define.ts`; re-exported for the command modules). */
export { contractOption };

/** The `cmd` tag. */
export const tag = "validate";

/** The parser. */
export const parser = command(
  "validate",
  "Check the contract's three artifacts (schema, scope, ids, cycles, tests).",
  { contract: contractOption() },
);

/**
 * Run the command. Exit 3 when an artifact is missing or invalid, 1 when any
 * error finding, else 0.
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns The outcome.
 */
export async function run(
  args: { contract: string | undefined },
  ctx: CliContext,
): Promise<Outcome> {
  const { validateOp } = await import("../../core/contract/mod.ts");
  const r = await validateOp(
    args.contract === undefined ? {} : { contract: args.contract },
    ctx.op,
  );
  const text = validateText(r);
  return { json: r, text, exit: r.input_invalid ? 3 : r.ok ? 0 : 1 };
}
