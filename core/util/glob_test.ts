import assert from "node:assert/strict";
import fc from "fast-check";
// @ts-types="npm:@types/picomatch@^4"
import picomatch from "picomatch";
import { compileGlobs, globCoveredBy, globsOverlap } from "./glob.ts";

const SEGMENTS = [
  "src",
  "a",
  "b.ts",
  "*",
  "**",
  "*.ts",
  "?",
  "a?",
  "[ab]",
  "[^a]",
  "[a-c].ts",
  "{a,b}",
  "x*y",
  "{src,lib}",
  ".env",
  "*.{ts,md}",
  "a{b,}",
  "**x",
  "\\*",
];
const PARTS = [
  "src",
  "a",
  "b",
  "b.ts",
  "x",
  "ab",
  "a.ts",
  "lib",
  ".env",
  "xzy",
  "c",
  "c.ts",
  "*",
  "a.md",
];

Deno.test("compileGlobs() agrees with picomatch (dot: true) on generated globs and paths", () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...SEGMENTS), { minLength: 1, maxLength: 4 }),
      fc.array(fc.constantFrom(...PARTS), { minLength: 1, maxLength: 5 }),
      (segs, parts) => {
        const glob = segs.join("/");
        const path = parts.join("/");
        const expected = picomatch(glob, { dot: true })(path);
        assert.equal(compileGlobs([glob])(path), expected, `${glob} vs ${path}`);
      },
    ),
    { numRuns: 5000, seed: 20261123 },
  );
});

Deno.test("compileGlobs() edge cases", async (t) => {
  const cases: [string, string, boolean][] = [
    ["src/**", "src", true],
    ["src/**", "src/a/b", true],
    ["**", "a/b", true],
    ["**/x", "x", true],
    ["a/**/b", "a/b", true],
    ["a/**/b", "a/c/d/b", true],
    ["a**b", "ax/xb", false],
    ["*", "a/b", false],
    ["*", ".git", true],
    ["a/{b,c/d}/e", "a/c/d/e", true],
    ["a.{ts}", "a.{ts}", true],
    ["a\\*b", "a*b", true],
    ["a\\*b", "axb", false],
    ["a.b", "axb", false],
    ["[ab", "[ab", true],
    ["(a|b)", "(a|b)", true],
    ["docs/x.md", "docs/x.md", true],
  ];
  for (const [glob, path, want] of cases) {
    await t.step(`${glob} ${want ? "matches" : "does not match"} ${path}`, () => {
      assert.equal(compileGlobs([glob])(path), want);
      assert.equal(picomatch(glob, { dot: true })(path), want, "picomatch agrees");
    });
  }
  assert.equal(compileGlobs([])("a"), false);
  assert.equal(compileGlobs(["x", "a/*"])("a/b"), true);
});

Deno.test("globCoveredBy() and globsOverlap() decide scope conservatively", () => {
  assert.equal(globCoveredBy("src/*.ts", ["src/**"]), true);
  assert.equal(globCoveredBy("src/a/b.ts", ["src/**"]), true);
  assert.equal(globCoveredBy("docs/x.md", ["src/**"]), false);
  assert.equal(globCoveredBy("src/**", ["src/**"]), true);
  assert.equal(globsOverlap("src/**", "src/a.ts"), true);
  assert.equal(globsOverlap("src/**", "docs/**"), false);
});
