import assert from "node:assert/strict";
import { editJson, git, keel, keelJson, readJson, tempRepo, writeFile } from "./helpers.ts";

const C = ".keel/contracts/default";

type Finding = {
  id: string;
  code: string;
  severity: string;
  key: string;
  evidence: Record<string, unknown>;
};
type Report = Record<string, unknown> & {
  run_id: string;
  state: string;
  verdict: string;
  findings: Finding[];
  commits: { sha: string; unit: string | null; matched_by: string | null; files: string[] }[];
  files: { path: string; source: string; in_scope: boolean }[];
  meta: Record<string, unknown>;
  analysis: Record<string, unknown> & { base_is_ancestor: boolean };
};

/** Write and approve the contract: u1 (src/**, unit) then u2 (tests/**, lint). */
async function contract(dir: string): Promise<void> {
  assert.equal((await keelJson(dir, ["init"])).code, 0);
  await editJson(`${dir}/${C}/intent.json`, (v) => {
    v.goal = "Add the parser";
    v.constraints = [];
    v.allowed_files = ["src/**", "tests/**"];
    v.forbidden_files = [".github/**"];
  });
  await editJson(`${dir}/${C}/test_contract.json`, (v) => {
    v.tests = [
      { id: "unit", command: "true", required: true, gate: "finish" },
      { id: "lint", command: "true", required: true, gate: "finish" },
    ];
  });
  await editJson(`${dir}/${C}/commit_plan.json`, (v) => {
    v.units = [
      { id: "u1", summary: "parser", files: ["src/**"], tests: ["unit"], depends_on: [] },
      { id: "u2", summary: "tests", files: ["tests/**"], tests: ["lint"], depends_on: ["u1"] },
    ];
  });
  const a = await keelJson(dir, ["approve", "all", "--by", "me"]);
  assert.equal(a.code, 0, JSON.stringify(a.json));
  await git(dir, "add", ".gitattributes");
  await git(dir, "commit", "-qm", "keel init");
}

async function commitFile(dir: string, path: string, message: string): Promise<string> {
  await writeFile(dir, path, `${path}\n`);
  await git(dir, "add", path);
  await git(dir, "commit", "-qm", message);
  return (await git(dir, "rev-parse", "HEAD")).trim();
}

async function startRun(dir: string, backend = "cli"): Promise<string> {
  const s = await keelJson(dir, ["run", "start", "--git-backend", backend]);
  assert.equal(s.code, 0, JSON.stringify(s.json));
  return s.json.run_id as string;
}

/** The report without what legitimately differs between analyses. */
function comparable(r: Report): unknown {
  const { analyzed_at: _a, git_backend: _g, ...analysis } = r.analysis;
  const { git_backend: _m, ...meta } = r.meta;
  return { ...r, analysis, meta };
}

Deno.test("run finish: the drifted run of the issue, and a clean run", async (t) => {
  const repo = await tempRepo();
  const clean = await tempRepo();
  try {
    await contract(repo);
    const runId = await startRun(repo);
    await commitFile(repo, "src/parser.ts", "feat: parser\n\nKeel-Unit: u1");
    await commitFile(repo, "tests/parser_test.ts", "test: parser");
    const stray = await commitFile(repo, "docs/x.md", "docs: notes");
    assert.equal((await keel(repo, ["run", "exec", "unit", "--", "true"])).code, 0);

    let finished: Report;
    await t.step("keel drift on the running run is a preview; nothing is written", async () => {
      const d = await keelJson(repo, ["drift"]);
      assert.equal(d.code, 1);
      assert.equal(d.json.state, "running");
      assert.deepEqual((d.json as unknown as Report).findings.map((f) => f.code), [
        "SCOPE_FILE_OUTSIDE_ALLOWED",
        "PLAN_COMMIT_UNPLANNED",
        "TEST_REQUIRED_NOT_RUN",
      ]);
      const disk = await readJson<Report>(`${repo}/.keel/runs/${runId}/run_report.json`);
      assert.deepEqual(disk.findings, []);
      assert.equal(disk.verdict, null);
    });
    await t.step("reports exactly the three findings, drifted, exit 1", async () => {
      const r = await keelJson(repo, ["run", "finish"]);
      assert.equal(r.code, 1, JSON.stringify(r.json));
      finished = r.json as unknown as Report;
      assert.deepEqual(finished.findings.map((f) => [f.id, f.code, f.severity]), [
        ["F1", "SCOPE_FILE_OUTSIDE_ALLOWED", "error"],
        ["F2", "PLAN_COMMIT_UNPLANNED", "error"],
        ["F3", "TEST_REQUIRED_NOT_RUN", "error"],
      ]);
      assert.equal(finished.findings[0]!.evidence.path, "docs/x.md");
      assert.equal(finished.findings[1]!.evidence.sha, stray);
      assert.equal(finished.findings[2]!.evidence.test_id, "lint");
      assert.equal(finished.verdict, "drifted");
      assert.equal(finished.state, "finished");
      assert.match(finished.meta.finished_at as string, /^\d{4}-/);
      assert.deepEqual(finished.commits.map((c) => [c.unit, c.matched_by]), [
        ["u1", "trailer"],
        ["u2", "files"],
        [null, null],
      ]);
    });
    await t.step(
      "the report on disk is the --json document; the active run is cleared",
      async () => {
        const disk = await readJson(`${repo}/.keel/runs/${runId}/run_report.json`);
        assert.deepEqual(disk, finished);
        const st = await keelJson(repo, ["status"]);
        assert.equal(st.json.active_run, null);
        const again = await keelJson(repo, ["run", "finish"]);
        assert.equal(again.code, 3);
        assert.equal(again.json.error?.code, "RUN_NOT_ACTIVE");
        const late = await keelJson(repo, [
          "run",
          "record",
          "lint",
          "--status",
          "passed",
          "--run",
          runId,
        ]);
        assert.equal(late.code, 3);
        assert.equal(late.json.error?.code, "RUN_NOT_ACTIVE");
      },
    );
    await t.step("keel drift shows the same findings (latest run by default)", async () => {
      const d = await keelJson(repo, ["drift"]);
      assert.equal(d.code, 1);
      assert.deepEqual(d.json, finished);
      const byId = await keelJson(repo, ["drift", "--run", runId]);
      assert.deepEqual(byId.json, finished);
      const text = await keel(repo, ["drift"]);
      assert.equal(text.code, 1);
      assert.match(text.stdout, /Units: 2 planned, 2 landed, 0 missing/);
      assert.match(text.stdout, /✓\s+u1\s+1 commit\(s\)\s+parser/);
      assert.match(text.stdout, new RegExp(`${stray.slice(0, 8)}\\s+UNPLANNED`));
      assert.match(text.stdout, /✗ docs\/x\.md\s+\(outside allowed_files; committed\)/);
      assert.match(text.stdout, /-\s+lint\s+not run\s+required, finish gate/);
      assert.match(
        text.stdout,
        /Verdict: drifted — 3 error finding\(s\) not accepted \(F1, F2, F3\)/,
      );
    });
    await t.step("both git adapters reanalyse the recorded range to the same result", async () => {
      // A finished run is immutable: a reanalysis that differed would be RUN_ANALYSIS_CHANGED.
      const iso = await keelJson(repo, ["drift", "--reanalyze", "--git-backend", "isomorphic"]);
      assert.equal(iso.code, 1, JSON.stringify(iso.json));
      const cli = await keelJson(repo, ["drift", "--reanalyze", "--git-backend", "cli"]);
      assert.equal(cli.code, 1, JSON.stringify(cli.json));
      assert.deepEqual(comparable(iso.json as unknown as Report), comparable(finished));
      assert.deepEqual(comparable(cli.json as unknown as Report), comparable(finished));
    });
    await t.step("runReportOp (run/report) returns the stored report", async () => {
      const { runReportOp } = await import("../core/run/mod.ts");
      const { systemClock } = await import("../core/util/mod.ts");
      const ctx = { cwd: repo, clock: systemClock, env: {}, gitBackend: "cli" as const };
      const disk = await readJson(`${repo}/.keel/runs/${runId}/run_report.json`);
      assert.deepEqual(await runReportOp({}, ctx), disk);
      assert.deepEqual(await runReportOp({ run: runId }, ctx), disk);
      await assert.rejects(runReportOp({ contract: "other" }, ctx), /No run of contract "other"/);
    });
    await t.step("drift of an unknown run is RUN_NOT_FOUND", async () => {
      const r = await keelJson(repo, ["drift", "--run", "01ARZ3NDEKTSV4RRFFQ69G5FAV"]);
      assert.equal(r.code, 3);
      assert.equal(r.json.error?.code, "RUN_NOT_FOUND");
    });

    await t.step("a clean run is aligned, exit 0", async () => {
      await contract(clean);
      await startRun(clean);
      await commitFile(clean, "src/parser.ts", "feat: parser");
      await commitFile(clean, "tests/parser_test.ts", "test: parser");
      assert.equal((await keel(clean, ["run", "exec", "unit", "--", "true"])).code, 0);
      assert.equal((await keel(clean, ["run", "exec", "lint"])).code, 0);
      const r = await keel(clean, ["run", "finish"]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /Verdict: aligned\./);
      assert.match(r.stdout, /Findings: none/);
      const d = await keelJson(clean, ["drift"]);
      assert.equal(d.code, 0);
      assert.equal(d.json.verdict, "aligned");
      assert.deepEqual(d.json.findings, []);
    });
  } finally {
    await Deno.remove(repo, { recursive: true });
    await Deno.remove(clean, { recursive: true });
  }
});

Deno.test("run finish in a linked worktree: both adapters agree", async (t) => {
  const main = await tempRepo();
  const wt = `${main}-wt`;
  try {
    await git(main, "worktree", "add", "-q", "-b", "lane", wt);
    await contract(wt);
    await startRun(wt, "isomorphic");
    await commitFile(wt, "src/a.ts", "feat: a");
    await writeFile(wt, "src/b.ts", "b\n");
    await git(wt, "add", "src/b.ts");
    await git(wt, "commit", "-qm", "feat: b\n\nKeel-Unit: u1");
    await Deno.mkdir(`${wt}/tests`);
    await git(wt, "mv", "src/b.ts", "tests/b_test.ts");
    await git(wt, "commit", "-qm", "test: move b");
    const moved = (await git(wt, "rev-parse", "HEAD")).trim();
    const ci = await commitFile(wt, ".github/ci.yml", "ci");
    await writeFile(wt, "src/staged.ts", "s\n");
    await git(wt, "add", "src/staged.ts");
    await writeFile(wt, "src/a.ts", "changed\n");
    await writeFile(wt, "notes.txt", "untracked\n");
    await keel(wt, ["run", "record", "unit", "--status", "failed"]);
    let first: Report;
    await t.step("finish with isomorphic-git", async () => {
      const r = await keelJson(wt, ["run", "finish", "--git-backend", "isomorphic"]);
      assert.equal(r.code, 1, JSON.stringify(r.json));
      first = r.json as unknown as Report;
      assert.equal(first.meta.branch, "lane");
      assert.deepEqual(first.findings.map((f) => [f.code, f.key]), [
        ["SCOPE_FILE_FORBIDDEN", "SCOPE_FILE_FORBIDDEN:.github/ci.yml"],
        ["SCOPE_FILE_OUTSIDE_ALLOWED", "SCOPE_FILE_OUTSIDE_ALLOWED:notes.txt"],
        ["PLAN_COMMIT_UNPLANNED", `PLAN_COMMIT_UNPLANNED:${ci}`],
        ["PLAN_UNIT_MISSING", "PLAN_UNIT_MISSING:u2"],
        ["PLAN_COMMIT_OUTSIDE_UNIT", `PLAN_COMMIT_OUTSIDE_UNIT:${moved}`],
        ["TEST_REQUIRED_NOT_RUN", "TEST_REQUIRED_NOT_RUN:lint"],
        ["TEST_REQUIRED_FAILED", "TEST_REQUIRED_FAILED:unit"],
        ["WORKTREE_UNCOMMITTED", "WORKTREE_UNCOMMITTED:"],
      ]);
      assert.deepEqual(first.findings[7]!.evidence, {
        staged: ["src/staged.ts"],
        unstaged: ["src/a.ts"],
        untracked: ["notes.txt"],
      });
      const mv = first.commits.find((c) => c.sha === moved)!;
      assert.deepEqual(mv.files, ["src/b.ts", "tests/b_test.ts"]);
      assert.deepEqual((mv as unknown as { renames: unknown }).renames, [
        { from: "src/b.ts", to: "tests/b_test.ts" },
      ]);
    });
    await t.step("re-analysis with the git CLI gives the identical report", async () => {
      const cli = await keelJson(wt, ["drift", "--reanalyze", "--git-backend", "cli"]);
      assert.equal(cli.code, 1);
      assert.deepEqual(comparable(cli.json as unknown as Report), comparable(first));
      const iso = await keelJson(wt, ["drift", "--reanalyze", "--git-backend", "isomorphic"]);
      assert.deepEqual(comparable(iso.json as unknown as Report), comparable(first));
    });
  } finally {
    await Deno.remove(wt, { recursive: true }).catch(() => {});
    await Deno.remove(main, { recursive: true });
  }
});

Deno.test("run finish edge cases", async (t) => {
  await t.step("a rewritten base is BASE_NOT_ANCESTOR, not a crash", async () => {
    const repo = await tempRepo();
    try {
      await contract(repo);
      const base = await commitFile(repo, "src/pre.ts", "pre");
      await startRun(repo);
      await git(repo, "reset", "-q", "--hard", "HEAD~1");
      const a = await commitFile(repo, "src/a.ts", "feat: a");
      const b = await commitFile(repo, "tests/a_test.ts", "test: a");
      await keel(repo, ["run", "exec", "unit"]);
      await keel(repo, ["run", "exec", "lint"]);
      for (const backend of ["cli", "isomorphic"]) {
        const r = backend === "cli"
          ? await keelJson(repo, ["run", "finish"])
          : await keelJson(repo, ["drift", "--reanalyze", "--git-backend", backend]);
        assert.equal(r.code, 1, JSON.stringify(r.json));
        const rep = r.json as unknown as Report;
        assert.deepEqual(rep.findings.map((f) => f.code), ["BASE_NOT_ANCESTOR"]);
        assert.equal(rep.findings[0]!.evidence.base_commit, base);
        assert.equal(rep.analysis.base_is_ancestor, false);
        assert.deepEqual(rep.commits.map((c) => c.sha), [a, b]);
      }
    } finally {
      await Deno.remove(repo, { recursive: true });
    }
  });
  await t.step(
    "a contract artifact edited during the run is CONTRACT_CHANGED_DURING_RUN",
    async () => {
      const repo = await tempRepo();
      try {
        await contract(repo);
        await startRun(repo);
        await commitFile(repo, "src/a.ts", "feat: a");
        await commitFile(repo, "tests/a_test.ts", "test: a");
        await keel(repo, ["run", "exec", "unit"]);
        await keel(repo, ["run", "exec", "lint"]);
        await editJson(`${repo}/${C}/intent.json`, (v) => {
          v.allowed_files = ["**"];
        });
        const r = await keelJson(repo, ["run", "finish"]);
        assert.equal(r.code, 1);
        const rep = r.json as unknown as Report;
        assert.deepEqual(rep.findings.map((f) => [f.code, f.evidence.artifact, f.evidence.path]), [
          ["CONTRACT_CHANGED_DURING_RUN", "intent", `${C}/intent.json`],
        ]);
      } finally {
        await Deno.remove(repo, { recursive: true });
      }
    },
  );
  await t.step("a failed test command: TEST_REQUIRED_FAILED names the test", async () => {
    const repo = await tempRepo();
    try {
      await contract(repo);
      await startRun(repo);
      await commitFile(repo, "src/a.ts", "feat: a");
      await commitFile(repo, "tests/a_test.ts", "test: a");
      assert.equal((await keel(repo, ["run", "exec", "unit", "--", "no-such-cmd-xyz"])).code, 1);
      await keel(repo, ["run", "exec", "lint"]);
      const r = await keelJson(repo, ["run", "finish"]);
      const rep = r.json as unknown as Report;
      assert.deepEqual(rep.findings.map((f) => [f.code, f.evidence.test_id, f.evidence.status]), [
        ["TEST_REQUIRED_FAILED", "unit", "error"],
        ["TEST_COMMAND_MISMATCH", "unit", undefined],
      ]);
    } finally {
      await Deno.remove(repo, { recursive: true });
    }
  });
});
