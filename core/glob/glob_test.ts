import assert from "node:assert/strict";
import fc from "fast-check";
// @ts-types="npm:@types/picomatch@^4"
import picomatch from "picomatch";
import { isKeelError } from "../errors.ts";
import { compileGlobs, globCoveredBy, globProblem, globsOverlap, globToRegExp } from "./glob.ts";

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
  "[a-c]*",
  "[^b-c]",
  "[-a]",
  "src/**",
  "*a*a*b",
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

Deno.test("compileGlobs() agrees with its own regular expression on generated globs and paths", () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...SEGMENTS), { minLength: 1, maxLength: 4 }),
      fc.array(fc.constantFrom(...PARTS), { minLength: 0, maxLength: 5 }),
      (segs, parts) => {
        const glob = segs.join("/");
        const path = parts.join("/");
        assert.equal(
          compileGlobs([glob])(path),
          globToRegExp(glob).test(path),
          `${glob} vs ${path}`,
        );
      },
    ),
    { numRuns: 3000, seed: 20261128 },
  );
});

Deno.test("compileGlobs() is linear on adversarial patterns (no backtracking)", async (t) => {
  const cases: [string, string, boolean][] = [
    ["*a*a*a*a*a*a*a*a*b", "a".repeat(40), false],
    ["*a*a*a*a*a*a*a*a*b", "a".repeat(39) + "b", true],
    ["*a*a*a*a*a*a*a*a*a*a*a*a*b", "a".repeat(4000), false],
    ["**/*a*a*a*a*a*a*a*a*a*a*a*a/**/b", ("a/".repeat(40) + "a").repeat(20), false],
    ["a/**/a/**/a/**/a/**/a/**/a/**/a/**/a/**/b", "a/".repeat(2000) + "c", false],
    ["{*a,*b}*{a,b}*{a,b}*{a,b}*c", "ab".repeat(2000), false],
    ["*?*?*?*?*?*?*?*?*?*?*?*x", "y".repeat(4000), false],
  ];
  for (const [glob, path, want] of cases) {
    await t.step(`${glob} ${want ? "matches" : "does not match"} ${path.length} characters`, () => {
      const m = compileGlobs([glob]);
      const t0 = performance.now();
      assert.equal(m(path), want);
      const ms = performance.now() - t0;
      // Generous bound: a backtracking matcher takes seconds to hours here.
      assert.ok(ms < 500, `${glob}: ${ms.toFixed(1)} ms`);
    });
  }
});

Deno.test("a reversed character range is GLOB_INVALID naming the pattern, never a SyntaxError", () => {
  assert.equal(globProblem("src/[z-a].ts"), "character range z-a is reversed");
  assert.equal(globProblem("src/{a,[9-0]}.ts"), "character range 9-0 is reversed");
  assert.equal(globProblem("src/[a-z].ts"), null);
  assert.equal(globProblem("src/[a-].ts"), null);
  assert.equal(globProblem("src/[z-a.ts"), null, "an unclosed bracket is literal");
  for (
    const compile of [() => compileGlobs(["ok/**", "src/[z-a].ts"]), () => globToRegExp("[z-a]")]
  ) {
    assert.throws(compile, (e: unknown) => {
      assert.ok(isKeelError(e));
      assert.equal(e.code, "GLOB_INVALID");
      assert.equal(e.exitCode, 3);
      assert.match(e.message, /\[z-a\]/);
      return true;
    });
  }
});

Deno.test("compileGlobs() matches astral code points as one character (as the `u` RegExp did)", () => {
  assert.equal(compileGlobs(["?.ts"])("\u{1F600}.ts"), true);
  assert.equal(compileGlobs(["[\u{1F600}-\u{1F64F}]"])("\u{1F601}"), true);
});

Deno.test("compileGlobs() stays exact past its cache of state sets (a 2^13-state pattern)", () => {
  // `*a` then 13 `?`: the automaton needs one state per recent a/b pattern.
  const glob = "*a" + "?".repeat(13);
  const m = compileGlobs([glob]);
  const re = globToRegExp(glob);
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let k = 0; k < 40; k++) {
    const path = Array.from({ length: 400 }, () => (rnd() < 0.5 ? "a" : "b")).join("");
    assert.equal(m(path), re.test(path), path);
  }
});
