/**
 * `keel validate [--contract NAME]`: schema and semantic checks.
 *
 * @module
 */

import { type CliContext, command, contractOption, type Outcome } from "../define.ts";
import { renderFindings } from "../render.ts";

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
  const head = r.ok
    ? `Contract "${r.contract}" is valid.`
    : `Contract "${r.contract}" has ${r.counts.error} error(s).`;
  const tail =
    `${r.counts.error} error(s), ${r.counts.warning} warning(s), ${r.counts.info} note(s)`;
  const text = [head, renderFindings(r.findings), tail].filter((s) => s !== "").join("\n");
  return { json: r, text, exit: r.input_invalid ? 3 : r.ok ? 0 : 1 };
}
