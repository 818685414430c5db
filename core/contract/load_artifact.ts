/**
 * Read an artifact from disk: JSON with line and column on syntax errors,
 * then its zod schema with every failing JSON path.
 *
 * @module
 */

import type { z } from "zod";
import { KeelError } from "../errors.ts";

/** A schema problem at a JSON path. */
export interface SchemaIssue {
  /** JSON path, e.g. `$.units[2].files[0]`. */
  path: string;
  /** What is wrong. */
  message: string;
}

/** The result of reading an artifact without throwing. */
export type ArtifactRead<T> =
  | { ok: true; value: T; raw: unknown; text: string }
  | { ok: false; error: KeelError };

/** An artifact's JSON as read from disk, before its schema is applied. */
export type ArtifactJson =
  | { ok: true; raw: unknown; text: string }
  | { ok: false; error: KeelError };

/**
 * Read and parse a JSON artifact without applying its schema (no zod is
 * loaded): the first half of {@link readArtifact}, shared with readers that
 * decide for themselves whether the schema must run (`keel status`).
 *
 * @param path Absolute path.
 * @param options `display`: the path to show in messages (repo-relative).
 * @returns The parsed JSON or the error (ARTIFACT_NOT_FOUND, ARTIFACT_INVALID_JSON).
 */
export async function readArtifactJson(
  path: string,
  options: { display?: string } = {},
): Promise<ArtifactJson> {
  const shown = options.display ?? path;
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return {
        ok: false,
        error: new KeelError("ARTIFACT_NOT_FOUND", `Cannot read ${shown}: no such file`, {
          data: { path: shown },
        }),
      };
    }
    throw error;
  }
  const parsed = parseJsonWithPosition(text);
  if (!parsed.ok) {
    return {
      ok: false,
      error: new KeelError(
        "ARTIFACT_INVALID_JSON",
        `Cannot parse ${shown}: ${parsed.reason} at line ${parsed.line}, column ${parsed.column}`,
        { data: { path: shown, line: parsed.line, column: parsed.column, reason: parsed.reason } },
      ),
    };
  }
  return { ok: true, raw: parsed.value, text };
}

/**
 * Apply an artifact's zod schema to JSON read by {@link readArtifactJson}:
 * the second half of {@link readArtifact}.
 *
 * @param json The parsed JSON.
 * @param schema The zod schema.
 * @param options `display`: the path to show in messages (repo-relative).
 * @returns The parsed artifact or ARTIFACT_SCHEMA_INVALID with every failing JSON path.
 */
export function applyArtifactSchema<S extends z.ZodType>(
  json: { raw: unknown; text: string },
  schema: S,
  options: { display: string },
): ArtifactRead<z.infer<S>> {
  const shown = options.display;
  const result = schema.safeParse(json.raw);
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({
      path: jsonPath(i.path),
      message: i.message,
    }));
    return {
      ok: false,
      error: new KeelError(
        "ARTIFACT_SCHEMA_INVALID",
        `${shown} does not match its schema: ` +
          issues.map((i) => `${i.path}: ${i.message}`).join("; "),
        { data: { path: shown, issues } },
      ),
    };
  }
  return { ok: true, value: result.data, raw: json.raw, text: json.text };
}

/**
 * Read and validate a JSON artifact, returning problems as a KeelError value.
 *
 * @param path Absolute path.
 * @param schema The zod schema.
 * @param options `display`: the path to show in messages (repo-relative).
 * @returns The parsed artifact or the error.
 */
export async function readArtifact<S extends z.ZodType>(
  path: string,
  schema: S,
  options: { display?: string } = {},
): Promise<ArtifactRead<z.infer<S>>> {
  const json = await readArtifactJson(path, options);
  if (!json.ok) return json;
  return applyArtifactSchema(json, schema, { display: options.display ?? path });
}

/**
 * Read an artifact or throw its KeelError.
 *
 * @param path Absolute path.
 * @param schema The zod schema.
 * @param options `display`: the path shown in messages.
 * @returns The parsed artifact.
 * @throws {KeelError} ARTIFACT_NOT_FOUND, ARTIFACT_INVALID_JSON, ARTIFACT_SCHEMA_INVALID.
 */
export async function loadArtifact<S extends z.ZodType>(
  path: string,
  schema: S,
  options: { display?: string } = {},
): Promise<z.infer<S>> {
  const r = await readArtifact(path, schema, options);
  if (!r.ok) throw r.error;
  return r.value;
}

/**
 * JSON.parse with the 1-based line and column of a syntax error.
 *
 * @param text JSON text.
 * @returns The value, or where and why parsing failed.
 */
export function parseJsonWithPosition(
  text: string,
): { ok: true; value: unknown } | { ok: false; line: number; column: number; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = (error as Error).message;
    let pos = text.length;
    const m = /position (\d+)/.exec(message);
    if (m) pos = Number(m[1]);
    const before = text.slice(0, pos);
    const line = before.split("\n").length;
    const column = pos - before.lastIndexOf("\n");
    const reason = message.replace(/ in JSON at position \d+.*$/, "").replace(/\s*\(line.*$/, "");
    return { ok: false, line, column, reason };
  }
}

/**
 * A zod issue path as a JSON path (`$.a[0].b`).
 *
 * @param path Path segments.
 * @returns The JSON path.
 */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = "$";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (typeof seg === "string" && /^[A-Za-z_$][\w$]*$/.test(seg)) out += `.${seg}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}
