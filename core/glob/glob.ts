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
 * Matching is linear in the path length: globs compile to a state-set
 * automaton (its state sets cached as a lazily built DFA, at most 4,096 of
 * them), never to a backtracking regular expression. A reversed character
 * range (`[z-a]`) is the one invalid form (`GLOB_INVALID`); no dependency is
 * loaded.
 *
 * @module
 */

import { KeelError } from "../errors.ts";

/** A compiled list of globs. */
export type GlobMatcher = (path: string) => boolean;

/**
 * Why a glob cannot be compiled, or `null` when it is valid. The one invalid
 * form is a character range whose ends are reversed (`[z-a]`); everything
 * else that is not glob syntax is literal.
 *
 * @param glob A repo-relative glob.
 * @returns The reason, or `null`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { globProblem } from "./glob.ts";
 * assert.equal(globProblem("src/[a-z].ts"), null);
 * assert.equal(globProblem("src/[z-a].ts"), "character range z-a is reversed");
 * ```
 */
export function globProblem(glob: string): string | null {
  try {
    for (const alt of _expandBraces(glob)) _parse(alt);
    return null;
  } catch (e) {
    if (e instanceof _GlobSyntax) return e.message;
    throw e;
  }
}

/**
 * Compile a list of globs into one matcher (matches when any glob matches).
 * Matching runs a state-set automaton over the path: its time is linear in
 * the path length times the size of the globs, whatever the pattern (no
 * backtracking).
 *
 * @param patterns Normalised repo-relative globs.
 * @returns The matcher; an empty list matches nothing.
 * @throws {KeelError} `GLOB_INVALID` `{pattern, reason}` for an invalid glob.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileGlobs } from "./glob.ts";
 * const m = compileGlobs(["src/**", "README.md"]);
 * assert.equal(m("src/a/b.ts"), true);
 * assert.equal(m("docs/x.md"), false);
 * ```
 */
export function compileGlobs(patterns: readonly string[]): GlobMatcher {
  if (patterns.length === 0) return () => false;
  const literals = new Set<string>();
  const prefixes: string[] = [];
  const nfa = new _Nfa();
  for (const pattern of patterns) {
    if (!/[*?[\\{]/.test(pattern)) {
      literals.add(pattern);
      continue;
    }
    if (pattern.endsWith("/**") && !/[*?[\\{]/.test(pattern.slice(0, -3))) {
      prefixes.push(pattern.slice(0, -3));
      continue;
    }
    for (const alt of _expandBraces(pattern)) {
      let nodes: _Node[];
      try {
        nodes = _parse(alt);
      } catch (e) {
        if (!(e instanceof _GlobSyntax)) throw e;
        throw new KeelError(
          "GLOB_INVALID",
          `Invalid glob ${JSON.stringify(pattern)}: ${e.message}`,
          {
            data: { pattern, reason: e.message },
          },
        );
      }
      nfa.addStart(nfa.seq(nodes, _MATCH));
    }
  }
  const hasNfa = nfa.starts.length > 0;
  return (path: string) => {
    if (literals.has(path)) return true;
    for (const p of prefixes) {
      if (path === p || (path.startsWith(p) && path.charCodeAt(p.length) === 47)) return true;
    }
    return hasNfa && nfa.run(path);
  };
}

/**
 * The regular expression of one glob (anchored at both ends), for callers
 * that need a pattern string. Matching inside keel uses {@link compileGlobs},
 * which does not backtrack.
 *
 * @param glob A repo-relative glob.
 * @returns The expression.
 * @throws {KeelError} `GLOB_INVALID` for an invalid glob.
 */
export function globToRegExp(glob: string): RegExp {
  const problem = globProblem(glob);
  if (problem !== null) {
    throw new KeelError("GLOB_INVALID", `Invalid glob ${JSON.stringify(glob)}: ${problem}`, {
      data: { pattern: glob, reason: problem },
    });
  }
  const alternatives = _expandBraces(glob);
  const body = alternatives.map((g) => _parse(g).map(_nodeSource).join("")).join("|");
  return new RegExp(`^(?:${body})$`, "u");
}

const _MAX_EXPANSIONS = 256;

class _GlobSyntax extends Error {}

/** A set of code points: `neg` inverts it; `/` is never in a class. */
interface _Class {
  readonly neg: boolean;
  readonly singles: readonly number[];
  readonly ranges: readonly (readonly [number, number])[];
}

/** One piece of a compiled glob. */
type _Node =
  | { readonly t: "char"; readonly c: number } // one literal code point
  | { readonly t: "any1" } // one code point but `/`
  | { readonly t: "anyAll" } // one code point, `/` included
  | { readonly t: "class"; readonly cls: _Class } // one code point of the class (never `/`)
  | { readonly t: "star" } // zero or more code points but `/`
  | { readonly t: "starAll" } // zero or more code points, `/` included
  | { readonly t: "opt"; readonly body: readonly _Node[] }; // the body, or nothing

const _SLASH: _Node = { t: "char", c: 47 };

/** Parse one brace-free glob into nodes (picomatch's meaning of each piece). */
function _parse(glob: string): _Node[] {
  const segs = glob.split("/").filter((s, i, all) => !(s === "**" && all[i - 1] === "**"));
  if (segs.length === 1 && segs[0] === "**") return [{ t: "anyAll" }, { t: "starAll" }];
  const out: _Node[] = [];
  segs.forEach((seg, i) => {
    if (seg === "**") {
      // A trailing `/**` also matches the folder itself — unless the segment
      // before it ends in `*` (picomatch's rule: `src/**` matches `src`,
      // `*/**` does not match `src`).
      const before = segs[i - 1] ?? "";
      const required = i === segs.length - 1 && before !== "**" && /(^|[^\\])\*$/.test(before);
      if (i === 0) out.push({ t: "opt", body: [{ t: "starAll" }, _SLASH] });
      else if (required) out.push(_SLASH, { t: "starAll" });
      else out.push({ t: "opt", body: [_SLASH, { t: "starAll" }] });
      return;
    }
    if (i > 0 && !(i === 1 && segs[0] === "**")) out.push(_SLASH);
    _parseSegment(seg, out);
  });
  return out;
}

function _parseSegment(seg: string, out: _Node[]): void {
  const cps = Array.from(seg, (ch) => ch.codePointAt(0)!);
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i]!;
    if (c === 92 /* \\ */ && i + 1 < cps.length) {
      out.push({ t: "char", c: cps[++i]! });
    } else if (c === 42 /* * */) {
      while (cps[i + 1] === 42) i++;
      out.push({ t: "star" });
    } else if (c === 63 /* ? */) {
      out.push({ t: "any1" });
    } else if (c === 91 /* [ */) {
      const close = cps.indexOf(93, i + 2);
      if (close < 0) {
        out.push({ t: "char", c });
        continue;
      }
      let inner = cps.slice(i + 1, close);
      const neg = inner[0] === 94; /* ^ */
      if (neg) inner = inner.slice(1);
      out.push({ t: "class", cls: _parseClass(inner, neg) });
      i = close;
    } else {
      out.push({ t: "char", c });
    }
  }
}

/** Class members are literal code points; `a-z` is a range (a `-` at either end is literal). */
function _parseClass(inner: number[], neg: boolean): _Class {
  const singles: number[] = [];
  const ranges: [number, number][] = [];
  for (let k = 0; k < inner.length; k++) {
    const lo = inner[k]!;
    if (inner[k + 1] === 45 /* - */ && k + 2 < inner.length) {
      const hi = inner[k + 2]!;
      if (hi < lo) {
        throw new _GlobSyntax(
          `character range ${String.fromCodePoint(lo)}-${String.fromCodePoint(hi)} is reversed`,
        );
      }
      ranges.push([lo, hi]);
      k += 2;
    } else {
      singles.push(lo);
    }
  }
  return { neg, singles, ranges };
}

function _inClass(cls: _Class, c: number): boolean {
  if (c === 47) return false;
  let hit = cls.singles.includes(c);
  if (!hit) {
    for (const [lo, hi] of cls.ranges) {
      if (c >= lo && c <= hi) {
        hit = true;
        break;
      }
    }
  }
  return hit !== cls.neg;
}

function _nodeSource(n: _Node): string {
  const esc = (c: number, inClass = false) => {
    const ch = String.fromCodePoint(c);
    return /[.*+?^${}()|[\]\\/]/.test(ch) || (inClass && ch === "-") ? "\\" + ch : ch;
  };
  switch (n.t) {
    case "char":
      return esc(n.c);
    case "any1":
      return "[^/]";
    case "anyAll":
      return "[^]";
    case "class": {
      const body = n.cls.singles.map((c) => esc(c, true)).join("") +
        n.cls.ranges.map(([lo, hi]) => `${esc(lo, true)}-${esc(hi, true)}`).join("");
      return n.cls.neg ? `[^/${body}]` : `[${body}]`;
    }
    case "star":
      return "[^/]*";
    case "starAll":
      return "[^]*";
    case "opt":
      return `(?:${n.body.map(_nodeSource).join("")})?`;
  }
}

const _MATCH = 0;
const _MAX_DFA_STATES = 4096;

/** A set of automaton states, with the transitions from it seen so far. */
interface _DfaState {
  readonly states: readonly number[];
  readonly accept: boolean;
  readonly ascii: (_DfaState | undefined)[];
  readonly other: Map<number, _DfaState>;
}
const _K_MATCH = 0;
const _K_STEP = 1; // consume one code point that passes `test`, go to `a`
const _K_SPLIT = 2; // go to `a` and to `b` without consuming

/**
 * A Thompson automaton: states in parallel arrays; simulation keeps the set
 * of live states, so each code point of the path costs at most one visit per
 * state.
 */
class _Nfa {
  readonly kind: number[] = [_K_MATCH];
  readonly a: number[] = [0];
  readonly b: number[] = [0];
  readonly test: (((c: number) => boolean) | null)[] = [null];
  readonly starts: number[] = [];
  #mark: Int32Array = new Int32Array(0);
  #gen = 0;

  addStart(s: number): void {
    this.starts.push(s);
  }

  #add(kind: number, a: number, b: number, test: ((c: number) => boolean) | null): number {
    this.kind.push(kind);
    this.a.push(a);
    this.b.push(b);
    this.test.push(test);
    return this.kind.length - 1;
  }

  /** States for `nodes` followed by `next`; returns the entry state. */
  seq(nodes: readonly _Node[], next: number): number {
    for (let i = nodes.length - 1; i >= 0; i--) next = this.#node(nodes[i]!, next);
    return next;
  }

  #node(n: _Node, next: number): number {
    switch (n.t) {
      case "char": {
        const want = n.c;
        return this.#add(_K_STEP, next, 0, (c) => c === want);
      }
      case "any1":
        return this.#add(_K_STEP, next, 0, (c) => c !== 47);
      case "anyAll":
        return this.#add(_K_STEP, next, 0, () => true);
      case "class": {
        const cls = n.cls;
        return this.#add(_K_STEP, next, 0, (c) => _inClass(cls, c));
      }
      case "star":
      case "starAll": {
        const split = this.#add(_K_SPLIT, 0, next, null);
        const test = n.t === "star" ? (c: number) => c !== 47 : () => true;
        this.a[split] = this.#add(_K_STEP, split, 0, test);
        return split;
      }
      case "opt": {
        const body = this.seq(n.body, next);
        return this.#add(_K_SPLIT, body, next, null);
      }
    }
  }

  /** Whether the automaton accepts `path`. */
  run(path: string): boolean {
    let d = this.#dfaStart ?? this.#startDfa();
    for (let i = 0; i < path.length; i++) {
      let c = path.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < path.length) {
        const lo = path.charCodeAt(i + 1);
        if (lo >= 0xdc00 && lo <= 0xdfff) {
          c = (c - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000;
          i++;
        }
      }
      const cached = c < 128 ? d.ascii[c] : d.other.get(c);
      d = cached ?? this.#step(d, c);
      if (d.states.length === 0) return false;
    }
    return d.accept;
  }

  // The state sets met so far, each with its transitions as they are first
  // needed (a lazily built DFA): a match costs one lookup per code point once
  // warm, and at most one state-set step (linear in the automaton) when not.
  #dfa = new Map<string, _DfaState>();
  #dfaStart: _DfaState | null = null;

  #startDfa(): _DfaState {
    const n = this.kind.length;
    if (this.#mark.length < n) this.#mark = new Int32Array(n);
    this.#gen++;
    const set: number[] = [];
    for (const s of this.starts) this.#close(s, set);
    this.#dfaStart = this.#intern(set);
    return this.#dfaStart;
  }

  #step(d: _DfaState, c: number): _DfaState {
    if (this.#dfa.size > _MAX_DFA_STATES) {
      // Bounded memory: start over (the walk stays linear, only colder).
      this.#dfa.clear();
      this.#dfaStart = null;
      d = this.#intern(d.states);
    }
    this.#gen++;
    const next: number[] = [];
    for (const s of d.states) {
      if (this.kind[s] === _K_STEP && this.test[s]!(c)) this.#close(this.a[s]!, next);
    }
    const to = this.#intern(next);
    if (c < 128) d.ascii[c] = to;
    else d.other.set(c, to);
    return to;
  }

  #intern(set: readonly number[]): _DfaState {
    const states = set.slice().sort((x, y) => x - y);
    const key = states.join(",");
    let d = this.#dfa.get(key);
    if (d === undefined) {
      d = {
        states,
        accept: states.includes(_MATCH),
        ascii: new Array<_DfaState | undefined>(128),
        other: new Map(),
      };
      this.#dfa.set(key, d);
    }
    return d;
  }

  /** Add `s` and every state reachable from it without consuming. */
  #close(s: number, into: number[]): void {
    const stack = [s];
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (this.#mark[x] === this.#gen) continue;
      this.#mark[x] = this.#gen;
      if (this.kind[x] === _K_SPLIT) {
        stack.push(this.b[x]!, this.a[x]!);
      } else {
        into.push(x);
      }
    }
  }
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
