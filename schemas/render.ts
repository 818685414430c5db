/**
 * Renders the JSON Schema files committed under `schemas/`.
 *
 * @module
 */

import { jsonSchemaOf, type SchemaName, SCHEMAS } from "./mod.ts";

/** An error-code registry: code → its one-line doc and exit code (`core/errors.ts`). */
export type ErrorRegistry = Readonly<
  Record<string, { readonly doc: string; readonly exit: number }>
>;

/**
 * The content of every `schemas/*.schema.json` file, by file name.
 *
 * @param errors The error-code registry (passed in: schemas import nothing from core).
 * @returns File name → text (pretty JSON with a trailing newline).
 */
export function renderSchemaFiles(errors: ErrorRegistry): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(SCHEMAS) as SchemaName[]) {
    out[`${name}.schema.json`] = JSON.stringify(jsonSchemaOf(name), null, 2) + "\n";
  }
  out["errors.schema.json"] = JSON.stringify(errorsSchema(errors), null, 2) + "\n";
  return out;
}

/**
 * The JSON Schema of keel's error document (`--json` errors, RPC error data).
 *
 * @param errors The error-code registry.
 * @returns A JSON Schema 2020-12 document.
 */
export function errorsSchema(errors: ErrorRegistry): Record<string, unknown> {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "urn:keel:schema:errors:1",
    title: "keel error",
    type: "object",
    properties: {
      error: {
        type: "object",
        properties: {
          code: {
            enum: Object.keys(errors),
            description: "Stable error code.",
          },
          message: { type: "string" },
          data: { type: "object" },
        },
        required: ["code", "message", "data"],
        additionalProperties: false,
      },
    },
    required: ["error"],
    additionalProperties: false,
    $defs: Object.fromEntries(
      Object.entries(errors).map(([code, info]) => [code, {
        description: info.doc,
        "x-exit-code": info.exit,
      }]),
    ),
  };
}
