import assert from "node:assert/strict";
import { editJson, git, GIT_ENV, keel, keelJson, tempRepo, writeFile } from "./helpers.ts";

const C = ".keel/contracts/default";

/** Approved contract: u1 (src/**) then u2 (tests/**); .github/** forbidden. */
async function contract(dir: string): Promise<void> {
  assert.equal((await keelJson(dir, ["init"])).code, 0);
  await editJson(`${dir}/${C}/intent.json`, (v) => {
    v.goal = "Add the parser";
    v.allowed_files = ["src/**", "tests/**"];
    v.forbidden_files = [".github/**"];
  });
  await editJson(`${dir}/${C}/test_contract.json`, (v) => {
    v.tests = [{ id: "unit", command: "true", required: true, gate: "finish" }];
  });
  await editJson(`${dir}/${C}/commit_plan.json`, (v) => {
    v.units = [
      { id: "u1", summary: "parser", files: ["src/**"], tests: ["unit"], depends_on: [] },
      { id: "u2", summary: "tests", files: ["tests/**"], tests: [], depends_on: ["u1"] },
    ];
  });
  const a = await keelJson(dir, ["approve", "all", "--by", "me"]);
  assert.equal(a.code, 0, JSON.stringify(a.json));
  await git(dir, "add", "-A");
  await git(dir, "commit", "-qm", "keel init");
}

/** `git commit` that may fail: exit code and output. */
async function tryCommit(dir: string, ...args: string[]) {
  const out = await new Deno.Command("git", {
    args: ["-c", "commit.gpgsign=false", "commit", "-q", ...args],
    cwd: dir,
    env: GIT_ENV,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const td = new TextDecoder();
  return { code: out.code, stderr: td.decode(out.stderr) };
}

async function stage(dir: string, path: string): Promise<void> {
  await writeFile(dir, path, `${path}\n`);
  await git(dir, "add", path);
}

type Finding = { id: string; code: string; message: string; evidence: Record<string, unknown> };

Deno.test("keel hooks install: git refuses out-of-scope commits while a run is active", async (t) => {
  const dir = await tempRepo();
  try {
    await contract(dir);
    const hooksDir = `${dir}/.git/hooks`;
    const original = '#!/bin/sh\necho ran >> "$(git rev-parse --git-dir)/existing-ran"\n';
    await Deno.writeTextFile(`${hooksDir}/pre-commit`, original, { mode: 0o755 });
    const ran = async () =>
      (await Deno.readTextFile(`${dir}/.git/existing-ran`).catch(() => "")).split("\n")
        .filter(Boolean).length;

    await t.step("install chains the existing pre-commit hook", async () => {
      const r = await keelJson(dir, ["hooks", "install"]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.json.hooks_dir, hooksDir);
      assert.deepEqual(r.json.hooks, [
        { hook: "pre-commit", status: "installed", chained: "pre-commit.pre-keel" },
        { hook: "commit-msg", status: "installed", chained: null },
        { hook: "post-commit", status: "installed", chained: null },
      ]);
      assert.equal(await Deno.readTextFile(`${hooksDir}/pre-commit.pre-keel`), original);
    });

    await t.step("installing again is idempotent", async () => {
      const before = await Deno.readTextFile(`${hooksDir}/pre-commit`);
      const r = await keelJson(dir, ["hooks", "install"]);
      assert.equal(r.code, 0);
      assert.deepEqual(
        (r.json.hooks as { status: string }[]).map((h) => h.status),
        ["updated", "updated", "updated"],
      );
      assert.equal(await Deno.readTextFile(`${hooksDir}/pre-commit`), before);
      assert.equal(await Deno.readTextFile(`${hooksDir}/pre-commit.pre-keel`), original);
    });

    await t.step("no active run: an out-of-scope commit goes through", async () => {
      await stage(dir, "docs/before.md");
      const c = await tryCommit(dir, "-m", "docs before the run");
      assert.equal(c.code, 0, c.stderr);
      assert.equal(await ran(), 1);
    });

    assert.equal((await keelJson(dir, ["run", "start"])).code, 0);

    await t.step("a staged file outside allowed_files is refused with keel's message", async () => {
      await stage(dir, "docs/notes.md");
      await stage(dir, "src/ok.ts");
      const c = await tryCommit(dir, "-m", "mixed");
      assert.equal(c.code, 1);
      assert.match(
        c.stderr,
        /keel: commit refused — 1 staged file\(s\) outside the approved scope/,
      );
      assert.match(c.stderr, /docs\/notes\.md {2}\(outside allowed_files of contract "default"/);
      assert.match(
        c.stderr,
        /allowed_files src\/\*\*, tests\/\*\*; forbidden_files \.github\/\*\*/,
      );
      assert.ok(!c.stderr.includes("src/ok.ts"));
      assert.equal(await ran(), 2, "the existing pre-commit hook still runs");
      await git(dir, "restore", "--staged", "docs/notes.md");
    });

    await t.step("a forbidden file is refused naming the glob", async () => {
      await stage(dir, ".github/ci.yml");
      const c = await tryCommit(dir, "-m", "ci");
      assert.equal(c.code, 1);
      assert.match(c.stderr, /\.github\/ci\.yml {2}\(forbidden by "\.github\/\*\*"/);
      await git(dir, "restore", "--staged", ".github/ci.yml");
    });

    await t.step("an allowed commit goes through", async () => {
      const c = await tryCommit(dir, "-m", "parser\n\nKeel-Unit: u1");
      assert.equal(c.code, 0, c.stderr);
      assert.equal(await ran(), 4);
    });

    await t.step("commit-msg refuses a Keel-Unit naming no planned unit", async () => {
      await stage(dir, "tests/a_test.ts");
      const c = await tryCommit(dir, "-m", "tests\n\nKeel-Unit: u9");
      assert.equal(c.code, 1);
      assert.match(c.stderr, /Keel-Unit: u9 names no planned unit\.\nPlanned units: u1, u2\./);
      const ok = await tryCommit(dir, "-m", "tests\n\nKeel-Unit: u2");
      assert.equal(ok.code, 0, ok.stderr);
    });

    let bypassed = "";
    await t.step("--no-verify gets through git", async () => {
      await stage(dir, "docs/notes.md");
      const c = await tryCommit(dir, "--no-verify", "-m", "notes");
      assert.equal(c.code, 0, c.stderr);
      bypassed = (await git(dir, "rev-parse", "HEAD")).trim();
    });

    await t.step("finish reports the bypassed commit", async () => {
      const r = await keelJson(dir, ["run", "finish"]);
      assert.equal(r.code, 1);
      const findings = r.json.findings as Finding[];
      const scope = findings.find((f) => f.code === "SCOPE_FILE_OUTSIDE_ALLOWED")!;
      assert.equal(scope.evidence.path, "docs/notes.md");
      assert.match(scope.message, /keel's commit hooks were bypassed/);
      const hook = findings.filter((f) => f.code === "GUARD_HOOK_BYPASSED");
      assert.deepEqual(hook.map((f) => f.evidence.sha), [bypassed]);
      assert.match(hook[0]!.message, /"notes" was made with keel's commit hooks bypassed/);
    });

    await t.step("uninstall restores the chained hook", async () => {
      const r = await keelJson(dir, ["hooks", "uninstall"]);
      assert.equal(r.code, 0);
      assert.equal(await Deno.readTextFile(`${hooksDir}/pre-commit`), original);
      await assert.rejects(() => Deno.stat(`${hooksDir}/pre-commit.pre-keel`));
      await assert.rejects(() => Deno.stat(`${hooksDir}/commit-msg`));
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
