/**
 * The JSON Schemas keel publishes, generated from the zod schemas (so a
 * compiled binary needs no schema files on disk).
 *
 * @module
 */

import { jsonSchemaOf, type SchemaName, SCHEMAS } from "../schemas/mod.ts";
import { z } from "zod";
import { KeelError } from "./errors.ts";
import { nameParam } from "./param_schemas.ts";
import { parseParams } from "./params.ts";

/** Names of the published schemas. */
export const SCHEMA_NAMES = Object.keys(SCHEMAS) as SchemaName[];

/** One published JSON Schema document (2020-12), with its `$schema` and `$id`. */
export const JsonSchemaDocument = z.looseObject({
  $schema: z.string().describe("The JSON Schema dialect (draft 2020-12)."),
  $id: z.string().describe("urn:keel:schema:<name>:<version>."),
}).describe("A JSON Schema document.");

/** A published JSON Schema document. */
export type JsonSchemaDocument = z.output<typeof JsonSchemaDocument>;

/** Result of `schema/get`: one schema document, or (without a name) every one by name. */
export const SchemaGetResult = z.union([
  JsonSchemaDocument,
  z.strictObject(
    Object.fromEntries(SCHEMA_NAMES.map((n) => [n, JsonSchemaDocument])) as Record<
      SchemaName,
      typeof JsonSchemaDocument
    >,
  ),
]);

/** Result of `schema/get`. */
export type SchemaGetResult = z.output<typeof SchemaGetResult>;

function _document(name: SchemaName): JsonSchemaDocument {
  const doc = jsonSchemaOf(name);
  return { ...doc, $schema: String(doc.$schema), $id: String(doc.$id) };
}

/**
 * One JSON Schema, or all of them keyed by name.
 *
 * @param name A schema name, or undefined for all.
 * @returns The JSON Schema document(s).
 * @throws {KeelError} SCHEMA_NOT_FOUND for an unknown name.
 */
export function getSchemaDocument(name: string | undefined): SchemaGetResult {
  if (name === undefined) {
    return Object.fromEntries(SCHEMA_NAMES.map((n) => [n, _document(n)])) as Record<
      SchemaName,
      JsonSchemaDocument
    >;
  }
  const key = name.replace(/\.schema\.json$|\.json$/, "");
  if (!(SCHEMA_NAMES as string[]).includes(key)) {
    throw new KeelError("SCHEMA_NOT_FOUND", `No schema named "${name}"`, {
      data: { name, available: SCHEMA_NAMES },
    });
  }
  return _document(key as SchemaName);
}

/** Params of {@link schemaGetOp}. */
export const SchemaGetParams = z.strictObject({
  name: nameParam().optional().describe("Schema name, e.g. intent."),
});

/**
 * `keel schema [NAME]` / `schema/get`.
 *
 * @param params `{name?}`.
 * @returns The JSON Schema document(s).
 * @throws {KeelError} USAGE for a blank name; SCHEMA_NOT_FOUND.
 */
export function schemaGetOp(params: z.input<typeof SchemaGetParams>): SchemaGetResult {
  params = parseParams(SchemaGetParams, params);
  return getSchemaDocument(params.name);
}
