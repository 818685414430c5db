/**
 * One copy of each small rule: the planning lane's id, the "approved or
 * done" lanes, the acceptance predicate, the mission baseline and approval
 * latency are each written once in product code (comments and doc examples
 * aside).
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

/** Product files with a code line (not a comment) matching the pattern. */
function _where(pattern: RegExp): string[] {
  const out: string[] = [];
  for (const top of ["core", "cli", "rpc"]) {
    for (const path of _sources(join(ROOT, top))) {
      if (path.endsWith("test_support.ts")) continue;
      const code = Deno.readTextFileSync(path).split("\n")
        .filter((l) => !/^\s*(\*|\/\/|\/\*\*)/.test(l));
      if (code.some((l) => pattern.test(l))) out.push(relative(ROOT, path));
    }
  }
  return out.sort();
}

Deno.test("the planning lane's id is written once: PLANNING_LANE_ID", () => {
  assert.deepEqual(_where(/"lane-planning"/), ["core/mission/lanes.ts"]);
});

Deno.test("the approved-or-done lanes are listed once: APPROVED_OR_DONE_LANES", () => {
  assert.deepEqual(_where(/"approved",\s*"done"|=== "approved" \|\| \w+ === "done"/), [
    "core/mission/lanes.ts",
  ]);
});

Deno.test("the acceptance predicate is written once: accepts()", () => {
  assert.deepEqual(_where(/\.finding_id === \w+\.id/), ["core/drift/compute_verdict.ts"]);
});

Deno.test("the mission baseline is read once (trimmed): missionBaseline()", () => {
  assert.deepEqual(_where(/meta\)?\.baseline_merge_commit\b(?! =)/), [
    "core/gates/record_merge.ts",
  ]);
});

Deno.test("approval latency is measured once: approvalLatencyMinutes()", () => {
  assert.deepEqual(_where(/proposed_at!/), ["core/retro/approval_latency.ts"]);
});
