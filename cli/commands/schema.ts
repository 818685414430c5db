/**
 * `keel schema [NAME]`: print the JSON Schemas keel's artifacts follow.
 *
 * @module
 */

import { type CliContext, command, ok, optionalArg, type Outcome } from "../define.ts";

/** The `cmd` tag. */
export const tag = "schema";

/** The parser. */
export const parser = command(
  "schema",
  "Print the JSON Schema of an artifact (all when NAME is omitted).",
  {
    name: optionalArg(
      "NAME",
      "intent, test_contract, commit_plan, approval, run_report or trust_metrics.",
    ),
  },
);

/**
 * Run the command.
 *
 * @param args Parsed arguments.
 * @param _ctx The CLI context.
 * @returns The schema(s).
 */
export async function run(args: { name: string | undefined }, _ctx: CliContext): Promise<Outcome> {
  const { schemaGetOp } = await import("../../core/schema_registry.ts");
  const doc = schemaGetOp(args.name === undefined ? {} : { name: args.name });
  return ok(doc, JSON.stringify(doc, null, 2));
}
