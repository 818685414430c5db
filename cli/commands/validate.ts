/**
 * `keel validate [--contract NAME]`: schema and semantic checks.
 *
 * @module
 */

import { message } from "@optique/core/message";
import { optional } from "@optique/core/modifiers";
import { command, option } from "@optique/core/primitives";
import { string } from "@optique/core/valueparser";
import { validateText } from "../../core/text/mod.ts";
import { type CliContext, commandObject, type Outcome } from "../define.ts";

/** The `cmd` tag. */
export const tag = "validate";

/** `--contract NAME`, shared by the contract commands. */
export function contractOption() {
  return optional(
    option("--contract", string({ metavar: "NAME" }), {
      description: message`Contract name (default: default).`,
    }),
  );
}

/** The parser. */
export const parser = command(
  "validate",
  commandObject(tag, { contract: contractOption() }),
  { brief: message`Check the contract's three artifacts (schema, scope, ids, cycles, tests).` },
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
