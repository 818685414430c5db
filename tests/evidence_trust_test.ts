/**
 * Evidence you can trust: provenance of every result, honest scope, approval
 * that means something, immutable finished runs, `keel verify`, interrupted
 * tests — each shown with the real CLI in a temporary repository.
 *
 * @module
 */

import assert from "node:assert/strict";
import { editJson, git, keel, keelJson, readJson, tempRepo, writeFile } from "./helpers.ts";

const C = ".keel/contracts/default";

type Rec = {
  test_id: string;
  status: string;
  source: string;
  command?: string[] | null;
  contract_command?: string[] | null;
  exit_code?: number | null;
  duration_ms?: number | null;
  evidence?: string | null;
  sha256?: string | null;
  reason?: string | null;
};
type Finding = { id: string; code: string; severity: string; evidence: Record<string, unknown> };
type Report = {
  run_id: string;
  state: string;
  verdict: string;
  tests: Rec[];
  findings: Finding[];
  commits: { sha: string; unit: string | null; units?: string[] }[];
  files: { path: string; preexisting?: boolean }[];
  preexisting?: { path: string; state: string }[];
  imports?: { path: string; evidence: string; sha256: string }[];
  analysis: { tests: { test_id: string; status: string; source?: string | null }[] };
};

/** An approved contract: unit (contract command), lint (executed evidence), api (JUnit). */
async function approved(
  repo: string,
  tests: Record<string, unknown>[] = [
    { id: "unit", command: `sh -c "echo from-contract"`, required: true, gate: "finish" },
    { id: "lint", command: "true", required: true, gate: "finish", evidence: "executed" },
  ],
): Promise<void> {
  assert.equal((await keelJson(repo, ["init"])).code, 0);
  await editJson(`${repo}/${C}/intent.json`, (v) => {
    v.goal = "Add the parser";
    v.constraints = [];
    v.allowed_files = ["src/**"];
    v.forbidden_files = ["secret/**"];
  });
  await editJson(`${repo}/${C}/test_contract.json`, (v) => void (v.tests = tests));
  await editJson(`${repo}/${C}/commit_plan.json`, (v) => {
    v.units = [
      { id: "u1", summary: "parser", files: ["src/p/**"], tests: [], depends_on: [] },
      { id: "u2", summary: "cli", files: ["src/c/**"], tests: [], depends_on: [] },
    ];
  });
  const a = await keelJson(repo, ["approve", "all", "--by", "me"]);
  assert.equal(a.code, 0, JSON.stringify(a.json));
}

async function commit(repo: string, path: string, message: string): Promise<string> {
  await writeFile(repo, path, `${path}\n`);
  await git(repo, "add", path);
  await git(repo, "commit", "-qm", message);
  return (await git(repo, "rev-parse", "HEAD")).trim();
}

function codes(r: Report): string[][] {
  return r.findings.map((
    f,
  ) => [f.code, f.severity, String(f.evidence.test_id ?? f.evidence.path ?? f.evidence.sha ?? "")]);
}

Deno.test("provenance: contract command, mismatch, self-reported, sha256", async (t) => {
  const repo = await tempRepo();
  try {
    await approved(repo, [
      { id: "unit", command: `sh -c "echo from-contract"`, required: true, gate: "finish" },
      { id: "lint", command: "true", required: true, gate: "finish", evidence: "executed" },
      { id: "docs", command: "true", required: true, gate: "finish" },
      { id: "e2e", command: "true", required: true, gate: "finish", evidence: "executed" },
      { id: "api", junit_name: "pkg.Api.*", required: true, gate: "finish" },
      { id: "manual-only", required: false, gate: "advisory", junit_name: "nothing" },
    ]);
    await git(repo, "add", ".");
    await git(repo, "commit", "-qm", "keel init");
    const start = await keelJson(repo, ["run", "start"]);
    assert.equal(start.code, 0, JSON.stringify(start.json));
    const runId = start.json.run_id as string;

    await t.step("run exec TEST_ID alone runs the contract command (argv, no shell)", async () => {
      const r = await keelJson(repo, ["run", "exec", "unit"]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /from-contract/);
      const rec = r.json.record as Rec;
      assert.equal(rec.source, "exec");
      assert.deepEqual(rec.command, ["sh", "-c", "echo from-contract"]);
      assert.deepEqual(rec.contract_command, ["sh", "-c", "echo from-contract"]);
      assert.equal(rec.exit_code, 0);
      assert.equal(typeof rec.duration_ms, "number");
      const bytes = await Deno.readFile(`${repo}/.keel/runs/${runId}/${rec.evidence}`);
      const digest = Array.from(
        new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)),
        (b) => b.toString(16).padStart(2, "0"),
      ).join("");
      assert.equal(rec.sha256, digest);
    });
    await t.step(
      "a test without a contract command and no -- CMD is TEST_COMMAND_MISSING",
      async () => {
        const r = await keelJson(repo, ["run", "exec", "api"]);
        assert.equal(r.code, 2);
        assert.equal(r.json.error?.code, "TEST_COMMAND_MISSING");
        const rep = await readJson<Report>(`${repo}/.keel/runs/${runId}/run_report.json`);
        assert.equal(rep.tests.length, 1, "nothing recorded");
      },
    );
    await t.step("-- true against another contract command is recorded with both", async () => {
      const r = await keel(repo, ["run", "exec", "lint", "--json", "--", "sh", "-c", "exit 0"]);
      assert.equal(r.code, 0);
      const rec = JSON.parse(r.stdout).record as Rec;
      assert.deepEqual(rec.command, ["sh", "-c", "exit 0"]);
      assert.deepEqual(rec.contract_command, ["true"]);
      assert.equal((await keel(repo, ["run", "exec", "docs", "--", "sh", "-c", "exit 0"])).code, 0);
      const text = await keel(repo, ["run", "exec", "e2e"]);
      assert.equal(text.code, 0);
    });
    await t.step("a manual record is source manual", async () => {
      const r = await keelJson(repo, ["run", "record", "e2e", "--status", "passed"]);
      assert.equal((r.json.record as Rec).source, "manual");
      await writeFile(
        repo,
        "reports/junit.xml",
        '<?xml version="1.0"?>\n<testsuite name="s">\n' +
          '  <testcase classname="pkg.Api" name="get"/>\n' +
          '  <testcase classname="other" name="a"/>\n  <testcase classname="other" name="b"/>\n' +
          "</testsuite>\n",
      );
      const j = await keelJson(repo, ["run", "import-junit", "reports/junit.xml"]);
      assert.equal(j.code, 0, JSON.stringify(j.json));
      await commit(repo, "src/p/a.ts", "feat: a\n\nKeel-Unit: u1\nKeel-Unit: u2");
    });
    await t.step("finish: mismatch and self-reported, errors under evidence executed", async () => {
      const r = await keelJson(repo, ["run", "finish"]);
      assert.equal(r.code, 1);
      const rep = r.json as unknown as Report;
      assert.deepEqual(codes(rep), [
        ["TEST_COMMAND_MISMATCH", "error", "lint"],
        ["TEST_COMMAND_MISMATCH", "warning", "docs"],
        ["TEST_EVIDENCE_SELF_REPORTED", "error", "e2e"],
        ["TEST_UNPLANNED", "warning", ""],
      ]);
      assert.deepEqual(rep.findings[0]!.evidence.command, ["sh", "-c", "exit 0"]);
      assert.equal(rep.findings[0]!.evidence.contract_command, "true");
      assert.deepEqual(
        rep.analysis.tests.filter((x) => x.test_id !== "manual-only").map((x) => [
          x.test_id,
          x.status,
          x.source,
        ]),
        [
          ["unit", "passed", "exec"],
          ["lint", "passed", "exec"],
          ["docs", "passed", "exec"],
          ["e2e", "passed", "manual"],
          ["api", "passed", "junit"],
          ["other.a", "passed", "junit"],
          ["other.b", "passed", "junit"],
        ],
      );
    });
    await t.step("the summary shows each result's source; unplanned JUnit collapsed", async () => {
      const text = await keel(repo, ["drift"]);
      assert.match(
        text.stdout,
        /✓\s+unit\s+passed\s+required, finish gate\s+exec `sh -c echo from-contract` exit 0/,
      );
      assert.match(
        text.stdout,
        /✓\s+e2e\s+passed\s+required, finish gate\s+manual \(self-reported\)/,
      );
      assert.match(text.stdout, /✓\s+api\s+passed\s+required, finish gate\s+junit/);
      assert.match(text.stdout, /\+2 unplanned JUnit testcase\(s\), none failed/);
      assert.doesNotMatch(text.stdout, /other\.a\s+passed/);
    });
    await t.step("two Keel-Unit trailers credit both units", async () => {
      const rep = await readJson<Report>(`${repo}/.keel/runs/${runId}/run_report.json`);
      assert.deepEqual(rep.commits.map((c) => [c.unit, c.units]), [["u1", ["u1", "u2"]]]);
      assert.ok(!rep.findings.some((f) => f.code === "PLAN_UNIT_MISSING"));
    });
    await t.step(
      "the imported JUnit file inside the repository is not a scope finding",
      async () => {
        const rep = await readJson<Report>(`${repo}/.keel/runs/${runId}/run_report.json`);
        assert.deepEqual(rep.imports?.map((i) => [i.path, i.evidence]), [
          ["reports/junit.xml", "evidence/junit-1.xml"],
        ]);
        assert.ok(!rep.files.some((f) => f.path === "reports/junit.xml"));
      },
    );
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("honest scope: pre-existing changes and keel's own files are not blamed", async (t) => {
  const repo = await tempRepo();
  try {
    await writeFile(repo, "secret/key.txt", "old\n");
    await git(repo, "add", "secret/key.txt");
    await git(repo, "commit", "-qm", "secret");
    await approved(repo);
    // Not committed: .keel/ and .gitattributes from init; a dirty tracked file; an untracked note.
    await writeFile(repo, "secret/key.txt", "edited before the run\n");
    await writeFile(repo, "notes.txt", "mine\n");
    await writeFile(repo, "docs/draft.md", "draft\n");

    await t.step("--require-clean refuses with WORKTREE_NOT_CLEAN naming the paths", async () => {
      const r = await keelJson(repo, ["run", "start", "--require-clean"]);
      assert.equal(r.code, 1);
      assert.equal(r.json.error?.code, "WORKTREE_NOT_CLEAN");
      const data = (r.json.error as unknown as { data: { preexisting: { path: string }[] } }).data;
      assert.deepEqual(data.preexisting.map((p) => p.path), [
        ".gitattributes",
        "docs/draft.md",
        "notes.txt",
        "secret/key.txt",
      ]);
    });
    await t.step("run start warns and records what was already dirty", async () => {
      const r = await keel(repo, ["run", "start"]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /warning: 4 path\(s\) were already dirty or untracked at start/);
    });
    await t.step("at finish they are pre-existing, unless the run changed them", async () => {
      await writeFile(repo, "docs/draft.md", "the run edited this\n");
      await git(repo, "add", ".gitattributes");
      await git(repo, "commit", "-qm", "keel attributes");
      await commit(repo, "src/p/x.ts", "feat: x\n\nKeel-Unit: u1");
      await commit(repo, "src/c/y.ts", "feat: y\n\nKeel-Unit: u2");
      assert.equal((await keel(repo, ["run", "exec", "unit"])).code, 0);
      assert.equal((await keel(repo, ["run", "exec", "lint"])).code, 0);
      const r = await keelJson(repo, ["run", "finish"]);
      const rep = r.json as unknown as Report;
      assert.deepEqual(codes(rep), [
        ["SCOPE_FILE_OUTSIDE_ALLOWED", "error", "docs/draft.md"],
        ["WORKTREE_UNCOMMITTED", "warning", ""],
      ]);
      assert.deepEqual(rep.findings[1]!.evidence.untracked, ["docs/draft.md"]);
      assert.deepEqual(
        rep.files.filter((f) => f.preexisting).map((f) => f.path),
        ["notes.txt", "secret/key.txt"],
      );
      assert.ok(!rep.files.some((f) => f.path === ".gitattributes"));
      const text = await keel(repo, ["drift"]);
      assert.match(
        text.stdout,
        /pre-existing \(dirty before the run started, unchanged, not blamed\): notes\.txt, secret\/key\.txt/,
      );
    });
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("finished runs are immutable; keel verify names what changed", async (t) => {
  const repo = await tempRepo();
  try {
    await approved(repo);
    await git(repo, "add", ".");
    await git(repo, "commit", "-qm", "keel init");
    const runId = (await keelJson(repo, ["run", "start", "--agent", "bot"])).json.run_id as string;
    await commit(repo, "src/p/x.ts", "feat: x\n\nKeel-Unit: u1");
    assert.equal((await keel(repo, ["run", "exec", "unit"])).code, 0);
    assert.equal((await keel(repo, ["run", "exec", "lint"])).code, 0);
    const finished = (await keelJson(repo, ["run", "finish"])).json as unknown as Report;
    assert.deepEqual(codes(finished), [["PLAN_UNIT_MISSING", "error", ""]]);
    const path = `${repo}/.keel/runs/${runId}/run_report.json`;

    await t.step(
      "--reanalyze after a later commit leaves commits and findings unchanged",
      async () => {
        const before = await Deno.readTextFile(path);
        await commit(repo, "src/c/later.ts", "feat: later\n\nKeel-Unit: u2");
        await commit(repo, "docs/later.md", "docs: after the run");
        const r = await keelJson(repo, ["drift", "--reanalyze"]);
        assert.equal(r.code, 1, JSON.stringify(r.json));
        const rep = r.json as unknown as Report;
        assert.deepEqual(rep.commits, finished.commits);
        assert.deepEqual(rep.findings, finished.findings);
        assert.equal(await Deno.readTextFile(path), before, "the report is not rewritten");
      },
    );
    await t.step(
      "a reanalysis that would differ is RUN_ANALYSIS_CHANGED; nothing written",
      async () => {
        const original = await Deno.readTextFile(path);
        await editJson(path, (v) => void (v.findings = []));
        const edited = await Deno.readTextFile(path);
        const r = await keelJson(repo, ["drift", "--reanalyze"]);
        assert.equal(r.code, 4);
        assert.equal(r.json.error?.code, "RUN_ANALYSIS_CHANGED");
        const data = (r.json.error as unknown as { data: { added: string[]; removed: string[] } })
          .data;
        assert.deepEqual(data.removed, []);
        assert.equal(data.added.length, 1);
        assert.match(data.added[0]!, /^finding F1 PLAN_UNIT_MISSING error/);
        assert.equal(await Deno.readTextFile(path), edited);
        await Deno.writeTextFile(path, original);
      },
    );
    await t.step("keel run list shows the run", async () => {
      const r = await keelJson(repo, ["run", "list"]);
      assert.equal(r.code, 0);
      const runs = r.json.runs as Record<string, unknown>[];
      assert.equal(runs.length, 1);
      assert.deepEqual(
        [runs[0]!.run_id, runs[0]!.contract, runs[0]!.state, runs[0]!.verdict, runs[0]!.agent],
        [runId, "default", "finished", "drifted", "bot"],
      );
      const text = await keel(repo, ["run", "list"]);
      assert.match(text.stdout, new RegExp(`${runId}\\s+default\\s+finished\\s+drifted\\s+bot`));
    });
    await t.step("keel status says the contract already has a finished run", async () => {
      const text = await keel(repo, ["status"]);
      assert.match(text.stdout, new RegExp(`finished run ${runId} \\(drifted\\)`));
    });
    await t.step("verify passes on the untouched run", async () => {
      const r = await keelJson(repo, ["verify"]);
      assert.equal(r.code, 0, JSON.stringify(r.json));
      assert.equal(r.json.ok, true);
      assert.deepEqual(r.json.checked, { evidence_files: 2, commits: 1, artifacts: 3 });
    });
    await t.step(
      "an edited evidence file: EVIDENCE_DIGEST_MISMATCH naming it, exit 1",
      async () => {
        const ev = `${repo}/.keel/runs/${runId}/evidence/unit-1.log`;
        const original = await Deno.readTextFile(ev);
        await Deno.writeTextFile(ev, original.replace("from-contract", "forged"));
        const r = await keelJson(repo, ["verify", "--run", runId]);
        assert.equal(r.code, 1);
        const problems = r.json.problems as { code: string; subject: string }[];
        assert.deepEqual(problems.map((p) => [p.code, p.subject]), [
          ["EVIDENCE_DIGEST_MISMATCH", "evidence/unit-1.log"],
        ]);
        const text = await keel(repo, ["verify"]);
        assert.equal(text.code, 1);
        assert.match(
          text.stdout,
          /error\[EVIDENCE_DIGEST_MISMATCH\]: .*evidence\/unit-1\.log changed/,
        );
        await Deno.writeTextFile(ev, original);
      },
    );
    await t.step("an edited report: RUN_REPORT_SEAL_MISMATCH; a forged commit", async () => {
      const original = await Deno.readTextFile(path);
      await editJson(path, (v) => {
        (v.findings as Finding[]).splice(0, 1);
        v.verdict = "aligned";
      });
      let r = await keelJson(repo, ["verify"]);
      assert.equal(r.code, 1);
      assert.deepEqual((r.json.problems as { code: string }[]).map((p) => p.code), [
        "RUN_REPORT_SEAL_MISMATCH",
      ]);
      await Deno.writeTextFile(path, original);
      await editJson(path, (v) => {
        (v.commits as { sha: string }[])[0]!.sha = "0".repeat(40);
      });
      r = await keelJson(repo, ["verify"]);
      assert.deepEqual((r.json.problems as { code: string }[]).map((p) => p.code), [
        "RUN_REPORT_SEAL_MISMATCH",
        "RUN_COMMIT_MISSING",
      ]);
      await Deno.writeTextFile(path, original);
      assert.equal((await keel(repo, ["verify"])).code, 0);
    });
    await t.step(
      "a commit outside the range, an edited snapshot, a deleted evidence file",
      async () => {
        const original = await Deno.readTextFile(path);
        const later = (await git(repo, "rev-parse", "HEAD")).trim();
        await editJson(path, (v) => {
          (v.commits as { sha: string }[])[0]!.sha = later;
          const snap = v.contract_snapshot as { intent: { allowed_files: string[] } };
          snap.intent.allowed_files = ["**"];
        });
        const ev = `${repo}/.keel/runs/${runId}/evidence/lint-1.log`;
        const kept = await Deno.readFile(ev);
        await Deno.remove(ev);
        const r = await keelJson(repo, ["verify"]);
        assert.equal(r.code, 1);
        assert.deepEqual(
          (r.json.problems as { code: string; subject: string }[]).map((p) => [p.code, p.subject]),
          [
            ["RUN_REPORT_SEAL_MISMATCH", "run_report.json"],
            ["RUN_SNAPSHOT_MISMATCH", "contract_snapshot.intent"],
            ["EVIDENCE_MISSING", "evidence/lint-1.log"],
            ["RUN_COMMIT_OUT_OF_RANGE", later],
          ],
        );
        await Deno.writeFile(ev, kept);
        await Deno.writeTextFile(path, original);
        assert.equal((await keel(repo, ["verify"])).code, 0);
      },
    );
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("approval: placeholders refused, identity recorded, approvers enforced", async (t) => {
  const repo = await tempRepo();
  try {
    await git(repo, "config", "user.name", "Ann Maintainer");
    await git(repo, "config", "user.email", "ann@example.invalid");
    assert.equal((await keelJson(repo, ["init"])).code, 0);
    await t.step("an untouched template is refused; --allow-placeholders approves", async () => {
      const r = await keelJson(repo, ["approve", "intent", "--by", "ann"]);
      assert.equal(r.code, 1);
      assert.equal(r.json.error?.code, "CONTRACT_INVALID");
      assert.match(JSON.stringify(r.json.error), /"The goal is stated"/);
      const ok = await keelJson(repo, ["approve", "intent", "--by", "ann", "--allow-placeholders"]);
      assert.equal(ok.code, 0, JSON.stringify(ok.json));
      const intent = await readJson<{ approval: Record<string, unknown> }>(
        `${repo}/${C}/intent.json`,
      );
      assert.equal(intent.approval.placeholders_allowed, true);
    });
    await t.step("the approval records git identity and OS user", async () => {
      await editJson(`${repo}/${C}/intent.json`, (v) => {
        v.goal = "Add the parser";
        v.constraints = [];
      });
      const r = await keelJson(repo, ["approve", "intent", "--by", "ann"], {
        env: { USER: "ann-os" },
      });
      assert.equal(r.code, 0, JSON.stringify(r.json));
      const intent = await readJson<{ approval: Record<string, unknown> }>(
        `${repo}/${C}/intent.json`,
      );
      assert.deepEqual(intent.approval.git_user, {
        name: "Ann Maintainer",
        email: "ann@example.invalid",
      });
      assert.equal(intent.approval.os_user, "ann-os");
      assert.equal(intent.approval.placeholders_allowed, undefined);
    });
    await t.step("approvers in .keel/config.json refuse anyone else", async () => {
      await Deno.writeTextFile(
        `${repo}/.keel/config.json`,
        JSON.stringify({ approvers: ["ann <ann@example.invalid>", "bob"] }),
      );
      const mallory = await keelJson(repo, ["approve", "intent", "--by", "mallory"]);
      assert.equal(mallory.code, 1);
      assert.equal(mallory.json.error?.code, "APPROVER_NOT_ALLOWED");
      await git(repo, "config", "user.email", "someone@example.invalid");
      const fakeAnn = await keelJson(repo, ["approve", "intent", "--by", "ann"]);
      assert.equal(fakeAnn.json.error?.code, "APPROVER_NOT_ALLOWED", "ann's entry needs her email");
      const bob = await keelJson(repo, ["approve", "intent", "--by", "bob"]);
      assert.equal(bob.code, 0, JSON.stringify(bob.json));
    });
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("SIGTERM to run exec: no test process survives, the result is interrupted", async () => {
  const repo = await tempRepo();
  try {
    await approved(repo);
    const runId = (await keelJson(repo, ["run", "start"])).json.run_id as string;
    const marker = `${31 + Math.floor(Math.random() * 1000)}.123`;
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--quiet",
        new URL("../cli/main.ts", import.meta.url).pathname,
        "run",
        "exec",
        "slow",
        "--",
        "sh",
        "-c",
        `echo started; sleep ${marker} & sleep ${marker}; echo never`,
      ],
      cwd: repo,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const reader = child.stdout.getReader();
    let out = "";
    while (!out.includes("started")) {
      const { value, done } = await reader.read();
      if (done) break;
      out += new TextDecoder().decode(value);
    }
    const alive = async () => {
      const ps = await new Deno.Command("ps", { args: ["-eo", "args"], stdout: "piped" }).output();
      return new TextDecoder().decode(ps.stdout).split("\n")
        .filter((l) => l.includes(`sleep ${marker}`) && !l.includes("sh -c")).length;
    };
    // "started" is printed before the shell forks the sleeps: wait until both run.
    for (let i = 0; i < 200 && (await alive()) < 2; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(await alive(), 2, "both sleeps run before the signal");
    child.kill("SIGTERM");
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      out += new TextDecoder().decode(value);
    }
    const status = await child.status;
    await child.stderr.cancel();
    assert.equal(status.code, 1);
    // keel signalled the test's process group before it exited; on a loaded
    // machine the processes may take a moment to go. Anything left after 3 s survived.
    for (let i = 0; i < 60 && (await alive()) > 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(await alive(), 0, "no test process survives");
    assert.match(out, /Test slow \(unplanned\): interrupted \(interrupted by SIGTERM/);
    const rep = await readJson<Report>(`${repo}/.keel/runs/${runId}/run_report.json`);
    const rec = rep.tests.at(-1)!;
    assert.equal(rec.status, "interrupted");
    const ev = await Deno.readTextFile(`${repo}/.keel/runs/${runId}/${rec.evidence}`);
    assert.match(ev, /^started$/m);
    assert.match(ev, /# keel: interrupted/);
    assert.doesNotMatch(ev, /^never$/m);
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("deviation accept F1 F2; warnings on an older run; trust_metrics.json ignored", async (t) => {
  const repo = await tempRepo();
  try {
    await approved(repo);
    await Deno.writeTextFile(`${repo}/.keel/.gitignore`, "locks/\nactive/\n");
    await git(repo, "add", ".");
    await git(repo, "commit", "-qm", "keel init");
    const first = (await keelJson(repo, ["run", "start"])).json.run_id as string;
    const done = await keelJson(repo, ["run", "finish"]);
    assert.deepEqual(codes(done.json as unknown as Report).map((c) => c[0]), [
      "PLAN_UNIT_MISSING",
      "PLAN_UNIT_MISSING",
      "TEST_REQUIRED_NOT_RUN",
      "TEST_REQUIRED_NOT_RUN",
    ]);
    const second = (await keelJson(repo, ["run", "start"])).json.run_id as string;

    await t.step("an unknown id among several accepts none", async () => {
      const r = await keelJson(repo, [
        "deviation",
        "accept",
        "F1",
        "F9",
        "--why",
        "x",
        "--by",
        "me",
      ]);
      assert.equal(r.code, 3);
      assert.equal(r.json.error?.code, "FINDING_NOT_FOUND");
      const rep = await readJson<{ deviations: unknown[] }>(
        `${repo}/.keel/runs/${first}/run_report.json`,
      );
      assert.deepEqual(rep.deviations, []);
    });
    await t.step("F1 F2 accepted at once; the older run is named in a warning", async () => {
      const r = await keel(repo, [
        "deviation",
        "accept",
        "F1",
        "F2",
        "--why",
        "units split differently",
        "--by",
        "me",
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Accepted F1 \(PLAN_UNIT_MISSING\) in run /);
      assert.match(r.stdout, /Accepted F2 \(PLAN_UNIT_MISSING\), same rationale/);
      assert.match(
        r.stderr,
        new RegExp(
          `warning: run ${second} \\(contract "default"\\) is running; this acts on ` +
            `the older finished run ${first}`,
        ),
      );
      const rep = await readJson<{ deviations: { finding_id: string; why: string }[] }>(
        `${repo}/.keel/runs/${first}/run_report.json`,
      );
      assert.deepEqual(rep.deviations.map((d) => [d.finding_id, d.why]), [
        ["F1", "units split differently"],
        ["F2", "units split differently"],
      ]);
      const retro = await keelJson(repo, ["retro"]);
      assert.equal(retro.code, 0);
      assert.equal((retro.json.warnings as string[]).length, 1);
      assert.match((retro.json.warnings as string[])[0]!, new RegExp(`run ${second}`));
    });
    await t.step("no warning when the run acted on is the latest", async () => {
      assert.equal((await keel(repo, ["run", "finish"])).code, 1);
      const r = await keelJson(repo, ["retro"]);
      assert.deepEqual(r.json.warnings, []);
      assert.equal(r.json.run_id, second);
    });
    await t.step("trust keeps trust_metrics.json out of git", async () => {
      assert.equal((await keel(repo, ["trust"])).code, 0);
      assert.equal(
        await Deno.readTextFile(`${repo}/.keel/.gitignore`),
        "locks/\nactive/\n*.lock\n*.tmp\ntrust_metrics.json\n",
      );
      assert.equal(
        (await git(repo, "check-ignore", ".keel/trust_metrics.json")).trim(),
        ".keel/trust_metrics.json",
      );
    });
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("a 300,000-testcase JUnit report: no crash, a bounded run report, detail kept", async () => {
  const repo = await tempRepo();
  try {
    await approved(repo, [
      { id: "unit", command: "true", required: true, gate: "finish" },
      { id: "api", junit_name: "pkg.Api.*", required: true, gate: "finish" },
    ]);
    const runId = (await keelJson(repo, ["run", "start"])).json.run_id as string;
    const parts = ['<?xml version="1.0"?>\n<testsuite name="big">'];
    for (let i = 0; i < 300_000; i++) {
      parts.push(
        i % 1000 === 0
          ? `<testcase classname="pkg.Api" name="t${i}"/>`
          : i === 7
          ? `<testcase classname="pkg.Other" name="t${i}"><failure message="boom"/></testcase>`
          : `<testcase classname="pkg.C${i % 50}" name="t${i}"/>`,
      );
    }
    parts.push("</testsuite>\n");
    await Deno.writeTextFile(`${repo}/big.xml`, parts.join("\n"));
    const r = await keel(repo, ["run", "import-junit", "big.xml", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.testcases.total, 300_000);
    assert.equal(out.matched.api, 300);
    assert.equal(out.unplanned, 299_700);
    assert.equal(out.evidence.detail, "evidence/junit-1.jsonl");
    const path = `${repo}/.keel/runs/${runId}/run_report.json`;
    const size = (await Deno.stat(path)).size;
    assert.ok(size < 64 * 1024, `run report is ${size} bytes`);
    const rep = await readJson<Report & { imports: { unplanned: Record<string, unknown> }[] }>(
      path,
    );
    assert.deepEqual(
      rep.tests.map((x) => [x.test_id, x.status, (x as { testcases?: number }).testcases]),
      [
        ["api", "passed", 300],
      ],
    );
    assert.equal(rep.imports[0]!.unplanned.total, 299_700);
    assert.equal(rep.imports[0]!.unplanned.failed, 1);
    assert.deepEqual((rep.imports[0]!.unplanned.sample as string[])[0], "pkg.Other.t7");
    const detail = await Deno.readTextFile(`${repo}/.keel/runs/${runId}/evidence/junit-1.jsonl`);
    assert.equal(detail.split("\n").filter((l) => l !== "").length, 300_000);
    assert.equal((await keel(repo, ["run", "exec", "unit"])).code, 0);
    const fin = await keel(repo, ["run", "finish"]);
    assert.equal(fin.code, 1, "drifted only by the two units without commits");
    assert.match(
      fin.stdout,
      /Findings: 3\n.*PLAN_UNIT_MISSING.*\n.*PLAN_UNIT_MISSING.*\n.*TEST_UNPLANNED: 299700 JUnit testcase\(s\)/,
    );
    assert.doesNotMatch(fin.stdout, /big\.xml/, "the imported report is not a scope finding");
    assert.match(fin.stdout, /\+299700 unplanned JUnit testcase\(s\), 1 failed or errored/);
    assert.equal((await keel(repo, ["verify"])).code, 0);
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});
