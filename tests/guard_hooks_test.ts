import assert from "node:assert/strict";
import { gitRun } from "../testing/git.ts";
import { editJson, git, keel, keelJson, tempRepo, writeFile } from "./helpers.ts";

const C = ".keel/contracts/default";

/** Approved contract: u1 (src/**) then u2 (tests/**); .github/** forbidden. */
async function contract(dir: string): Promise<void> {
  assert.equal((await keelJson(dir, ["init"])).code, 0);
  await editJson(`${dir}/${C}/intent.json`, (v) => {
    v.goal = "Add the parser";
    v.constraints = [];
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
  const out = await gitRun(dir, ["-c", "commit.gpgsign=false", "commit", "-q", ...args]);
  return { code: out.code, stderr: out.stderr };
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

    await t.step("git commit -a is checked through git's own index", async () => {
      await Deno.writeTextFile(`${dir}/README.md`, "# changed\n");
      const c = await tryCommit(dir, "-a", "-m", "readme");
      assert.equal(c.code, 1);
      assert.match(c.stderr, /README\.md {2}\(outside allowed_files/);
      await git(dir, "checkout", "--", "README.md");
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
      assert.equal(await ran(), 5);
    });

    await t.step("keel's own files are never refused", async () => {
      await stage(dir, ".keel/notes.md");
      const c = await tryCommit(dir, "-m", "keel notes");
      assert.equal(c.code, 0, c.stderr);
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

/** A Claude Code `PreToolUse` event, as the harness sends it on stdin. */
function claudeEvent(cwd: string, tool: string, input: Record<string, unknown>) {
  return JSON.stringify({
    session_id: "abc123",
    transcript_path: "/home/user/.claude/projects/p/abc123.jsonl",
    cwd,
    permission_mode: "default",
    hook_event_name: "PreToolUse",
    tool_name: tool,
    tool_input: input,
    tool_use_id: "toolu_01ABC",
  });
}

/** A Gemini CLI `BeforeTool` event. */
function geminiEvent(cwd: string, tool: string, input: Record<string, unknown>) {
  return JSON.stringify({
    session_id: "s1",
    transcript_path: "/home/user/.gemini/tmp/s1.json",
    cwd,
    hook_event_name: "BeforeTool",
    timestamp: "2026-11-28T19:00:00.000Z",
    tool_name: tool,
    tool_input: input,
  });
}

Deno.test("keel guard hook: allow/block for the common pre-edit event shapes", async (t) => {
  const dir = await tempRepo();
  const hook = (event: string) => keel(dir, ["guard", "hook"], { stdin: event });
  try {
    await contract(dir);
    await t.step("no active run: nothing is blocked", async () => {
      const r = await hook(
        claudeEvent(dir, "Write", { file_path: `${dir}/docs/x.md`, content: "x" }),
      );
      assert.equal(r.code, 0);
      assert.equal(r.stderr, "");
      const c = await keel(dir, ["guard", "check", "docs/x.md"]);
      assert.equal(c.code, 0);
      assert.equal(c.stdout, "No active run: nothing is enforced.\n");
    });

    assert.equal((await keelJson(dir, ["run", "start"])).code, 0);

    await t.step("Claude Code Write outside allowed_files: exit 2, reason on stderr", async () => {
      const r = await hook(
        claudeEvent(dir, "Write", { file_path: `${dir}/docs/x.md`, content: "x" }),
      );
      assert.equal(r.code, 2);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, /^keel: Write blocked — outside the approved scope of run /);
      assert.match(r.stderr, /\n {2}docs\/x\.md: outside allowed_files of contract "default"/);
      assert.match(r.stderr, /Allowed files: src\/\*\*, tests\/\*\*; forbidden: \.github\/\*\*/);
    });

    await t.step("Claude Code Edit inside scope: exit 0", async () => {
      const r = await hook(claudeEvent(dir, "Edit", {
        file_path: `${dir}/src/a.ts`,
        old_string: "a",
        new_string: "b",
        replace_all: false,
      }));
      assert.equal(r.code, 0, r.stderr);
    });

    await t.step("Claude Code MultiEdit on a forbidden file: exit 2 naming the glob", async () => {
      const r = await hook(claudeEvent(dir, "MultiEdit", {
        file_path: `${dir}/.github/workflows/ci.yml`,
        edits: [{ old_string: "a", new_string: "b" }],
      }));
      assert.equal(r.code, 2);
      assert.match(r.stderr, /\.github\/workflows\/ci\.yml: forbidden by "\.github\/\*\*"/);
    });

    await t.step("Claude Code NotebookEdit outside scope: exit 2", async () => {
      const r = await hook(claudeEvent(dir, "NotebookEdit", {
        notebook_path: `${dir}/nb/a.ipynb`,
        new_source: "x",
      }));
      assert.equal(r.code, 2);
      assert.match(r.stderr, /nb\/a\.ipynb: outside allowed_files/);
    });

    await t.step("Gemini CLI write_file with a relative path: exit 2", async () => {
      const r = await hook(
        geminiEvent(dir, "write_file", { file_path: "docs/y.md", content: "y" }),
      );
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^keel: write_file blocked/);
      assert.match(r.stderr, /docs\/y\.md: outside allowed_files/);
    });

    await t.step("Gemini CLI replace inside scope: exit 0", async () => {
      const r = await hook(geminiEvent(dir, "replace", {
        file_path: `${dir}/tests/a_test.ts`,
        old_string: "a",
        new_string: "b",
      }));
      assert.equal(r.code, 0, r.stderr);
    });

    await t.step("edits[] with a path per edit: any out-of-scope path blocks", async () => {
      const r = await hook(JSON.stringify({
        tool_name: "apply_patch",
        tool_input: { edits: [{ path: "src/a.ts" }, { path: "docs/z.md" }] },
        cwd: dir,
      }));
      assert.equal(r.code, 2);
      assert.match(r.stderr, /docs\/z\.md: outside allowed_files/);
      assert.ok(!r.stderr.includes("src/a.ts:"));
    });

    await t.step("reads and keel's own files are never blocked", async () => {
      const read = await hook(claudeEvent(dir, "Read", { file_path: `${dir}/docs/x.md` }));
      assert.equal(read.code, 0);
      const own = await hook(
        claudeEvent(dir, "Write", { file_path: `${dir}/.keel/notes.md`, content: "" }),
      );
      assert.equal(own.code, 0);
      const bash = await hook(claudeEvent(dir, "Bash", { command: "ls" }));
      assert.equal(bash.code, 0);
    });

    await t.step("input that is not JSON is a non-blocking error (exit 3)", async () => {
      const r = await hook("{not json");
      assert.equal(r.code, 3);
      assert.match(r.stderr, /error\[HOOK_EVENT_INVALID\]/);
    });

    await t.step("keel guard check: exit 1 with a reason per path, --json too", async () => {
      const c = await keel(dir, ["guard", "check", "src/a.ts", "docs/x.md", ".github/x"]);
      assert.equal(c.code, 1);
      assert.deepEqual(c.stdout.trimEnd().split("\n"), [
        '✓ src/a.ts  inside allowed_files of contract "default"',
        '✗ docs/x.md  outside allowed_files of contract "default" (src/**, tests/**)',
        '✗ .github/x  forbidden by ".github/**" (forbidden_files of contract "default")',
      ]);
      const j = await keelJson(dir, ["guard", "check", `${dir}/src/b.ts`]);
      assert.equal(j.code, 0);
      const paths = j.json.paths as { path: string; allowed: boolean; scope: string }[];
      assert.deepEqual(paths.map((p) => [p.path, p.allowed, p.scope]), [[
        "src/b.ts",
        true,
        "allowed",
      ]]);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("keel hooks install: worktree-aware and core.hooksPath", async (t) => {
  const dir = await tempRepo();
  const wt = `${dir}-wt`;
  try {
    await contract(dir);
    await t.step("from a linked worktree the hooks go to the shared hooks directory", async () => {
      await git(dir, "worktree", "add", "-q", "-b", "lane", wt);
      const r = await keelJson(wt, ["hooks", "install"]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.json.hooks_dir, `${await Deno.realPath(dir)}/.git/hooks`);
    });
    await t.step("a run active in the worktree guards commits made there", async () => {
      assert.equal((await keelJson(wt, ["run", "start"])).code, 0);
      await stage(wt, "docs/x.md");
      const c = await tryCommit(wt, "-m", "docs");
      assert.equal(c.code, 1);
      assert.match(c.stderr, /docs\/x\.md {2}\(outside allowed_files/);
      await git(wt, "restore", "--staged", "docs/x.md");
      await stage(dir, "docs/y.md");
      const main = await tryCommit(dir, "-m", "docs in the main worktree (no run there)");
      assert.equal(main.code, 0, main.stderr);
    });
    await t.step("core.hooksPath is honoured", async () => {
      await git(dir, "config", "core.hooksPath", ".githooks");
      const r = await keelJson(dir, ["hooks", "install"]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.json.hooks_dir, `${dir}/.githooks`);
      assert.match(await Deno.readTextFile(`${dir}/.githooks/pre-commit`), /keel-managed hook/);
    });
  } finally {
    await git(dir, "worktree", "remove", "--force", wt).catch(() => {});
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(wt, { recursive: true }).catch(() => {});
  }
});
