// deno-lint-ignore-file no-console
/**
 * `deno task arch`: checks that layers point one way.
 *
 * - `core/` and `schemas/` import neither `cli/` nor `rpc/`; `schemas/`
 *   imports nothing from `core/` (schemas are leaves).
 * - `rpc/` never imports `cli/`; `cli/` reaches `rpc/` only where a command
 *   starts a server process (`keel serve`, `keel mcp`: the composition root of
 *   that process), only through `rpc/mod.ts` and only lazily.
 * - `cli/` and `rpc/` reach into a `core/<domain>/` folder only through its
 *   `mod.ts`, or its `params.ts` / `results.ts` (the zod wire schemas of
 *   params and results, kept apart so the CLI does not load zod); a CLI command may also `await import()` the one
 *   `*_op.ts` it runs, so it loads that operation's modules and not the whole
 *   domain.
 * - Inside `core/`, a domain imports another domain only through that
 *   domain's `mod.ts` (or `params.ts` / `results.ts`; any file of a library
 *   domain, {@link LIBRARY_DOMAINS}), and only where {@link DOMAINS}
 *   declares the edge; the domain graph has no cycle, lazy `import()`
 *   included. The loose files at the top of `core/` (`errors.ts`,
 *   `context.ts`, `version.ts`, `schema_registry.ts`) are open to every
 *   domain.
 * - Product code (`core/`, `cli/`, `rpc/`, `schemas/`, `mod.ts`) never
 *   imports `testing/` or `bench/`.
 *
 * Test files (`*_test.ts`) are not checked.
 *
 * @module
 */

import { join, relative } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;
const IMPORT =
  /(?:import|export)\s[^"']*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

/** The commands that start a server process and so may load `rpc/`. */
const SERVER_ROOTS = ["cli/commands/serve.ts", "cli/commands/mcp.ts"];

/** The folders (and files) that are checked. */
const CHECKED = ["core", "schemas", "cli", "rpc", "testing", "bench", "mod.ts"];

/** The name of the loose files at the top of `core/` in {@link DOMAINS}. */
export const CORE_ROOT = ".";

/**
 * The declared domain graph of `core/`: each domain and the domains it may
 * import (through their `mod.ts`). Bottom to top; a new edge is added here on
 * purpose, and a new domain must be listed to be used.
 */
export const DOMAINS: Readonly<Record<string, readonly string[]>> = {
  [CORE_ROOT]: ["util"],
  util: [],
  glob: [],
  git: [],
  store: ["util"],
  layout: ["util"],
  artifact: ["store", "util"],
  mission: ["git", "store", "util"],
  gates: ["git", "mission", "store", "util"],
  lessons: ["glob", "layout", "store", "util"],
  run_store: ["artifact", "layout", "store", "util"],
  status: ["artifact", "layout", "run_store", "util"],
  contract: ["artifact", "git", "glob", "layout", "lessons", "mission", "status", "store", "util"],
  drift: ["glob", "layout", "util"],
  run: ["contract", "drift", "git", "layout", "run_store", "status", "store", "util"],
  guard: ["drift", "git", "layout", "run_store", "store", "util"],
  retro: ["drift", "layout", "lessons", "run_store", "store", "util"],
  trust: ["contract", "gates", "git", "layout", "retro", "run_store", "store", "util"],
  brief: ["contract", "layout", "lessons", "retro", "run_store", "status", "util"],
  doctor: ["contract", "mission", "retro", "run_store", "store"],
  mission_run: ["brief", "contract", "gates", "git", "mission", "run", "store"],
  report: ["contract", "drift", "gates", "layout", "mission", "retro", "run", "store", "trust"],
  text: ["brief", "contract", "gates", "guard", "mission", "mission_run", "retro", "status"],
  pilot: ["git"],
};

/** One layering violation. */
export interface Violation {
  file: string;
  target: string;
  rule: string;
}

/** What {@link findViolations} checks. */
export interface LayerInput {
  /** Repository-relative path → source text; default: the repository's files. */
  files?: ReadonlyMap<string, string>;
  /** The declared domain graph; default {@link DOMAINS}. */
  domains?: Readonly<Record<string, readonly string[]>>;
}

function* _walk(dir: string): Generator<string> {
  for (const e of Deno.readDirSync(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) yield* _walk(p);
    else if (e.name.endsWith(".ts")) yield p;
  }
}

/**
 * The repository's checked source files.
 *
 * @returns Repository-relative path → text.
 */
export function repositoryFiles(): Map<string, string> {
  const out = new Map<string, string>();
  for (const top of CHECKED) {
    const abs = join(ROOT, top);
    let paths: string[];
    try {
      paths = top.endsWith(".ts") ? [abs] : [..._walk(abs)];
    } catch {
      continue;
    }
    for (const p of paths) out.set(relative(ROOT, p), Deno.readTextFileSync(p));
  }
  return out;
}

function _top(path: string): string {
  return path.split("/")[0] ?? "";
}

/** The core domain of a path under `core/` (`.` for the loose top files). */
function _domain(path: string): string {
  const parts = path.split("/");
  return parts.length > 2 ? parts[1]! : CORE_ROOT;
}

/** The files through which a `core/<domain>/` folder is reached from outside. */
const ENTRY_FILES = ["mod.ts", "params.ts", "results.ts"];

/**
 * Library domains: small single-purpose helpers with no domain rules (POSIX
 * paths, the clock, sha256; safe file access, atomic writes, locks). Each of
 * their files is an entry of its own, so a command loads the helpers it uses
 * and not the whole folder (`keel next` loads 26 modules instead of 43).
 */
export const LIBRARY_DOMAINS: readonly string[] = ["util", "store"];

function _isEntry(path: string): boolean {
  const parts = path.split("/");
  if (parts.length !== 3) return false;
  return ENTRY_FILES.includes(parts[2] ?? "") || LIBRARY_DOMAINS.includes(parts[1] ?? "");
}

/**
 * The cycles of a directed graph, each as the path that closes it
 * (`a → b → a` is `["a", "b", "a"]`); one cycle per strongly connected part.
 *
 * @param graph Node → the nodes it points to.
 * @returns The cycles found.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { graphCycles } from "./check_layers.ts";
 * assert.deepEqual(graphCycles({ a: ["b"], b: ["a"], c: ["a"] }), [["a", "b", "a"]]);
 * assert.deepEqual(graphCycles({ a: ["b"], b: [] }), []);
 * ```
 */
export function graphCycles(graph: Readonly<Record<string, readonly string[]>>): string[][] {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const out: string[][] = [];
  const visit = (n: string) => {
    state.set(n, "open");
    stack.push(n);
    for (const m of graph[n] ?? []) {
      if (m === n) continue;
      const s = state.get(m);
      if (s === "open") out.push([...stack.slice(stack.indexOf(m)), m]);
      else if (s === undefined) visit(m);
    }
    stack.pop();
    state.set(n, "done");
  };
  for (const n of Object.keys(graph).sort()) if (!state.has(n)) visit(n);
  return out;
}

/**
 * Find every layering violation.
 *
 * @param input The files and the declared domain graph (default: the repository's).
 * @returns The violations (empty when the layers hold).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findViolations } from "./check_layers.ts";
 * const files = new Map([
 *   ["core/run/start.ts", 'import { layout } from "../contract/layout.ts";'],
 *   ["core/contract/layout.ts", "export const layout = 1;"],
 * ]);
 * const v = findViolations({ files, domains: { run: ["contract"], contract: [] } });
 * assert.deepEqual(v.map((x) => [x.file, x.target]), [["core/run/start.ts", "core/contract/layout.ts"]]);
 * ```
 */
export function findViolations(input: LayerInput = {}): Violation[] {
  const files = input.files ?? repositoryFiles();
  const domains = input.domains ?? DOMAINS;
  const out: Violation[] = [];
  const edges = new Map<string, Set<string>>();
  for (const [file, text] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    if (file.endsWith("_test.ts")) continue;
    const top = file === "mod.ts" ? "mod.ts" : _top(file);
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2]!;
      if (!spec.startsWith(".")) continue;
      const target = join(file, "..", spec);
      // Only real files count: an import line quoted inside a string is not an import.
      if (!files.has(target)) continue;
      const to = _top(target);
      const add = (rule: string) => out.push({ file, target, rule });
      const product = ["core", "schemas", "cli", "rpc", "mod.ts"].includes(top);
      if (product && (to === "testing" || to === "bench")) {
        add(`product code must not import ${to}/`);
      }
      if ((top === "core" || top === "schemas") && (to === "cli" || to === "rpc")) {
        add(`${top}/ must not import ${to}/`);
      }
      if (top === "schemas" && to === "core") add("schemas/ import nothing from core/");
      if (top === "rpc" && to === "cli") add("rpc/ must not import cli/");
      if (top === "cli" && to === "rpc") {
        const lazy = m[2] !== undefined;
        if (!SERVER_ROOTS.includes(file) || target !== "rpc/mod.ts" || !lazy) {
          add("cli/ reaches rpc/ only from serve/mcp, lazily, through rpc/mod.ts");
        }
      }
      if ((top === "cli" || top === "rpc") && to === "core") {
        const parts = target.split("/");
        // A CLI command may load just the operation it runs, lazily.
        const lazyOp = top === "cli" && m[2] !== undefined && parts.length === 3 &&
          (parts[2] ?? "").endsWith("_op.ts");
        if (parts.length > 2 && !_isEntry(target) && !lazyOp) {
          add(
            "reach core/<domain>/ only through its mod.ts (or params.ts / results.ts, its wire schemas; " +
              "or, from cli/ and lazily, the *_op.ts a command runs)",
          );
        }
      }
      if (top === "core" && to === "core") {
        const from = _domain(file);
        const dest = _domain(target);
        if (from === dest || dest === CORE_ROOT) continue;
        const name = from === CORE_ROOT ? "core/*.ts" : `core/${from}/`;
        if (!_isEntry(target)) {
          add(`${name} reaches core/${dest}/ only through its mod.ts (or params.ts / results.ts)`);
        }
        const allowed = domains[from];
        if (allowed === undefined) add(`${name} is not a declared domain (DOMAINS)`);
        else if (!allowed.includes(dest)) {
          add(`${name} may not import core/${dest}/ (not declared in DOMAINS)`);
        }
        if (!edges.has(from)) edges.set(from, new Set());
        edges.get(from)!.add(dest);
      }
    }
  }
  const graph = Object.fromEntries([...edges].map(([k, v]) => [k, [...v].sort()]));
  for (const c of graphCycles(graph)) {
    out.push({ file: `core/${c[0]}/`, target: `core/${c[1]}/`, rule: `cycle: ${c.join(" → ")}` });
  }
  for (const c of graphCycles(domains)) {
    out.push({ file: "DOMAINS", target: c[0]!, rule: `declared cycle: ${c.join(" → ")}` });
  }
  return out;
}

if (import.meta.main) {
  const v = findViolations();
  for (const x of v) console.error(`${x.file} → ${x.target}: ${x.rule}`);
  if (v.length > 0) Deno.exit(1);
  console.log("layers ok");
}
