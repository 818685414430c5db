import assert from "node:assert/strict";
import { scanDeadCode } from "../core/gates/mod.ts";
import { git, tempRepo, writeFile } from "./helpers.ts";

Deno.test("scanDeadCode() finds a newly added unused exported function in a real repo", async () => {
  const repo = await tempRepo();
  try {
    await writeFile(repo, "src/main.ts", 'import { oldThing } from "./old.ts";\noldThing();\n');
    await writeFile(repo, "src/old.ts", "export function oldThing() {}\n");
    await git(repo, "add", ".");
    await git(repo, "commit", "-qm", "baseline");
    const baseline = (await git(repo, "rev-parse", "HEAD")).trim();

    await writeFile(
      repo,
      "src/util.ts",
      "export function usedHelper() {}\nexport function unusedHelper() {}\n" +
        "export const LIMIT = 3;\nfunction privateOne() {}\n",
    );
    await writeFile(
      repo,
      "src/main.ts",
      'import { oldThing } from "./old.ts";\nimport { usedHelper, LIMIT } from "./util.ts";\n' +
        "oldThing();\nusedHelper(LIMIT);\n",
    );
    await writeFile(
      repo,
      "src/util_test.ts",
      'import { unusedHelper } from "./util.ts";\nunusedHelper();\n',
    );
    await writeFile(
      repo,
      "tool/mod.py",
      "def public_tool():\n    pass\n\ndef _hidden():\n    pass\n",
    );
    await writeFile(repo, "docs/notes.md", "unusedHelper is mentioned in docs only\n");
    await git(repo, "add", ".");
    await git(repo, "commit", "-qm", "mission work");
    const head = (await git(repo, "rev-parse", "HEAD")).trim();

    const r = await scanDeadCode(baseline, { cwd: `${repo}/src` });
    assert.equal(r.status, "scanned");
    if (r.status !== "scanned") return;
    assert.equal(r.baseline, baseline);
    assert.equal(r.head, head);
    assert.equal(r.symbols_scanned, 4);
    assert.deepEqual(r.unreferenced.map((s) => [s.symbol, s.file, s.kind]), [
      ["unusedHelper", "src/util.ts", "function"],
      ["public_tool", "tool/mod.py", "def"],
    ]);

    const unknown = await scanDeadCode("0123456789abcdef0123456789abcdef01234567", { cwd: repo });
    assert.deepEqual(unknown, {
      status: "undeterminable",
      reason:
        "baseline_merge_commit 0123456789abcdef0123456789abcdef01234567 is not a commit in this repository",
    });
    const empty = await scanDeadCode(head, { cwd: repo });
    assert.equal(empty.status, "undeterminable");
    assert.match(empty.status === "undeterminable" ? empty.reason : "", /no changed files/);
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});
