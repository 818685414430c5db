/**
 * Read an artifact from disk: JSON with line and column on syntax errors,
 * then its zod schema with every failing JSON path.
 *
 * @module
 */

import type { z } from "zod";
import type { ArtifactReadCode } from "../../schemas/codes.ts";
import { KeelError } from "../errors.ts";
import { safeReadTextFile } from "../store/mod.ts";

/** A schema problem at a JSON path. */
export interface SchemaIssue {
  /** JSON path, e.g. `$.units[2].files[0]`. */
  path: string;
  /** What is wrong. */
  message: string;
}

/**
 * Why an artifact could not be read: a KeelError whose code is one of
 * `ARTIFACT_READ_CODE_NAMES` (so `keel validate` can report it as a finding).
 */
export type ArtifactReadError = KeelError & { readonly code: ArtifactReadCode };

/** The result of reading an artifact without throwing. */
export type ArtifactRead<T> =
  | { ok: true; value: T; raw: unknown; text: string }
  | { ok: false; error: ArtifactReadError };

/** An artifact's JSON as read from disk, before its schema is applied. */
export type ArtifactJson =
  | { ok: true; raw: unknown; text: string }
  | { ok: false; error: ArtifactReadError };

function _readError(
  code: ArtifactReadCode,
  message: string,
  data: Record<string, unknown>,
): ArtifactReadError {
  return new KeelError(code, message, { data }) as ArtifactReadError;
}

/**
 * How many times each schema was used by {@link applyArtifactSchema} in this process.
 * zod compiles a fast path for an object schema on its first parse (about
 * 15 ms for the run report schema, more than the parse it speeds up); a
 * one-shot CLI process parses each artifact once or twice, so the first two
 * parses of a schema run without it and only a long-lived process (`keel
 * serve`) compiles it. The result is the same either way.
 */
const _uses = new WeakMap<z.ZodType, number>();

function _parseContext(schema: z.ZodType): { jitless: boolean } {
  const n = (_uses.get(schema) ?? 0) + 1;
  _uses.set(schema, n);
  return { jitless: n <= 2 };
}

/**
 * Read and parse a JSON artifact without applying its schema (no zod is
 * loaded): the first half of {@link readArtifact}, shared with readers that
 * decide for themselves whether the schema must run (`keel status`).
 *
 * @param path Absolute path.
 * @param options `display`: the path to show in messages (repo-relative).
 * @returns The parsed JSON or the error (ARTIFACT_NOT_FOUND, ARTIFACT_INVALID_JSON,
 *   ARTIFACT_DUPLICATE_KEY).
 * @throws {KeelError} a refused path (symlink, special file, too large), as `safeReadTextFile`.
 */
export async function readArtifactJson(
  path: string,
  options: { display?: string } = {},
): Promise<ArtifactJson> {
  const shown = options.display ?? path;
  let text: string;
  try {
    text = await safeReadTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return {
        ok: false,
        error: _readError("ARTIFACT_NOT_FOUND", `Cannot read ${shown}: no such file`, {
          path: shown,
        }),
      };
    }
    throw error;
  }
  const parsed = parseJsonWithPosition(text);
  if (!parsed.ok && parsed.duplicateKey !== undefined) {
    return {
      ok: false,
      error: _readError(
        "ARTIFACT_DUPLICATE_KEY",
        `${shown} repeats the key ${
          JSON.stringify(parsed.duplicateKey)
        } at line ${parsed.line}, column ${parsed.column}: one artifact must have one meaning`,
        { path: shown, key: parsed.duplicateKey, line: parsed.line, column: parsed.column },
      ),
    };
  }
  if (!parsed.ok) {
    return {
      ok: false,
      error: _readError(
        "ARTIFACT_INVALID_JSON",
        `Cannot parse ${shown}: ${parsed.reason} at line ${parsed.line}, column ${parsed.column}`,
        { path: shown, line: parsed.line, column: parsed.column, reason: parsed.reason },
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
  const result = schema.safeParse(json.raw, _parseContext(schema));
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({
      path: jsonPath(i.path),
      message: i.message,
    }));
    return {
      ok: false,
      error: _readError(
        "ARTIFACT_SCHEMA_INVALID",
        `${shown} does not match its schema: ` +
          issues.map((i) => `${i.path}: ${i.message}`).join("; "),
        { path: shown, issues },
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
 * @throws {KeelError} ARTIFACT_NOT_FOUND, ARTIFACT_INVALID_JSON, ARTIFACT_DUPLICATE_KEY,
 *   ARTIFACT_SCHEMA_INVALID.
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
 * JSON.parse with the 1-based line and column of a syntax error. A leading
 * UTF-8 byte order mark is ignored; a key repeated in one object is refused
 * (`duplicateKey` set), since `JSON.parse` would silently keep the last one
 * and a digest must bind one meaning.
 *
 * @param text JSON text.
 * @returns The value, or where and why parsing failed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseJsonWithPosition } from "./load_artifact.ts";
 * assert.deepEqual(parseJsonWithPosition('\uFEFF{"a": 1}'), { ok: true, value: { a: 1 } });
 * const r = parseJsonWithPosition('{\n  "a": 1,\n  "a": 2\n}');
 * assert.deepEqual(r, { ok: false, line: 3, column: 3, reason: 'duplicate key "a"', duplicateKey: "a" });
 * ```
 */
export function parseJsonWithPosition(
  text: string,
):
  | { ok: true; value: unknown }
  | { ok: false; line: number; column: number; reason: string; duplicateKey?: string } {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    const value = JSON.parse(text);
    const dup = findDuplicateKey(text);
    if (dup !== null) {
      return {
        ok: false,
        line: dup.line,
        column: dup.column,
        reason: `duplicate key ${JSON.stringify(dup.key)}`,
        duplicateKey: dup.key,
      };
    }
    return { ok: true, value };
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
 * The first key repeated within one object of valid JSON text, with its
 * 1-based line and column (one linear pass over the tokens).
 *
 * @param text Valid JSON text.
 * @returns The key and where it is repeated, or `null`.
 */
export function findDuplicateKey(
  text: string,
): { key: string; line: number; column: number } | null {
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      line++;
      lineStart = i + 1;
    } else if (c === 0x7b /* { */) {
      stack.push(new Set());
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      stack.push(null);
      expectKey = false;
    } else if (c === 0x7d || c === 0x5d /* } ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      expectKey = stack.length > 0 && stack[stack.length - 1] !== null;
    } else if (c === 0x22 /* " */) {
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) !== 0x22) {
        j += text.charCodeAt(j) === 0x5c ? 2 : 1;
      }
      if (expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        const keys = stack[stack.length - 1]!;
        if (keys.has(key)) return { key, line, column: i - lineStart + 1 };
        keys.add(key);
        expectKey = false;
      }
      i = j;
    }
  }
  return null;
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
