/**
 * The main suite is self-contained: it writes its own synthetic missions,
 * runs and repositories, and never reads `../shared`. The real spec-kitty
 * missions are an extra conformance run in `conformance/*.conformance.ts`
 * (`deno task conformance-tests`): names `deno test` does not discover, so
 * `deno task test` never loads them; `.ci/run` runs them when `../shared` is
 * present and says loudly when it is not.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join, relative } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;
/** What reaching the real fixtures looks like in a test file. */
const SHARED = /\.\.\/\.\.\/shared\b|\bFIXTURES_DIR\b|\bHAVE_FIXTURES\b|fixturesPresent\(/;
/** A skipped test or step. */
const IGNORED = /\bignore:\s*(?!false\b)|\bDeno\.test\.ignore\(|\bt\.step\.ignore\(/;

function* _files(dir: string): Generator<string> {
  for (const e of Deno.readDirSync(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) yield* _files(p);
    else if (e.name.endsWith(".ts")) yield p;
  }
}

Deno.test("the main suite never reads ../shared; only conformance/ does", () => {
  const reaching: string[] = [];
  for (const top of ["core", "cli", "rpc", "schemas", "tests", "testing"]) {
    for (const path of _files(join(ROOT, top))) {
      if (path === new URL(import.meta.url).pathname) continue;
      if (SHARED.test(Deno.readTextFileSync(path))) reaching.push(relative(ROOT, path));
    }
  }
  assert.deepEqual(reaching, []);
  const conformance = [..._files(join(ROOT, "conformance"))].map((p) => relative(ROOT, p)).sort();
  assert.ok(conformance.includes("conformance/fixtures.ts"));
  // Test discovery takes *_test.ts, *.test.ts and test.ts: none of those may sit in conformance/.
  assert.deepEqual(conformance.filter((p) => /(^|[_.\/])test\.[cm]?[jt]sx?$/.test(p)), []);
  assert.ok(
    conformance.filter((p) => p.endsWith(".conformance.ts")).length >= 5,
    String(conformance),
  );
  const config = JSON.parse(Deno.readTextFileSync(join(ROOT, "deno.json")));
  assert.equal(
    config.tasks["conformance-tests"],
    "deno test -A --parallel conformance/*.conformance.ts",
  );
});

Deno.test("a test is skipped only where the machine lacks what it needs", () => {
  // Each allowed skip names what is missing; on the CI machine (Linux, root, Chromium
  // installed by .ci/run) none of them skips.
  const allowed = new Set([
    "tests/report_chromium_test.ts", // Chromium is not installed
    "tests/hardening_test.ts", // tmpfs cannot be mounted (needs root)
    "tests/rpc_abuse_test.ts", // not Linux (/proc and socket limits)
    "tests/reliability_concurrency_test.ts", // not Linux (/proc)
  ]);
  const skipping: string[] = [];
  for (const top of ["core", "cli", "rpc", "schemas", "tests"]) {
    for (const path of _files(join(ROOT, top))) {
      if (!path.endsWith("_test.ts") || path === new URL(import.meta.url).pathname) continue;
      const rel = relative(ROOT, path);
      if (IGNORED.test(Deno.readTextFileSync(path)) && !allowed.has(rel)) skipping.push(rel);
    }
  }
  assert.deepEqual(skipping, []);
});
