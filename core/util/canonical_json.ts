/**
 * Canonical JSON (keys sorted by code point at every level, no whitespace)
 * and its sha256 digest, the basis of approval digests.
 *
 * @module
 */

/**
 * Serialise a JSON value canonically.
 *
 * @param value A JSON value (objects, arrays, strings, finite numbers, booleans, null).
 * @returns The canonical text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { canonicalJson } from "./canonical_json.ts";
 * assert(canonicalJson({ b: 1, a: [true, null] }) === '{"a":[true,null],"b":1}');
 * ```
 */
export function canonicalJson(value: unknown): string {
  // One output array for the whole value: a run report of 5,000 paths is
  // about 1 MB of canonical text, and per-level map/join built every
  // substring twice.
  const out: string[] = [];
  _write(value, out);
  return out.join("");
}

/**
 * `canonicalJson(JSON.parse(JSON.stringify(value)))` — the canonical text of
 * a value as it reads back from disk — in one native `JSON.stringify` pass
 * with a key-sorting replacer, several times faster on a large run report.
 * An object with an array-index key (`"0"`, `"17"`) is laid out by V8 with
 * those keys first whatever the insertion order, so such a value takes the
 * two-step path instead; the text is the same either way.
 *
 * @param value A JSON-serialisable value (not `undefined`).
 * @returns The canonical text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { canonicalJsonOfStored } from "./canonical_json.ts";
 * assert.equal(canonicalJsonOfStored({ b: undefined, a: [1, undefined] }), '{"a":[1,null]}');
 * ```
 */
export function canonicalJsonOfStored(value: unknown): string {
  try {
    return JSON.stringify(value, _sortKeys);
  } catch (error) {
    if (error !== _INDEX_KEY) throw error;
    return canonicalJson(JSON.parse(JSON.stringify(value)));
  }
}

const _INDEX_KEY = Symbol("index key");
const _INDEX = /^(?:0|[1-9][0-9]*)$/;

function _sortKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const src = value as Record<string, unknown>;
  const keys = Object.keys(src).sort();
  // No prototype: a "__proto__" key stays an own property, as JSON.parse makes it.
  const out: Record<string, unknown> = Object.create(null);
  for (const k of keys) {
    if (_INDEX.test(k)) throw _INDEX_KEY;
    out[k] = src[k];
  }
  return out;
}

function _write(value: unknown, out: string[]): void {
  if (value === null || typeof value !== "object") {
    out.push(value === undefined ? "null" : JSON.stringify(value));
    return;
  }
  if (Array.isArray(value)) {
    out.push("[");
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(",");
      _write(value[i], out);
    }
    out.push("]");
    return;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let sep = "{";
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    out.push(sep, JSON.stringify(k), ":");
    sep = ",";
    _write(v, out);
  }
  out.push(sep === "{" ? "{}" : "}");
}

/**
 * sha256 of a string, as `sha256:<hex>`.
 *
 * @param text Input text (UTF-8).
 * @returns The digest.
 */
export async function sha256Hex(text: string): Promise<string> {
  const buf = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");
}
