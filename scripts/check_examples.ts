// deno-lint-ignore-file no-console
/**
 * `deno run --allow-read scripts/check_examples.ts` (and
 * `tests/doc_examples_test.ts`): every `@example` code block in keel's sources
 * must assert something with `node:assert/strict` (`deno test --doc` runs
 * them; an example that only prints — the console's `assert` — can never fail
 * and so documents nothing).
 *
 * @module
 */

import { join, relative } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;

/** An example block that cannot fail. */
export interface WeakExample {
  /** Repository-relative file. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** Why it is refused. */
  reason: string;
}

const FENCE_OPEN = /^\s*\*\s*```(?:ts|typescript|js|javascript)\s*$/;
const FENCE_CLOSE = /^\s*\*\s*```\s*$/;
/** The console's assert: it prints on failure and never throws. */
const PRINT_ONLY = /\bconsole\s*\.\s*assert\s*\(/;
const ASSERT_IMPORT = /from\s+["']node:assert(?:\/strict)?["']/;
const ASSERT_CALL = /\b(?:assert(?:\.\w+)?|ok|equal|deepEqual|strictEqual|match|throws|rejects)\(/;

/**
 * Find the example blocks of one source text that assert nothing.
 *
 * @param file The file's name, for the report.
 * @param text The source text.
 * @returns One entry per weak example.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { weakExamples } from "./check_examples.ts";
 * const call = ["console", "assert"].join(".");
 * const src = `/**\n * @example\n * \`\`\`ts\n * ${call}(1 === 2);\n * \`\`\`\n *` + "/\n";
 * assert.equal(weakExamples("a.ts", src)[0]?.line, 3);
 * ```
 */
export function weakExamples(file: string, text: string): WeakExample[] {
  const out: WeakExample[] = [];
  const lines = text.split("\n");
  let inExample = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*\*\s*@example\b/.test(line)) inExample = true;
    else if (/^\s*\*\s*@\w+/.test(line) || /\*\//.test(line)) inExample = false;
    if (!inExample || !FENCE_OPEN.test(line)) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !FENCE_CLOSE.test(lines[i]!); i++) body.push(lines[i]!);
    const code = body.join("\n");
    if (PRINT_ONLY.test(code)) {
      out.push({ file, line: start + 1, reason: "uses the console's assert, which only prints" });
    } else if (!ASSERT_IMPORT.test(code) || !ASSERT_CALL.test(code)) {
      out.push({ file, line: start + 1, reason: "asserts nothing with node:assert/strict" });
    }
  }
  return out;
}

function* _sources(dir: string): Generator<string> {
  for (const e of Deno.readDirSync(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) {
      if (e.name !== "node_modules" && !e.name.startsWith(".")) yield* _sources(p);
    } else if (e.name.endsWith(".ts") && !e.name.endsWith("_test.ts")) yield p;
  }
}

/**
 * Every weak example in keel's sources (`mod.ts`, `core/`, `cli/`, `rpc/`,
 * `schemas/`, `scripts/`).
 *
 * @returns The weak examples, in file order.
 */
export function findWeakExamples(): WeakExample[] {
  const files = [join(ROOT, "mod.ts")];
  for (const top of ["core", "cli", "rpc", "schemas", "scripts"]) {
    try {
      files.push(..._sources(join(ROOT, top)));
    } catch {
      // a missing folder has no examples
    }
  }
  return files.sort().flatMap((abs) =>
    weakExamples(relative(ROOT, abs), Deno.readTextFileSync(abs))
  );
}

if (import.meta.main) {
  const weak = findWeakExamples();
  for (const w of weak) console.error(`${w.file}:${w.line}: example ${w.reason}`);
  if (weak.length > 0) Deno.exit(1);
  console.log("every doc example asserts");
}
