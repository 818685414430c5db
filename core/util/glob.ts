/**
 * Glob matching of repo-relative POSIX paths (picomatch semantics, dotfiles
 * included). A list of patterns is an OR.
 *
 * @module
 */

// @ts-types="npm:@types/picomatch@^4"
import picomatch from "picomatch";

/** A compiled list of globs. */
export type GlobMatcher = (path: string) => boolean;

/**
 * Compile a list of globs into one matcher (matches when any glob matches).
 *
 * @param patterns Normalised repo-relative globs.
 * @returns The matcher; an empty list matches nothing.
 *
 * @example
 * ```ts
 * import { compileGlobs } from "./glob.ts";
 * const m = compileGlobs(["src/**", "README.md"]);
 * console.assert(m("src/a/b.ts") && !m("docs/x.md"));
 * ```
 */
export function compileGlobs(patterns: readonly string[]): GlobMatcher {
  if (patterns.length === 0) return () => false;
  const fns = patterns.map((p) => picomatch(p, { dot: true }));
  return (path: string) => fns.some((f) => f(path));
}

/**
 * Whether glob `inner` is covered by the globs of `outer`: every path `inner`
 * can match is matched by some glob of `outer`. Decided conservatively:
 * `inner` is covered when it equals an outer glob, when an outer glob matches
 * the text of `inner` itself (so `src/**` covers `src/*.ts`), or when an outer
 * `prefix/**` covers `inner`'s literal directory prefix.
 *
 * @param inner A glob.
 * @param outer Globs.
 * @returns Whether `inner` is covered.
 */
export function globCoveredBy(inner: string, outer: readonly string[]): boolean {
  if (outer.includes(inner)) return true;
  if (compileGlobs(outer)(inner)) return true;
  const literalPrefix = _literalPrefix(inner);
  return outer.some((o) => {
    if (!o.endsWith("/**")) return false;
    const base = o.slice(0, -3);
    return !/[*?[\]{}()!]/.test(base) && literalPrefix.startsWith(base + "/");
  });
}

/**
 * Whether two globs can match a common path (conservative: true when either
 * matches the other's text, or their literal prefixes nest).
 *
 * @param a A glob.
 * @param b A glob.
 * @returns Whether they may overlap.
 */
export function globsOverlap(a: string, b: string): boolean {
  if (a === b) return true;
  if (compileGlobs([a])(b) || compileGlobs([b])(a)) return true;
  const pa = _literalPrefix(a);
  const pb = _literalPrefix(b);
  const aIsGlob = pa !== a;
  const bIsGlob = pb !== b;
  if (aIsGlob && bIsGlob) return pa.startsWith(pb) || pb.startsWith(pa);
  return false;
}

function _literalPrefix(glob: string): string {
  const i = glob.search(/[*?[\]{}()!]/);
  return i < 0 ? glob : glob.slice(0, i);
}
