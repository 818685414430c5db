/**
 * The contract name of a spec-kitty WP (`<mission>-<wp>`).
 *
 * @module
 */

/**
 * The default contract name of a WP: `<mission>-<wp>` in lower case, other
 * characters than letters, digits, `.`, `_`, `-` replaced by `-`; a long
 * mission slug is shortened so the `-<wp>` suffix is kept (64 characters).
 *
 * @param slug The mission slug.
 * @param wpId The WP id.
 * @returns The name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultContractNameForWp } from "./wp_names.ts";
 * assert.equal(defaultContractNameForWp("My-Mission-01KQH03Y", "WP02"), "my-mission-01kqh03y-wp02");
 * assert.equal(defaultContractNameForWp("m".repeat(80), "WP02"), "m".repeat(59) + "-wp02");
 * ```
 */
export function defaultContractNameForWp(slug: string, wpId: string): string {
  const clean = (t: string) => t.toLowerCase().replace(/[^a-z0-9._-]/g, "-");
  const suffix = `-${clean(wpId)}`.slice(0, 32);
  return (clean(slug).slice(0, 64 - suffix.length) + suffix).replace(/^[^a-z0-9]+/, "");
}

/**
 * The contract name of a WP (see {@link defaultContractNameForWp}).
 *
 * @param slug The mission slug.
 * @param wpId The WP id.
 * @returns The name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wpContractName } from "./wp_names.ts";
 * assert.equal(wpContractName("demo-01KTESTA", "WP02"), "demo-01ktesta-wp02");
 * ```
 */
export function wpContractName(slug: string, wpId: string): string {
  return defaultContractNameForWp(slug, wpId);
}
