/**
 * Glob matching of repo-relative POSIX paths, dotfiles included. A list of
 * patterns is an OR. The syntax is the common glob core, with picomatch's
 * meaning for each piece (a property test holds the two to the same answers):
 *
 * - `*` any characters but `/`; `?` one character but `/`;
 * - `**` as a whole segment: zero or more segments (`src/**` matches `src`
 *   and everything below it; `**` elsewhere in a segment is `*`);
 * - `[abc]`, `[a-z]`, `[^abc]` character classes; `{a,b}` alternatives;
 * - `\x` matches `x` literally; everything else is literal.
 *
 * Compiled to one regular expression per pattern; no dependency is loaded.
 *
 * @module
 */

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
 * import assert from "node:assert/strict";
 * import { compileGlobs } from "./glob.ts";
 * const m = compileGlobs(["src/**", "README.md"]);
 * assert(m("src/a/b.ts") && !m("docs/x.md"));
 * ```
 */
export function compileGlobs(patterns: readonly string[]): GlobMatcher {
  if (patterns.length === 0) return () => false;
  const res = patterns.map((p) => globToRegExp(p));
  return (path: string) => res.some((re) => re.test(path));
}

const _MAX_EXPANSIONS = 256;

/**
 * The regular expression of one glob (anchored at both ends).
 *
 * @param glob A repo-relative glob.
 * @returns The expression.
 */
export function globToRegExp(glob: string): RegExp {
  const alternatives = _expandBraces(glob);
  const body = alternatives.map(_compileExpanded).join("|");
  return new RegExp(`^(?:${body})$`, "u");
}

function _compileExpanded(glob: string): string {
  const segs = glob.split("/").filter((s, i, all) => !(s === "**" && all[i - 1] === "**"));
  if (segs.length === 1 && segs[0] === "**") return "[^]+";
  let re = "";
  segs.forEach((seg, i) => {
    if (seg === "**") {
      // A trailing `/**` also matches the folder itself — unless the segment
      // before it ends in `*` (picomatch's rule: `src/**` matches `src`,
      // `*/**` does not match `src`).
      const before = segs[i - 1] ?? "";
      const required = i === segs.length - 1 && before !== "**" && /(^|[^\\])\*$/.test(before);
      re += i === 0 ? "(?:[^]*/)?" : required ? "/[^]*" : "(?:/[^]*)?";
      return;
    }
    if (i > 0 && !(i === 1 && segs[0] === "**")) re += "/";
    re += _compileSegment(seg);
  });
  return re;
}

function _compileSegment(seg: string): string {
  let re = "";
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === "\\" && i + 1 < seg.length) {
      re += _escape(seg[++i]!);
    } else if (c === "*") {
      while (seg[i + 1] === "*") i++;
      re += "[^/]*";
    } else if (c === "?") {
      re += "[^/]";
    } else if (c === "[") {
      const close = seg.indexOf("]", i + 2);
      if (close < 0) {
        re += "\\[";
        continue;
      }
      let inner = seg.slice(i + 1, close);
      const negate = inner.startsWith("^");
      if (negate) inner = inner.slice(1);
      const cls = inner.replace(/[\\\]\[^]/g, (x) => "\\" + x);
      re += negate ? `[^/${cls}]` : `[${cls}]`;
      i = close;
    } else {
      re += _escape(c);
    }
  }
  return re;
}

function _escape(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? "\\" + c : c;
}

/** Expand `{a,b}` alternatives (nested too); a brace with no comma is literal. */
function _expandBraces(glob: string): string[] {
  let out = [glob];
  for (let guard = 0; guard < 32; guard++) {
    let changed = false;
    const next: string[] = [];
    for (const g of out) {
      const b = _firstBrace(g);
      if (b === null) {
        next.push(g);
        continue;
      }
      changed = true;
      for (const alt of b.alternatives) next.push(g.slice(0, b.start) + alt + g.slice(b.end + 1));
      if (next.length > _MAX_EXPANSIONS) return [glob];
    }
    out = next;
    if (!changed) break;
  }
  return out;
}

function _firstBrace(g: string): { start: number; end: number; alternatives: string[] } | null {
  for (let i = 0; i < g.length; i++) {
    if (g[i] === "\\") {
      i++;
      continue;
    }
    if (g[i] !== "{") continue;
    let depth = 0;
    const commas: number[] = [];
    for (let j = i; j < g.length; j++) {
      const c = g[j];
      if (c === "\\") {
        j++;
        continue;
      }
      if (c === "{") depth++;
      else if (c === "}") {
        depth--;
        if (depth === 0) {
          if (commas.length === 0) break;
          const cuts = [i, ...commas, j];
          const alternatives = cuts.slice(0, -1).map((c0, k) => g.slice(c0 + 1, cuts[k + 1]));
          return { start: i, end: j, alternatives };
        }
      } else if (c === "," && depth === 1) commas.push(j);
    }
  }
  return null;
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
