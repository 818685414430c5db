import assert from "node:assert/strict";
import fc from "fast-check";
import { sameCommand, splitCommand } from "./argv.ts";

Deno.test("splitCommand: quotes, escapes, and shell syntax refused", () => {
  assert.deepEqual(splitCommand("npx vitest run"), { ok: true, argv: ["npx", "vitest", "run"] });
  assert.deepEqual(splitCommand(`  a  'b c'  "d \\"e\\" \\\\" f\\ g `), {
    ok: true,
    argv: ["a", "b c", 'd "e" \\', "f g"],
  });
  assert.deepEqual(splitCommand(`x ''`), { ok: true, argv: ["x", ""] });
  assert.deepEqual(splitCommand(`sh -c 'a && b | c'`), {
    ok: true,
    argv: ["sh", "-c", "a && b | c"],
  });
  for (const bad of ["a && b", "a | b", "a; b", "a > f", "echo $HOME", "ls *.ts", "a `b`"]) {
    const r = splitCommand(bad);
    assert.equal(r.ok, false, bad);
    if (!r.ok) assert.match(r.reason, /shell syntax/);
  }
  assert.deepEqual(splitCommand("a 'b"), { ok: false, reason: "unbalanced single quote" });
  assert.deepEqual(splitCommand('a "b'), { ok: false, reason: "unbalanced double quote" });
  assert.deepEqual(splitCommand("   "), { ok: false, reason: "the command is empty" });
});

Deno.test("sameCommand: the same argv, or the line given to sh -c", () => {
  assert.equal(sameCommand(["deno", "test", "-A"], "deno test  -A"), true);
  assert.equal(sameCommand(["true"], "deno test"), false);
  assert.equal(sameCommand(["sh", "-c", "deno test && deno lint"], "deno test && deno lint"), true);
  assert.equal(sameCommand(["deno", "test"], "deno test -A"), false);
});

Deno.test("splitCommand: single-quoting each word gives back the words", () => {
  fc.assert(
    fc.property(fc.array(fc.string({ maxLength: 8 }), { minLength: 1, maxLength: 6 }), (words) => {
      const line = words.map((w) => `'${w.replaceAll("'", `'\\''`)}'`).join(" ");
      const r = splitCommand(line);
      // '\'' closes a quote, escapes one, reopens: the words come back intact.
      assert.deepEqual(r, { ok: true, argv: words });
    }),
    { numRuns: 300 },
  );
});
