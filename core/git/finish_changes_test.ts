import assert from "node:assert/strict";
import { finishChanges, modeKind, type RawChange } from "./finish_changes.ts";

const Z = "0".repeat(40);

function del(path: string, oid: string, mode = "100644"): RawChange {
  return { status: "D", path, oldMode: mode, newMode: "000000", oldOid: oid, newOid: Z };
}

function add(path: string, oid: string, mode = "100644"): RawChange {
  return { status: "A", path, oldMode: "000000", newMode: mode, oldOid: Z, newOid: oid };
}

Deno.test("finishChanges() pairs exact renames as git -M100% does", async (t) => {
  const x = "1".repeat(40), y = "2".repeat(40);

  await t.step("one delete and one add of the same blob is a rename", () => {
    assert.deepStrictEqual(finishChanges([add("b/new.txt", x), del("a/old.txt", x)]), [
      { path: "b/new.txt", status: "R", oldPath: "a/old.txt" },
    ]);
  });

  await t.step("different blobs stay a delete and an add, sorted by path", () => {
    assert.deepStrictEqual(finishChanges([add("b", x), del("a", y)]), [
      { path: "a", status: "D" },
      { path: "b", status: "A" },
    ]);
  });

  await t.step("the first added path takes the source; later copies stay added", () => {
    assert.deepStrictEqual(
      finishChanges([del("x/s.txt", x), add("y/s.txt", x), add("y/o.txt", x)]),
      [
        { path: "y/o.txt", status: "R", oldPath: "x/s.txt" },
        { path: "y/s.txt", status: "A" },
      ],
    );
  });

  await t.step("among several sources, the same file name wins", () => {
    assert.deepStrictEqual(finishChanges([del("m/one", x), del("n/two", x), add("o/two", x)]), [
      { path: "m/one", status: "D" },
      { path: "o/two", status: "R", oldPath: "n/two" },
    ]);
  });

  await t.step("a symlink never pairs with a regular file; exec bit does not matter", () => {
    assert.deepStrictEqual(finishChanges([del("l", x, "120000"), add("f", x)]), [
      { path: "f", status: "A" },
      { path: "l", status: "D" },
    ]);
    assert.deepStrictEqual(finishChanges([del("a", x, "100755"), add("b", x)]), [
      { path: "b", status: "R", oldPath: "a" },
    ]);
  });

  await t.step("modifications and type changes pass through", () => {
    const m: RawChange = {
      status: "M",
      path: "m",
      oldMode: "100644",
      newMode: "100755",
      oldOid: x,
      newOid: x,
    };
    const tc: RawChange = {
      status: "T",
      path: "t",
      oldMode: "100644",
      newMode: "120000",
      oldOid: x,
      newOid: y,
    };
    assert.deepStrictEqual(finishChanges([tc, m]), [
      { path: "m", status: "M" },
      { path: "t", status: "T" },
    ]);
  });

  await t.step("modeKind()", () => {
    assert.deepStrictEqual(
      ["100644", "100755", "120000", "160000", "040000", "000000"].map(modeKind),
      ["regular", "regular", "symlink", "gitlink", "tree", "none"],
    );
  });
});
