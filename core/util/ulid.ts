/**
 * ULIDs (Crockford base32, 48-bit time + 80-bit randomness), monotonic within
 * a process so ids made in the same millisecond still sort in creation order.
 *
 * @module
 */

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** The ULID pattern spec-kitty validates: 26 Crockford characters. */
export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

let _lastTime = -1;
let _lastRandom: number[] = [];

/**
 * A new ULID.
 *
 * @param now Milliseconds since the epoch (defaults to `Date.now()`).
 * @returns A 26-character ULID.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ulid, ULID_PATTERN } from "./ulid.ts";
 * assert(ULID_PATTERN.test(ulid()));
 * ```
 */
export function ulid(now: number = Date.now()): string {
  let random: number[];
  if (now <= _lastTime && _lastRandom.length === 16) {
    random = _increment(_lastRandom);
    now = _lastTime;
  } else {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    random = Array.from(bytes, (b) => b & 31);
  }
  _lastTime = now;
  _lastRandom = random;
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time + random.map((d) => ALPHABET[d]).join("");
}

function _increment(digits: number[]): number[] {
  const next = digits.slice();
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i]! < 31) {
      next[i] = next[i]! + 1;
      return next;
    }
    next[i] = 0;
  }
  return next;
}
