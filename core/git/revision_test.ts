import assert from "node:assert/strict";
import { parseRevision, unknownRevision } from "./revision.ts";

Deno.test("parseRevision() accepts names with parent steps and nothing else", async (t) => {
  await t.step("accepted", () => {
    assert.deepStrictEqual(parseRevision("HEAD"), { name: "HEAD", steps: [] });
    assert.deepStrictEqual(parseRevision("origin/main~2^2^"), {
      name: "origin/main",
      steps: [{ kind: "~", n: 2 }, { kind: "^", n: 2 }, { kind: "^", n: 1 }],
    });
    assert.deepStrictEqual(parseRevision("abc1234^0"), {
      name: "abc1234",
      steps: [{ kind: "^", n: 0 }],
    });
  });

  await t.step("rejected", () => {
    for (
      const ref of [
        "",
        "@",
        "a..b",
        "a...b",
        "HEAD@{1}",
        ":/msg",
        "HEAD:path",
        "-n",
        "a b",
        "x.lock",
        "dir/",
        "a//b",
        "HEAD^{tree}",
        "a\nb",
      ]
    ) {
      assert.equal(parseRevision(ref), null, JSON.stringify(ref));
    }
  });

  await t.step("unknownRevision() carries the operation and ref", () => {
    const e = unknownRevision("isAncestor", "nope");
    assert.equal(e.code, "GIT_FAILED");
    assert.deepStrictEqual(e.data, {
      args: ["isAncestor", "nope"],
      stderr: "unknown revision: nope",
    });
  });
});
