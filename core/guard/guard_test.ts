import assert from "node:assert/strict";
import { scopeClassifier } from "../drift/scope.ts";
import { decidePath, type GuardedRun } from "./active_scope.ts";
import { repoRelative } from "./guard_check_op.ts";
import { hookEventPaths } from "./guard_hook_op.ts";
import { hookScript } from "./hooks_op.ts";

const RUN: GuardedRun = {
  run_id: "01KAAAAAAAAAAAAAAAAAAAAAAA",
  contract: "default",
  allowed_files: ["src/**"],
  forbidden_files: ["src/gen/**"],
  units: [],
  classify: scopeClassifier({ allowed_files: ["src/**"], forbidden_files: ["src/gen/**"] }),
};

Deno.test("hookEventPaths() reads the common pre-edit event shapes", async (t) => {
  await t.step("file_path, path, notebook_path and edits[]", () => {
    assert.deepEqual(
      hookEventPaths({ tool_name: "Write", tool_input: { file_path: "/r/a", content: "" } }).paths,
      ["/r/a"],
    );
    assert.deepEqual(hookEventPaths({ tool_name: "x", tool_input: { path: "b" } }).paths, ["b"]);
    assert.deepEqual(
      hookEventPaths({ tool_name: "NotebookEdit", tool_input: { notebook_path: "n.ipynb" } }).paths,
      ["n.ipynb"],
    );
    assert.deepEqual(
      hookEventPaths({
        tool_name: "apply_patch",
        tool_input: { edits: [{ path: "a" }, { file_path: "b" }, { path: "a" }] },
      }).paths,
      ["a", "b"],
    );
  });
  await t.step("read-only tools and tools naming no file yield nothing", () => {
    for (const tool of ["Read", "Grep", "Glob", "read_file", "list_directory", "mcp__fs__read"]) {
      assert.deepEqual(
        hookEventPaths({ tool_name: tool, tool_input: { file_path: "a" } }).paths,
        [],
      );
    }
    assert.deepEqual(
      hookEventPaths({ tool_name: "Bash", tool_input: { command: "ls" } }).paths,
      [],
    );
  });
  await t.step("cwd is kept only when absolute", () => {
    assert.equal(hookEventPaths({ cwd: "/r", tool_name: "Write" }).cwd, "/r");
    assert.equal(hookEventPaths({ cwd: "r", tool_name: "Write" }).cwd, null);
  });
  await t.step("a non-object is HOOK_EVENT_INVALID", () => {
    for (const bad of [null, 3, "x", []]) {
      assert.throws(
        () => hookEventPaths(bad),
        (e: { code?: string }) => e.code === "HOOK_EVENT_INVALID",
      );
    }
  });
});

Deno.test("decidePath() and repoRelative()", async (t) => {
  await t.step("no active run allows everything", () => {
    const d = decidePath([], "x", "docs/x.md");
    assert.deepEqual([d.allowed, d.scope, d.reason], [true, "no_run", "no active run"]);
  });
  await t.step("allowed, forbidden, outside, keel and outside the repository", () => {
    const at = (p: string | null) => decidePath([RUN], p ?? "../x", p);
    assert.deepEqual([at("src/a.ts").allowed, at("src/a.ts").scope], [true, "allowed"]);
    assert.deepEqual([at("src/gen/a.ts").allowed, at("src/gen/a.ts").pattern], [
      false,
      "src/gen/**",
    ]);
    assert.equal(at("docs/a.md").reason, 'outside allowed_files of contract "default" (src/**)');
    assert.deepEqual([at(".keel/x").allowed, at(".keel/x").scope], [true, "keel"]);
    assert.deepEqual([at(null).allowed, at(null).scope], [true, "outside_repo"]);
  });
  await t.step("a path allowed by any active run is allowed", () => {
    const docs = {
      ...RUN,
      contract: "docs",
      classify: scopeClassifier({ allowed_files: ["docs/**"], forbidden_files: [] }),
    };
    assert.equal(decidePath([RUN, docs], "d", "docs/a.md").allowed, true);
  });
  await t.step("repoRelative: absolute, relative to a subfolder, outside", () => {
    assert.equal(
      repoRelative("/nonexistent/r", "/nonexistent/r", "/nonexistent/r/src/a.ts"),
      "src/a.ts",
    );
    assert.equal(repoRelative("/nonexistent/r", "/nonexistent/r/src", "./b/../a.ts"), "src/a.ts");
    assert.equal(repoRelative("/nonexistent/r", "/nonexistent/r", "../other/a.ts"), null);
    assert.equal(repoRelative("/nonexistent/r", "/nonexistent/r", "/etc/passwd"), null);
  });
});

Deno.test("hookScript() runs the kept hook first and quotes the command", () => {
  const s = hookScript("pre-commit", ["/opt/my keel/keel", "it's"]);
  assert.match(s, /^#!\/bin\/sh\n# keel-managed hook:/);
  assert.match(s, /if \[ -x "\$kept" \]; then "\$kept" "\$@" \|\| exit \$\?; fi\n/);
  assert.match(s, /exec '\/opt\/my keel\/keel' 'it'\\''s' guard pre-commit\n$/);
  assert.match(hookScript("post-commit", ["keel"]), /'keel' guard post-commit \|\| true\n$/);
});
