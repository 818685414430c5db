/**
 * `keel schema [NAME]`: print the JSON Schemas keel's artifacts follow.
 *
 * @module
 */

import { message } from "@optique/core/message";
import { optional } from "@optique/core/modifiers";
import { argument, command } from "@optique/core/primitives";
import { string } from "@optique/core/valueparser";
import { type CliContext, commandObject, ok, type Outcome } from "../define.ts";

/** The `cmd` tag. */
export const tag = "schema";

/** The parser. */
export const parser = command(
  "schema",
  commandObject(tag, {
    name: optional(argument(string({ metavar: "NAME" }))),
  }),
  { brief: message`Print the JSON Schema of an artifact (all when NAME is omitted).` },
);

/**
 * Run the command.
 *
 * @param args Parsed arguments.
 * @param _ctx The CLI context.
 * @returns The schema(s).
 */
export async function run(args: { name: string | undefined }, _ctx: CliContext): Promise<Outcome> {
  const { getSchemaDocument } = await import("../../core/schema_registry.ts");
  const doc = getSchemaDocument(args.name);
  return ok(doc, JSON.stringify(doc, null, 2));
}
