import assert from "node:assert/strict";
import { editJson, git, keel, keelJson, readJson, tempRepo } from "./helpers.ts";
import { finding, writeRuns } from "./retro_fixtures.ts";

const SCOPE = finding("F1", "SCOPE_FILE_OUTSIDE_ALLOWED", { path: "docs/x.md" });
const TEST = finding("F2", "TEST_REQUIRED_NOT_RUN", { test_id: "unit" });

function lines(text: string): string[] {
  return text.split("\n").filter((l) => l !== "");
}

Deno.test("keel deviation accept records a rationale and recomputes the verdict", async (t) => {
  const dir = await tempRepo();
  try {
    const [two, one] = await writeRuns(dir, [
      { minute: 0, domain: "refactor", findings: [SCOPE, TEST] },
      { minute: 100, domain: "refactor", findings: [{ ...SCOPE }] },
    ]);
    await t.step(
      "an unknown finding id is exit 3 FINDING_NOT_FOUND with the ids that exist",
      async () => {
        const r = await keelJson(dir, [
          "deviation",
          "accept",
          "F9",
          "--why",
          "x",
          "--by",
          "ann",
          "--run",
          two!.run_id,
        ]);
        assert.equal(r.code, 3);
        const e = r.json.error as {
          code: string;
          data: { available: string[]; finding_id: string };
        };
        assert.equal(e.code, "FINDING_NOT_FOUND");
        assert.deepEqual(e.data.available, ["F1", "F2"]);
        assert.equal(e.data.finding_id, "F9");
      },
    );
    await t.step("an empty or blank rationale is exit 2 RATIONALE_REQUIRED", async () => {
      for (const why of ["", "   "]) {
        const r = await keelJson(dir, ["deviation", "accept", "F1", "--why", why, "--by", "ann"]);
        assert.equal(r.code, 2);
        assert.equal(r.json.error?.code, "RATIONALE_REQUIRED");
      }
      const report = await readJson(`${dir}/.keel/runs/${one!.run_id}/run_report.json`);
      assert.deepEqual(report.deviations, []);
    });
    await t.step("accepting one of two errors leaves the run drifted", async () => {
      const r = await keelJson(dir, [
        "deviation",
        "accept",
        "F2",
        "--why",
        "CI runs the unit suite",
        "--by",
        "ann",
        "--run",
        two!.run_id,
      ]);
      assert.equal(r.code, 0);
      assert.equal(r.json.verdict, "drifted");
      assert.deepEqual(r.json.open_errors, ["F1"]);
    });
    await t.step(
      "accepting the only open error turns drifted into aligned (latest run by default)",
      async () => {
        assert.equal(one!.verdict, "drifted");
        const r = await keelJson(dir, [
          "deviation",
          "accept",
          "F1",
          "--why",
          "docs were part of the ask",
          "--by",
          "ann",
        ]);
        assert.equal(r.code, 0);
        assert.equal(r.json.run_id, one!.run_id);
        assert.equal(r.json.verdict_before, "drifted");
        assert.equal(r.json.verdict, "aligned");
        const report = await readJson<{ verdict: string; deviations: Record<string, string>[] }>(
          `${dir}/.keel/runs/${one!.run_id}/run_report.json`,
        );
        assert.equal(report.verdict, "aligned");
        assert.equal(report.deviations.length, 1);
        const d = report.deviations[0]!;
        assert.equal(d.finding_id, "F1");
        assert.equal(d.code, "SCOPE_FILE_OUTSIDE_ALLOWED");
        assert.equal(d.why, "docs were part of the ask");
        assert.equal(d.by, "ann");
        assert.ok(!Number.isNaN(Date.parse(d.at!)));
      },
    );
    await t.step("accepting twice is idempotent", async () => {
      const r = await keelJson(dir, ["deviation", "accept", "F1", "--why", "again", "--by", "bob"]);
      assert.equal(r.code, 0);
      assert.equal(r.json.already_accepted, true);
      const report = await readJson<{ deviations: { why: string }[] }>(
        `${dir}/.keel/runs/${one!.run_id}/run_report.json`,
      );
      assert.deepEqual(report.deviations.map((d) => d.why), ["docs were part of the ask"]);
    });
    await t.step("deviation list shows accepted and open findings", async () => {
      const r = await keelJson(dir, ["deviation", "list", "--run", two!.run_id]);
      assert.equal(r.code, 0);
      assert.deepEqual((r.json.deviations as { finding_id: string }[]).map((d) => d.finding_id), [
        "F2",
      ]);
      assert.deepEqual((r.json.open as { id: string }[]).map((f) => f.id), ["F1"]);
      const text = await keel(dir, ["deviation", "list", "--run", two!.run_id]);
      assert.match(text.stdout, /\[F2\] TEST_REQUIRED_NOT_RUN: "CI runs the unit suite" — ann/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("keel retro writes summary.md and appends each delta once", async (t) => {
  const dir = await tempRepo();
  try {
    const [run] = await writeRuns(dir, [{
      minute: 0,
      domain: "refactor",
      findings: [SCOPE, TEST],
      commits: [{
        sha: "0123456789abcdef0123456789abcdef01234567",
        subject: "tidy",
        files: ["docs/x.md"],
      }],
    }]);
    const id = run!.run_id;
    const lessonsPath = `${dir}/.keel/lessons.jsonl`;
    let first = "";
    await t.step(
      "the first retro appends one record per finding and writes the summary",
      async () => {
        const r = await keelJson(dir, ["retro"]);
        assert.equal(r.code, 0);
        assert.equal(r.json.run_id, id);
        const l = r.json.lessons as { appended: number; unchanged: number };
        assert.equal(l.appended, 2);
        assert.equal(l.unchanged, 0);
        first = await Deno.readTextFile(lessonsPath);
        const recs = lines(first).map((x) => JSON.parse(x));
        assert.deepEqual(recs.map((x) => [x.run, x.code, x.domain, x.accepted]), [
          [id, "SCOPE_FILE_OUTSIDE_ALLOWED", "refactor", false],
          [id, "TEST_REQUIRED_NOT_RUN", "refactor", false],
        ]);
        assert.deepEqual(recs[0].paths, ["docs/x.md"]);
        assert.equal(recs[0].planned, "allowed_files: src/**");
        assert.equal(recs[0].actual, "touched docs/x.md");
        assert.equal(recs[0].contract, "refactor-work");
        const md = await Deno.readTextFile(`${dir}/.keel/runs/${id}/summary.md`);
        assert.equal(md, r.json.markdown);
        for (
          const s of [
            "## What was asked",
            "## What was approved",
            "## What happened",
            "## Deltas",
            "docs/x.md",
            "`0123456789ab` tidy",
          ]
        ) {
          assert.ok(md.includes(s), `summary lacks ${s}`);
        }
      },
    );
    await t.step("running it again leaves lessons.jsonl byte-identical", async () => {
      const r = await keelJson(dir, ["retro", "--run", id]);
      assert.equal(r.code, 0);
      assert.equal((r.json.lessons as { appended: number }).appended, 0);
      assert.equal(await Deno.readTextFile(lessonsPath), first);
    });
    await t.step(
      "a deviation accepted after the retro appends one superseding record",
      async () => {
        await keelJson(dir, ["deviation", "accept", "F2", "--why", "CI covers it", "--by", "ann"]);
        const r = await keelJson(dir, ["retro"]);
        assert.equal((r.json.lessons as { appended: number }).appended, 1);
        const text = await Deno.readTextFile(lessonsPath);
        assert.ok(text.startsWith(first));
        const added = JSON.parse(lines(text)[2]!);
        assert.equal(added.code, "TEST_REQUIRED_NOT_RUN");
        assert.equal(added.accepted, true);
        assert.equal(added.rationale, "CI covers it");
        assert.equal(added.key, JSON.parse(lines(first)[1]!).key);
        const again = await keelJson(dir, ["retro"]);
        assert.equal((again.json.lessons as { appended: number }).appended, 0);
        const list = await keelJson(dir, ["lessons"]);
        const ls = list.json.lessons as { code: string; accepted: boolean }[];
        assert.deepEqual(ls.map((l) => [l.code, l.accepted]), [
          ["SCOPE_FILE_OUTSIDE_ALLOWED", false],
          ["TEST_REQUIRED_NOT_RUN", true],
        ]);
      },
    );
    await t.step("keel lessons filters by domain and code", async () => {
      const a = await keelJson(dir, ["lessons", "--code", "SCOPE_FILE_OUTSIDE_ALLOWED"]);
      assert.deepEqual((a.json.lessons as { code: string }[]).map((l) => l.code), [
        "SCOPE_FILE_OUTSIDE_ALLOWED",
      ]);
      const b = await keelJson(dir, ["lessons", "--domain", "deps"]);
      assert.deepEqual(b.json.lessons, []);
    });
    await t.step("a torn last line is reported without hiding the lines before it", async () => {
      await Deno.writeTextFile(lessonsPath, '{"schema_version":1,"key":"tor', { append: true });
      const r = await keelJson(dir, ["lessons"]);
      assert.equal(r.code, 0);
      assert.equal((r.json.lessons as unknown[]).length, 2);
      const p = r.json.problems as { code: string; line: number }[];
      assert.deepEqual(p.map((x) => [x.code, x.line]), [["JSONL_TORN_TAIL", 4]]);
      const text = await keel(dir, ["lessons"]);
      assert.match(text.stderr, /JSONL_TORN_TAIL/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("20 concurrent keel retro processes append each lesson exactly once", async () => {
  const dir = await tempRepo();
  try {
    await writeRuns(dir, [{
      minute: 0,
      domain: "ui",
      findings: [SCOPE, TEST, finding("F3", "PLAN_COMMIT_UNPLANNED", { sha: "abc1234" })],
    }]);
    const results = await Promise.all(Array.from({ length: 20 }, () => keelJson(dir, ["retro"])));
    assert.deepEqual(results.map((r) => r.code), Array(20).fill(0));
    const appended = results.map((r) => (r.json.lessons as { appended: number }).appended);
    assert.equal(appended.reduce((a, b) => a + b, 0), 3);
    const recs = lines(await Deno.readTextFile(`${dir}/.keel/lessons.jsonl`)).map((x) =>
      JSON.parse(x)
    );
    assert.equal(recs.length, 3);
    assert.equal(new Set(recs.map((r) => r.key)).size, 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("keel validate and approve show LESSON_RELEVANT for paths that drifted before", async (t) => {
  const dir = await tempRepo();
  try {
    await writeRuns(dir, [{ minute: 0, domain: "docs", findings: [SCOPE] }]);
    assert.equal((await keel(dir, ["retro"])).code, 0);
    assert.equal((await keel(dir, ["init"])).code, 0);
    const intent = `${dir}/.keel/contracts/default/intent.json`;
    await t.step("a contract that does not cover the path gets no lesson", async () => {
      const r = await keelJson(dir, ["validate"]);
      const codes = (r.json.findings as { code: string }[]).map((f) => f.code);
      assert.ok(!codes.includes("LESSON_RELEVANT"));
    });
    await t.step("a contract whose allowed files cover docs/x.md is shown the lesson", async () => {
      await editJson(intent, (v) => {
        v.allowed_files = ["src/**", "tests/**", "docs/**"];
      });
      const r = await keelJson(dir, ["validate"]);
      const f =
        (r.json.findings as { code: string; severity: string; evidence: Record<string, unknown> }[])
          .filter((x) => x.code === "LESSON_RELEVANT");
      assert.equal(f.length, 1);
      assert.equal(f[0]!.severity, "info");
      assert.equal(f[0]!.evidence.lesson_code, "SCOPE_FILE_OUTSIDE_ALLOWED");
      assert.deepEqual(f[0]!.evidence.paths, ["docs/x.md"]);
      const text = await keel(dir, ["validate"]);
      assert.match(
        text.stdout,
        /LESSON_RELEVANT: Earlier drift on paths this contract covers: SCOPE_FILE_OUTSIDE_ALLOWED on docs\/x\.md/,
      );
    });
    await t.step("keel approve shows it too", async () => {
      await editJson(intent, (v) => {
        v.goal = "Document the parser";
        v.constraints = ["Keep the public API"];
      });
      const r = await keelJson(dir, ["approve", "intent", "--by", "ann"]);
      assert.equal(r.code, 0);
      const f = (r.json.findings as { code: string; evidence: Record<string, unknown> }[])
        .filter((x) => x.code === "LESSON_RELEVANT");
      assert.deepEqual(f.map((x) => x.evidence.paths), [["docs/x.md"]]);
      const text = await keel(dir, ["approve", "intent", "--by", "ann"]);
      assert.match(text.stdout, /LESSON_RELEVANT/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("keel lessons --all-worktrees reads every worktree", async () => {
  const dir = await tempRepo();
  const wt = `${dir}-lane`;
  try {
    await git(dir, "worktree", "add", "-q", "-b", "lane", wt);
    await writeRuns(dir, [{ minute: 0, domain: "deps", findings: [TEST] }]);
    await writeRuns(wt, [{ minute: 10, domain: "ui", findings: [SCOPE] }]);
    assert.equal((await keel(dir, ["retro"])).code, 0);
    assert.equal((await keel(wt, ["retro"])).code, 0);
    const here = await keelJson(dir, ["lessons"]);
    assert.deepEqual((here.json.lessons as { domain: string }[]).map((l) => l.domain), ["deps"]);
    const all = await keelJson(dir, ["lessons", "--all-worktrees"]);
    assert.deepEqual((all.json.lessons as { domain: string }[]).map((l) => l.domain).sort(), [
      "deps",
      "ui",
    ]);
    assert.equal((all.json.sources as string[]).length, 2);
    const fromLane = await keelJson(wt, ["lessons", "--all-worktrees"]);
    assert.equal((fromLane.json.lessons as unknown[]).length, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(wt, { recursive: true }).catch(() => {});
  }
});
