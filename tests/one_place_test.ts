/**
 * One rule, one place, checked: product code starts git in one launcher (and
 * tests and scripts reach it through `testing/git.ts`) and writes
 * spec-kitty's event log in one writer.
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

function* _allSources(dir: string): Generator<string> {
  for (const e of Deno.readDirSync(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) yield* _allSources(p);
    else if (e.name.endsWith(".ts")) yield p;
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

Deno.test("tests, scripts and benchmarks start git only through testing/git.ts", () => {
  const found: string[] = [];
  for (const top of ["tests", "testing", "scripts", "bench", "conformance", "core", "cli", "rpc"]) {
    let paths: string[];
    try {
      paths = [..._allSources(join(ROOT, top))];
    } catch {
      continue;
    }
    for (const path of paths) {
      if (/Deno\.Command\(\s*["'`]git["'`]/.test(Deno.readTextFileSync(path))) {
        found.push(relative(ROOT, path));
      }
    }
  }
  assert.deepEqual(found.sort(), []);
  assert.match(Deno.readTextFileSync(join(ROOT, "testing/git.ts")), /launchGit/);
});

Deno.test("one spec-kitty event-log writer: core/mission/append_events.ts", () => {
  assert.deepEqual(
    _files((t) =>
      t.includes("status.events.jsonl") &&
      /openForWrite|append: true|atomicWrite|writeTextFile|writeFile\(/.test(t)
    ),
    // testing/mission.ts, outside product code, writes whole synthetic missions for tests.
    ["core/mission/append_events.ts"],
  );
});
