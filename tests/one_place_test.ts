/**
 * One rule, one place, checked: product code starts git in one launcher and
 * writes spec-kitty's event log in one writer.
 */

import assert from "node:assert/strict";
import { join, relative } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;

function* _sources(dir: string): Generator<string> {
  for (const e of Deno.readDirSync(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) yield* _sources(p);
    else if (e.name.endsWith(".ts") && !e.name.endsWith("_test.ts")) yield p;
  }
}

function _files(predicate: (text: string) => boolean): string[] {
  const out: string[] = [];
  for (const top of ["core", "cli", "rpc"]) {
    for (const path of _sources(join(ROOT, top))) {
      if (predicate(Deno.readTextFileSync(path))) out.push(relative(ROOT, path));
    }
  }
  return out.sort();
}

Deno.test("one git process launcher: core/git/run_git.ts", () => {
  assert.deepEqual(
    _files((t) =>
      /Deno\.Command\(\s*["'`]git["'`]/.test(t) || /Deno\.Command\([^)]*binary/.test(t)
    ),
    ["core/git/run_git.ts"],
  );
});

Deno.test("one spec-kitty event-log writer: core/mission/append_events.ts", () => {
  assert.deepEqual(
    _files((t) =>
      t.includes("status.events.jsonl") &&
      /openForWrite|append: true|atomicWrite|writeTextFile|writeFile\(/.test(t)
    ),
    // test_support.ts writes whole synthetic missions for tests.
    ["core/mission/append_events.ts", "core/mission/test_support.ts"],
  );
});
