import assert from "node:assert/strict";
import { git, keel, keelJson, readJson, tempRepo, writeFile } from "./helpers.ts";
import { finding, writeRuns } from "./retro_fixtures.ts";

interface Scope {
  scope: string;
  runs: number;
  run_ids: string[];
  metrics: Record<string, number | null>;
  counts: Record<string, unknown>;
  delegation: { level: string; reason: string; reasons: string[]; means: string };
}

const REVIEW = (verdict: string) => `---\nwp_id: WP01\nverdict: ${verdict}\n---\nbody\n`;

/**
 * The fixture history (window 10, default thresholds). Hand-computed:
 *
 * refactor (5 runs): R1 scope drift; R2 scope drift + failed test + 1 rework
 * note + its commit reverted; R3 scope drift accepted + 1 defect; R4 from
 * WP01 with 2 rejected review cycles; R5 unplanned commit, no timestamps.
 *   drift 3/5 = 0.6, test gate 1/5 = 0.2, churn 2/5 = 0.4 (3 cycles),
 *   latency median(30, 60, 10, 20) = 25, reverts 1, defects 1/5 = 0.2
 *   → low-trust (drift 0.6 ≥ 0.4, defects 0.2 ≥ 0.2).
 * deps (3 clean runs, latency 5, 15, 25) → every rate 0, latency 15, high-trust.
 * ui (1 run, required test not run; a second run still running) → insufficient-data.
 * overall (9 finished): drift 3/9, test gate 2/9, churn 2/9, latency
 *   median(30,60,10,20,5,15,25,40) = 22.5, reverts 1, defects 1/9 → medium-trust.
 */
async function fixture(dir: string) {
  await writeFile(dir, "src/parser.ts", "export const a = 1;\n");
  await git(dir, "add", "src/parser.ts");
  await git(dir, "commit", "-qm", "refactor: split the parser");
  const reverted = (await git(dir, "rev-parse", "HEAD")).trim();
  await writeFile(dir, "src/lexer.ts", "export const b = 1;\n");
  await git(dir, "add", "src/lexer.ts");
  await git(dir, "commit", "-qm", "refactor: lexer");
  const kept = (await git(dir, "rev-parse", "HEAD")).trim();
  await git(dir, "revert", "--no-edit", reverted);
  const wp = "kitty-specs/m1/tasks";
  await writeFile(dir, `${wp}/WP01-parser/review-cycle-1.md`, REVIEW("rejected"));
  await writeFile(dir, `${wp}/WP01-parser/review-cycle-2.md`, REVIEW("changes_requested"));
  await writeFile(dir, `${wp}/WP01-parser/review-cycle-3.md`, REVIEW("approved"));
  await writeFile(dir, `${wp}/WP02-other/review-cycle-1.md`, REVIEW("rejected"));
  const scope = finding("F1", "SCOPE_FILE_OUTSIDE_ALLOWED", { path: "docs/x.md" });
  const runs = await writeRuns(dir, [
    { minute: 0, domain: "refactor", findings: [scope], latency: 30, commits: [c(kept)] },
    {
      minute: 100,
      domain: "refactor",
      findings: [scope, finding("F2", "TEST_REQUIRED_FAILED", { test_id: "unit" })],
      latency: 60,
      rework: ["split the parser change"],
      commits: [c(reverted)],
    },
    {
      minute: 200,
      domain: "refactor",
      findings: [scope],
      deviations: [{
        finding_id: "F1",
        code: "SCOPE_FILE_OUTSIDE_ALLOWED",
        why: "docs belonged to the change",
        by: "ann",
        at: "2026-01-01T04:00:00.000Z",
      }],
      latency: 10,
      defects: ["parser crash on empty input"],
    },
    {
      minute: 300,
      domain: "refactor",
      latency: 20,
      source: { mission: "m1", wp_id: "WP01" },
    },
    {
      minute: 400,
      domain: "refactor",
      findings: [finding("F1", "PLAN_COMMIT_UNPLANNED", { sha: "abc1234" })],
      latency: null,
    },
    { minute: 50, domain: "deps", latency: 5 },
    { minute: 150, domain: "deps", latency: 15 },
    { minute: 250, domain: "deps", latency: 25 },
    {
      minute: 350,
      domain: "ui",
      findings: [finding("F1", "TEST_REQUIRED_NOT_RUN", { test_id: "unit" })],
      latency: 40,
    },
    { minute: 450, domain: "ui", state: "running" },
  ]);
  return { runs, reverted, kept };
}

function c(sha: string) {
  return { sha, subject: "x", files: ["src/parser.ts"] };
}

function byScope(json: Record<string, unknown>): Record<string, Scope> {
  const out: Record<string, Scope> = {};
  for (const s of [...(json.domains as Scope[]), json.overall as Scope]) out[s.scope] = s;
  return out;
}

Deno.test("keel trust computes the metrics of a fixture history by hand", async (t) => {
  const dir = await tempRepo();
  try {
    const { runs, reverted } = await fixture(dir);
    const r = await keelJson(dir, ["trust"]);
    assert.equal(r.code, 0, r.stderr);
    const s = byScope(r.json);
    await t.step("refactor", () => {
      const m = s.refactor!;
      assert.equal(m.runs, 5);
      assert.deepEqual(m.run_ids, runs.slice(0, 5).map((x) => x.run_id));
      assert.deepEqual(m.metrics, {
        plan_drift_rate: 0.6,
        test_gate_failure_rate: 0.2,
        review_churn_rate: 0.4,
        approval_latency_minutes: 25,
        rollback_or_revert_count: 1,
        post_merge_defect_rate: 0.2,
      });
      assert.deepEqual(m.counts.drift_runs_by_code, {
        PLAN_COMMIT_UNPLANNED: 1,
        SCOPE_FILE_OUTSIDE_ALLOWED: 2,
      });
      assert.equal(m.counts.rework_cycles, 3);
      assert.deepEqual(m.counts.reverted_commits, [reverted]);
      assert.equal(m.counts.accepted_deviations, 1);
      assert.equal(m.delegation.level, "low-trust");
      assert.equal(m.delegation.reasons.length, 2);
      assert.match(
        m.delegation.reasons[0]!,
        /^3 of the last 5 refactor runs drifted from their plan \(touched files outside scope in 2, made unplanned commits in 1\) \(60%; low-trust at 40%\)$/,
      );
      assert.match(
        m.delegation.reasons[1]!,
        /^1 of the last 5 refactor runs had a defect reported after merge/,
      );
      assert.match(m.delegation.means, /^Stricter human gates in refactor/);
    });
    await t.step("deps", () => {
      const m = s.deps!;
      assert.equal(m.runs, 3);
      assert.deepEqual(m.metrics, {
        plan_drift_rate: 0,
        test_gate_failure_rate: 0,
        review_churn_rate: 0,
        approval_latency_minutes: 15,
        rollback_or_revert_count: 0,
        post_merge_defect_rate: 0,
      });
      assert.equal(m.delegation.level, "high-trust");
      assert.match(m.delegation.means, /^Room for more autonomy in deps/);
    });
    await t.step("ui has too few runs and says so", () => {
      const m = s.ui!;
      assert.equal(m.runs, 1);
      assert.equal(m.metrics.test_gate_failure_rate, 1);
      assert.equal(m.delegation.level, "insufficient-data");
      assert.equal(
        m.delegation.reason,
        "Only 1 finished ui run so far; keel needs at least 3 before it recommends a level.",
      );
    });
    await t.step("overall", () => {
      const m = s.overall!;
      assert.equal(m.runs, 9);
      assert.deepEqual(m.metrics, {
        plan_drift_rate: 0.3333,
        test_gate_failure_rate: 0.2222,
        review_churn_rate: 0.2222,
        approval_latency_minutes: 22.5,
        rollback_or_revert_count: 1,
        post_merge_defect_rate: 0.1111,
      });
      assert.equal(m.delegation.level, "medium-trust");
    });
    await t.step("trust_metrics.json holds the same document", async () => {
      const file = await readJson(`${dir}/.keel/trust_metrics.json`);
      assert.deepEqual(file, r.json);
      assert.equal(file.schema_version, 1);
      assert.equal(file.$schema, "./schemas/trust_metrics.schema.json");
      const schema = await readJson(`${dir}/.keel/schemas/trust_metrics.schema.json`);
      assert.equal(schema.title, "keel trust metrics");
    });
    await t.step("the isomorphic-git adapter finds the same revert", async () => {
      const iso = await keelJson(dir, ["trust", "--git-backend", "isomorphic"]);
      assert.equal(iso.code, 0, iso.stderr);
      const m = byScope(iso.json).refactor!;
      assert.deepEqual(m.counts.reverted_commits, [reverted]);
    });
    await t.step("--window 2 measures the latest two runs of each scope", async () => {
      const w = byScope((await keelJson(dir, ["trust", "--window", "2"])).json);
      assert.deepEqual(w.refactor!.run_ids, runs.slice(3, 5).map((x) => x.run_id));
      assert.equal(w.refactor!.metrics.plan_drift_rate, 0.5);
      assert.equal(w.refactor!.metrics.review_churn_rate, 0.5);
      assert.equal(w.refactor!.metrics.approval_latency_minutes, 20);
      assert.equal(w.refactor!.metrics.rollback_or_revert_count, 0);
      assert.deepEqual(w.overall!.run_ids, [runs[8]!.run_id, runs[4]!.run_id]);
      assert.equal(w.overall!.delegation.level, "insufficient-data");
    });
    await t.step("a defect recorded with the CLI moves deps to low-trust", async () => {
      const d = await keelJson(dir, [
        "defect",
        "record",
        "--run",
        runs[5]!.run_id,
        "--note",
        "lockfile broke the build",
      ]);
      assert.equal(d.code, 0);
      assert.equal(d.json.count, 1);
      const w = byScope((await keelJson(dir, ["trust"])).json);
      assert.equal(w.deps!.metrics.post_merge_defect_rate, 0.3333);
      assert.equal(w.deps!.delegation.level, "low-trust");
      assert.equal(
        w.deps!.delegation.reason,
        "1 of the last 3 deps runs had a defect reported after merge (33.3%; low-trust at 20%).",
      );
    });
    await t.step("rework recorded with the CLI counts toward churn", async () => {
      const d = await keelJson(dir, [
        "rework",
        "record",
        "--run",
        runs[6]!.run_id,
        "--note",
        "pin the minor version",
      ]);
      assert.equal(d.code, 0);
      const w = byScope((await keelJson(dir, ["trust"])).json);
      assert.equal(w.deps!.metrics.review_churn_rate, 0.3333);
      const empty = await keelJson(dir, [
        "rework",
        "record",
        "--run",
        runs[6]!.run_id,
        "--note",
        " ",
      ]);
      assert.equal(empty.code, 2);
    });
    await t.step("the human output names levels, reasons and what they mean", async () => {
      const text = (await keel(dir, ["trust"])).stdout;
      assert.ok(
        text.includes("refactor: low-trust\n  why:  3 of the last 5 refactor runs drifted"),
      );
      assert.match(text, /ui: insufficient-data/);
      assert.match(text, /Written to \.keel\/trust_metrics\.json\./);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("keel trust reads thresholds from .keel/config.json", async (t) => {
  const dir = await tempRepo();
  try {
    await fixture(dir);
    await t.step("configured thresholds and min_runs change the levels", async () => {
      await writeFile(
        dir,
        ".keel/config.json",
        JSON.stringify({
          trust: {
            min_runs: 1,
            thresholds: {
              plan_drift_rate: { low_min: 0.7 },
              post_merge_defect_rate: { low_min: 0.5 },
            },
          },
        }),
      );
      const r = await keelJson(dir, ["trust"]);
      assert.equal(r.code, 0);
      const s = byScope(r.json);
      assert.equal(s.refactor!.delegation.level, "medium-trust");
      assert.equal(s.ui!.delegation.level, "low-trust");
      assert.match(
        s.ui!.delegation.reason,
        /^1 of the last 1 ui runs failed or skipped a required test \(100%; low-trust at 30%\)\.$/,
      );
      assert.equal(r.json.min_runs, 1);
    });
    await t.step("an invalid config is exit 3 CONFIG_INVALID", async () => {
      for (
        const bad of [
          '{"trust": {"window": 0}}',
          '{"trust": {"thresholds": {"plan_drift_rate": {"high_max": 0.5, "low_min": 0.4}}}}',
          '{"trust": {"windw": 3}}',
          "{not json",
        ]
      ) {
        await writeFile(dir, ".keel/config.json", bad);
        const r = await keelJson(dir, ["trust"]);
        assert.equal(r.code, 3, bad);
        assert.equal(r.json.error?.code, "CONFIG_INVALID", bad);
      }
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("keel trust --all-worktrees counts the runs of every worktree once", async () => {
  const dir = await tempRepo();
  const wt = `${dir}-lane`;
  try {
    await git(dir, "worktree", "add", "-q", "-b", "lane", wt);
    const [a] = await writeRuns(dir, [{ minute: 0, domain: "deps" }]);
    await writeRuns(wt, [{ minute: 10, domain: "deps" }, { minute: 20, domain: "ui" }]);
    // The same run present in both worktrees (merged branch) counts once.
    await Deno.mkdir(`${wt}/.keel/runs/${a!.run_id}`, { recursive: true });
    await Deno.copyFile(
      `${dir}/.keel/runs/${a!.run_id}/run_report.json`,
      `${wt}/.keel/runs/${a!.run_id}/run_report.json`,
    );
    const here = await keelJson(dir, ["trust"]);
    assert.equal((here.json.overall as Scope).runs, 1);
    const all = await keelJson(dir, ["trust", "--all-worktrees"]);
    assert.equal((all.json.overall as Scope).runs, 3);
    assert.equal((all.json.worktrees as string[]).length, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(wt, { recursive: true }).catch(() => {});
  }
});

Deno.test("keel trust outside git says reverts are unknown instead of 0", async () => {
  const dir = await Deno.makeTempDir({ prefix: "keel-test-" });
  try {
    await writeRuns(dir, [{ minute: 0, domain: "deps", commits: [c("a".repeat(40))] }]);
    const r = await keelJson(dir, ["trust"]);
    assert.equal(r.code, 0, r.stderr);
    const s = byScope(r.json);
    assert.equal(s.deps!.metrics.rollback_or_revert_count, null);
    assert.deepEqual(r.json.notes, [
      "Git history is not available here, so rollback_or_revert_count is unknown (null).",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
