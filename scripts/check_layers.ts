// deno-lint-ignore-file no-console
/**
 * `deno task arch`: checks that layers point one way. `core/` and
 * `schemas/` import neither `cli/` nor `rpc/`; `rpc/` never imports `cli/`;
 * `cli/` reaches `rpc/` only where a command starts a server process
 * (`keel serve`, `keel mcp`: the composition root of that process), only
 * through `rpc/mod.ts` and only lazily; `cli/` and `rpc/` reach into a
 * `core/<domain>/` folder only through its `mod.ts`, or its `params.ts` (the
 * zod wire schemas, kept apart so the CLI does not load zod); a CLI command
 * may also `await import()` the one `*_op.ts` it runs, so it loads that
 * operation's modules and not the whole domain.
 *
 * @module
 */

import { join, relative } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;
const IMPORT =
  /(?:import|export)\s[^"']*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

/** The commands that start a server process and so may load `rpc/`. */
const SERVER_ROOTS = ["cli/commands/serve.ts", "cli/commands/mcp.ts"];

/** One layering violation. */
export interface Violation {
  file: string;
  target: string;
  rule: string;
}

function* _walk(dir: string): Generator<string> {
  for (const e of Deno.readDirSync(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) yield* _walk(p);
    else if (e.name.endsWith(".ts")) yield p;
  }
}

function _top(path: string): string {
  return path.split("/")[0] ?? "";
}

/**
 * Find every layering violation under the repository.
 *
 * @returns The violations.
 */
export function findViolations(): Violation[] {
  const out: Violation[] = [];
  for (const top of ["core", "schemas", "cli", "rpc"]) {
    let files: string[];
    try {
      files = [..._walk(join(ROOT, top))];
    } catch {
      continue;
    }
    for (const abs of files) {
      const file = relative(ROOT, abs);
      if (file.endsWith("_test.ts")) continue;
      const text = Deno.readTextFileSync(abs);
      for (const m of text.matchAll(IMPORT)) {
        const spec = m[1] ?? m[2]!;
        if (!spec.startsWith(".")) continue;
        const target = relative(ROOT, join(abs, "..", spec));
        const to = _top(target);
        if ((top === "core" || top === "schemas") && (to === "cli" || to === "rpc")) {
          out.push({ file, target, rule: `${top}/ must not import ${to}/` });
        }
        if (top === "rpc" && to === "cli") {
          out.push({ file, target, rule: "rpc/ must not import cli/" });
        }
        if (top === "cli" && to === "rpc") {
          const lazy = m[2] !== undefined;
          if (!SERVER_ROOTS.includes(file) || target !== "rpc/mod.ts" || !lazy) {
            out.push({
              file,
              target,
              rule: "cli/ reaches rpc/ only from serve/mcp, lazily, through rpc/mod.ts",
            });
          }
        }
        if ((top === "cli" || top === "rpc") && to === "core") {
          const parts = target.split("/");
          const entry = parts[2] ?? "";
          // A CLI command may load just the operation it runs, lazily.
          const lazyOp = top === "cli" && m[2] !== undefined && parts.length === 3 &&
            entry.endsWith("_op.ts");
          if (parts.length > 2 && entry !== "mod.ts" && entry !== "params.ts" && !lazyOp) {
            out.push({
              file,
              target,
              rule:
                "reach core/<domain>/ only through its mod.ts (or params.ts, its wire schemas; " +
                "or, from cli/ and lazily, the *_op.ts a command runs)",
            });
          }
        }
      }
    }
  }
  return out;
}

if (import.meta.main) {
  const v = findViolations();
  for (const x of v) console.error(`${x.file} → ${x.target}: ${x.rule}`);
  if (v.length > 0) Deno.exit(1);
  console.log("layers ok");
}
