import assert from "node:assert/strict";
import { orderCommits } from "./order_commits.ts";

Deno.test("orderCommits() puts parents first, then time, then sha", async (t) => {
  await t.step("a parent committed later than its child still comes first", () => {
    const out = orderCommits([
      { sha: "c", parents: ["b"], committedAt: 1 },
      { sha: "b", parents: ["a"], committedAt: 9 },
      { sha: "a", parents: [], committedAt: 5 },
    ]);
    assert.deepStrictEqual(out.map((c) => c.sha), ["a", "b", "c"]);
  });

  await t.step("branches interleave by committer time, ties by sha; merge last", () => {
    const out = orderCommits([
      { sha: "m", parents: ["x2", "y1"], committedAt: 10 },
      { sha: "y1", parents: ["base"], committedAt: 3 },
      { sha: "x2", parents: ["x1"], committedAt: 4 },
      { sha: "x1", parents: ["base"], committedAt: 3 },
    ]);
    assert.deepStrictEqual(out.map((c) => c.sha), ["x1", "y1", "x2", "m"]);
  });

  await t.step("parents outside the list are ignored", () => {
    const out = orderCommits([
      { sha: "b", parents: ["zz"], committedAt: 2 },
      { sha: "a", parents: ["yy"], committedAt: 2 },
    ]);
    assert.deepStrictEqual(out.map((c) => c.sha), ["a", "b"]);
  });
});
