/**
 * Event lines in the style spec-kitty writes: `json.dumps(event, sort_keys=True)`
 * (keys sorted, `", "` and `": "` separators, non-ASCII escaped).
 *
 * @module
 */

/**
 * Serialise a JSON value the way Python's `json.dumps(v, sort_keys=True)` does.
 *
 * @param value A JSON value.
 * @returns One line, without a newline.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { eventLine } from "./event_line.ts";
 * assert(eventLine({ b: 1, a: [true, null] }) === '{"a": [true, null], "b": 1}');
 * ```
 */
export function eventLine(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return _str(value);
  if (typeof value === "number" || typeof value === "boolean") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(eventLine).join(", ")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${_str(k)}: ${eventLine(obj[k])}`).join(", ")}}`;
}

function _str(s: string): string {
  return JSON.stringify(s).replace(
    /[\u0080-\uffff]/g,
    (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"),
  );
}

/**
 * A timestamp in the form spec-kitty writes (`datetime.isoformat()` in UTC):
 * `2026-05-14T18:19:29.405000+00:00`.
 *
 * @param date The time.
 * @returns The string.
 */
export function eventTimestamp(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000+00:00");
}
