import assert from "node:assert/strict";
import posix from "node:path/posix";
import fc from "fast-check";
import { basename, dirname, isAbsolute, join, normalize, relative, resolve } from "./posix_path.ts";

const segment = fc.constantFrom("a", "bb", ".", "..", "", "...", ".x", "c d", "é");
const path = fc.array(segment, { maxLength: 7 }).chain((segs) =>
  fc.constantFrom("", "/", "//").map((lead) => lead + segs.join("/"))
).chain((p) => fc.constantFrom(p, `${p}/`, `${p}//`));

Deno.test("posix_path agrees with node:path/posix on random paths", () => {
  fc.assert(
    fc.property(path, path, path, (a, b, c) => {
      assert.equal(normalize(a), posix.normalize(a), `normalize(${a})`);
      assert.equal(join(a, b, c), posix.join(a, b, c), `join(${a}, ${b}, ${c})`);
      assert.equal(resolve(a, b), posix.resolve(a, b), `resolve(${a}, ${b})`);
      assert.equal(resolve("/r", a, b), posix.resolve("/r", a, b));
      assert.equal(relative(a, b), posix.relative(a, b), `relative(${a}, ${b})`);
      assert.equal(relative(`/r/${a}`, `/r/${b}`), posix.relative(`/r/${a}`, `/r/${b}`));
      assert.equal(dirname(a), posix.dirname(a), `dirname(${a})`);
      assert.equal(basename(a), posix.basename(a), `basename(${a})`);
      assert.equal(isAbsolute(a), posix.isAbsolute(a));
    }),
    { numRuns: 3000 },
  );
});

Deno.test("posix_path: the edge cases named", () => {
  const cases: [string, string, string][] = [
    ["", "/", ".."],
    ["/", "/a", "a/.."],
    ["//", "a//b", "../../x"],
    ["/a/b", "/a/bc", "/a/b/c"],
  ];
  for (const [a, b, c] of cases) {
    assert.equal(join(a, b, c), posix.join(a, b, c));
    assert.equal(relative(a, b), posix.relative(a, b));
    assert.equal(relative(b, c), posix.relative(b, c));
    assert.equal(dirname(a), posix.dirname(a));
    assert.equal(basename(b), posix.basename(b));
    assert.equal(normalize(c), posix.normalize(c));
  }
  assert.equal(join(), ".");
  assert.equal(resolve(), Deno.cwd());
});
