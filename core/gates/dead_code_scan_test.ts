import assert from "node:assert/strict";
import { addedPublicSymbols, isTestPath, scanDeadCode } from "./dead_code_scan.ts";

Deno.test("addedPublicSymbols() reads TS/JS exports, public Python defs, exported Go names", () => {
  const diff = [
    "diff --git a/src/a.ts b/src/a.ts",
    "+++ b/src/a.ts",
    "@@ -0,0 +1,9 @@",
    "+export function alpha() {}",
    "+export async function beta() {}",
    "+export const GAMMA = 1;",
    "+export interface Delta {}",
    "+export type Eps = string;",
    "+export enum Zeta { A }",
    "+export default class Eta {}",
    "+export const enum Theta { A }",
    "+function notExported() {}",
    "+  export const indented = 1;",
    "diff --git a/lib/m.py b/lib/m.py",
    "+++ b/lib/m.py",
    "+def public_fn(x):",
    "+def _private(x):",
    "+class Widget:",
    "+    def method(self):",
    "+async def fetch_all():",
    "diff --git a/pkg/g.go b/pkg/g.go",
    "+++ b/pkg/g.go",
    "+func Exported() {",
    "+func (s *Srv) Handle(w int) {",
    "+func local() {",
    "+type Config struct {",
    "+type inner struct {",
    "diff --git a/src/a_test.ts b/src/a_test.ts",
    "+++ b/src/a_test.ts",
    "+export function fromTest() {}",
    "diff --git a/gone.ts b/gone.ts",
    "+++ /dev/null",
    "-export function removed() {}",
  ].join("\n");
  assert.deepEqual(addedPublicSymbols(diff).map((s) => `${s.file}:${s.kind}:${s.symbol}`), [
    "src/a.ts:function:alpha",
    "src/a.ts:function:beta",
    "src/a.ts:const:GAMMA",
    "src/a.ts:interface:Delta",
    "src/a.ts:type:Eps",
    "src/a.ts:enum:Zeta",
    "src/a.ts:const enum:Theta",
    "lib/m.py:def:public_fn",
    "lib/m.py:class:Widget",
    "lib/m.py:def:fetch_all",
    "pkg/g.go:func:Exported",
    "pkg/g.go:func:Handle",
    "pkg/g.go:type:Config",
  ]);
});

Deno.test("isTestPath() recognises test files and folders only", () => {
  for (
    const p of [
      "a_test.ts",
      "x/a.test.js",
      "x/a.spec.ts",
      "tests/e.ts",
      "t/test_m.py",
      "g/x_test.go",
      "conftest.py",
      "src/__tests__/a.js",
    ]
  ) {
    assert.equal(isTestPath(p), true, p);
  }
  for (const p of ["core/attestation.ts", "src/contest.py", "testing_utils.ts", "src/latest.go"]) {
    assert.equal(isTestPath(p), false, p);
  }
});

Deno.test("scanDeadCode() reports undeterminable scans instead of passing", async (t) => {
  await t.step("git missing", async () => {
    const r = await scanDeadCode("abc", {
      cwd: "/",
      git: () => Promise.resolve({ code: -1, stdout: "", stderr: "git executable is unavailable" }),
    });
    assert.deepEqual(r, { status: "undeterminable", reason: "git executable is unavailable" });
  });
  await t.step("not a repository", async () => {
    const dir = await Deno.makeTempDir();
    const r = await scanDeadCode("abc", { cwd: dir });
    assert.equal(r.status, "undeterminable");
    assert.match(r.status === "undeterminable" ? r.reason : "", /^not inside a git repository/);
    await Deno.remove(dir, { recursive: true });
  });
  await t.step("git diff fails", async () => {
    const r = await scanDeadCode("abc", {
      cwd: "/r",
      git: (args) =>
        Promise.resolve(
          args[0] === "diff" ? { code: 128, stdout: "", stderr: "fatal: bad object" } : {
            code: 0,
            stdout: args[0] === "rev-parse" && args[1] === "--show-toplevel" ? "/r\n" : "abc\n",
            stderr: "",
          },
        ),
    });
    assert.deepEqual(r, { status: "undeterminable", reason: "git diff failed: fatal: bad object" });
  });
});
