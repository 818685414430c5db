import assert from "node:assert/strict";
import { join } from "node:path";
import type { OpContext } from "../context.ts";
import { fakeGit } from "../../testing/fake_git.ts";
import { keelFailure } from "../../testing/keel_failure.ts";
import { type SynthMission, writeMission, writeReviewCycle } from "../../testing/mission.ts";
import { reviewOp } from "./review_op.ts";
import { testContext } from "../../testing/context.ts";

const SLUG = "review-unit-01KTESTA";
const NOW = "2026-06-01T12:00:00.000Z";
const BASE = "b".repeat(40);
const HEAD = "c".repeat(40);

const ctxFor = (cwd: string): OpContext =>
  testContext(cwd, { at: NOW, stepMs: 0, gitBackend: "cli" });

/** A mission in a temporary folder; `meta` overrides meta.json keys. */
async function mission(
  extra: Partial<SynthMission> = {},
): Promise<{ root: string; dir: string }> {
  const root = await Deno.makeTempDir({ prefix: "keel-review-op-" });
  const dir = await writeMission(root, {
    slug: SLUG,
    missionId: "01KTESTAAAAAAAAAAAAAAAAAAA",
    wps: [{ id: "WP01", lane: "done" }, { id: "WP02", lane: "done" }],
    ...extra,
  });
  return { root, dir };
}

/** The git calls of the dead-code scan, answered; `grep` names who references what. */
function scanGit(root: string, grep: string) {
  const diff = [
    "diff --git a/src/a.ts b/src/a.ts",
    "+++ b/src/a.ts",
    "+export function unusedThing() {}",
    "+export const usedThing = 1;",
    "diff --git a/tests/a_test.ts b/tests/a_test.ts",
    "+++ b/tests/a_test.ts",
    "+export function helperInTests() {}",
    "",
  ].join("\n");
  return fakeGit({
    "rev-parse --show-toplevel": { stdout: `${root}\n` },
    [`rev-parse --verify --quiet ${BASE}^{commit}`]: { stdout: `${BASE}\n` },
    "rev-parse --verify --quiet HEAD^{commit}": { stdout: `${HEAD}\n` },
    [`diff --unified=0 --no-color --no-ext-diff --no-renames ${BASE}..${HEAD}`]: { stdout: diff },
    "grep …": { stdout: grep },
  });
}

/** A git port the review must not use. */
const noGit = fakeGit({}).git;

Deno.test("reviewOp: a modern mission without a baseline fails lightweight review, without git", async () => {
  const { root, dir } = await mission();
  try {
    const r = await reviewOp({ mission: SLUG }, ctxFor(root), { git: noGit });
    assert.equal(r.mode, "lightweight");
    assert.equal(r.mode_source, "auto-detected");
    assert.equal(r.verdict, "fail");
    assert.deepEqual(r.gates.map((g) => [g.name, g.result, g.exit_code, g.findings]), [
      ["wp_lane_check", "pass", 0, 0],
      ["dead_code_scan", "fail", 1, 1],
    ]);
    assert.deepEqual(r.findings.map((f) => [f.type, f.code, f.hard]), [
      ["dead_code_baseline_missing", "LIGHTWEIGHT_REVIEW_MISSING_BASELINE", true],
    ]);
    assert.equal(r.dead_code_scan, null);
    assert.equal(r.issue_matrix_present, "not_applicable");
    assert.equal(r.reviewed_at, NOW);
    assert.equal(r.report_path, `kitty-specs/${SLUG}/mission-review-report.md`);
    const report = await Deno.readTextFile(join(dir, "mission-review-report.md"));
    assert.match(report, /LIGHTWEIGHT_REVIEW_MISSING_BASELINE/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("reviewOp: a legacy mission (no mission_id) passes with notes, tagged LEGACY_MISSION_DEAD_CODE_SKIP", async () => {
  const { root } = await mission({ meta: { mission_id: undefined } });
  try {
    const r = await reviewOp({ mission: SLUG, mode: "lightweight" }, ctxFor(root), { git: noGit });
    assert.equal(r.mission_id, null);
    assert.equal(r.mode_source, "explicit");
    assert.equal(r.verdict, "pass_with_notes");
    assert.deepEqual(r.verdict_tags, ["LEGACY_MISSION_DEAD_CODE_SKIP"]);
    assert.deepEqual(r.gates.map((g) => [g.name, g.result, g.exit_code]), [
      ["wp_lane_check", "pass", 0],
      ["dead_code_scan", "skipped", 0],
    ]);
    assert.deepEqual(r.findings.map((f) => [f.code, f.severity, f.hard]), [
      ["LEGACY_MISSION_DEAD_CODE_SKIP", "warning", false],
    ]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("reviewOp: with a baseline, post-merge review scans and names the unreferenced export", async () => {
  // The baseline is trimmed as merge reads it.
  const { root } = await mission({ meta: { baseline_merge_commit: ` ${BASE}\n` } });
  try {
    const fake = scanGit(
      root,
      // usedThing is referenced from another file; unusedThing only from its own file and a test.
      "src/a.ts\0unusedThing\nsrc/a.ts\0usedThing\nsrc/b.ts\0usedThing\ntests/a_test.ts\0unusedThing\n",
    );
    const r = await reviewOp({ mission: SLUG }, ctxFor(root), { git: fake.git });
    assert.equal(r.mode, "post-merge");
    assert.equal(r.baseline_merge_commit, BASE);
    assert.equal(r.verdict, "pass_with_notes");
    assert.deepEqual(r.dead_code_scan, {
      baseline: BASE,
      head: HEAD,
      changed_files: 2,
      symbols_scanned: 2,
      unreferenced: 1,
    });
    assert.deepEqual(r.findings.map((f) => [f.code, f.evidence.symbol, f.evidence.file]), [
      ["DEAD_CODE_UNREFERENCED_SYMBOL", "unusedThing", "src/a.ts"],
    ]);
    assert.equal(r.issue_matrix_present, false);
    assert.deepEqual(fake.calls.map(([args]) => args.split(" ")[0]), [
      "rev-parse",
      "rev-parse",
      "rev-parse",
      "diff",
      "grep",
    ]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("reviewOp: a scan that cannot run fails the review (MISSION_REVIEW_DEAD_CODE_UNDETERMINABLE)", async () => {
  const { root } = await mission({ meta: { baseline_merge_commit: BASE } });
  try {
    const fake = fakeGit({
      "rev-parse --show-toplevel": { stdout: `${root}\n` },
      [`rev-parse --verify --quiet ${BASE}^{commit}`]: { code: 1 },
    });
    const r = await reviewOp({ mission: SLUG }, ctxFor(root), { git: fake.git });
    assert.equal(r.verdict, "fail");
    assert.deepEqual(r.findings.map((f) => [f.code, f.evidence.reason]), [[
      "MISSION_REVIEW_DEAD_CODE_UNDETERMINABLE",
      `baseline_merge_commit ${BASE} is not a commit in this repository`,
    ]]);
    assert.equal(r.gates[1]!.result, "fail");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("reviewOp: --mode post-merge without a baseline is MISSION_REVIEW_MODE_MISMATCH and writes nothing", async () => {
  const { root, dir } = await mission();
  try {
    const e = await keelFailure(
      reviewOp({ mission: SLUG, mode: "post-merge" }, ctxFor(root), { git: noGit }),
    );
    assert.equal(e.code, "MISSION_REVIEW_MODE_MISMATCH");
    assert.deepEqual(e.data, { mission_slug: SLUG, mode: "post-merge" });
    await assert.rejects(Deno.stat(join(dir, "mission-review-report.md")), Deno.errors.NotFound);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("reviewOp: gate 1 fails on a WP not done and on a rejected latest cycle; an unseeded WP is a note", async () => {
  const { root, dir } = await mission({
    meta: { mission_id: undefined },
    wps: [
      { id: "WP01", lane: "done" },
      { id: "WP02", lane: "in_progress", actor: "claude" },
      { id: "WP03", lane: null },
    ],
  });
  try {
    await writeReviewCycle(dir, { wpDir: "WP01-work", number: 1, verdict: "approved" });
    await writeReviewCycle(dir, { wpDir: "WP01-work", number: 2, verdict: "rejected" });
    const r = await reviewOp({ mission: SLUG }, ctxFor(root), { git: noGit });
    assert.equal(r.verdict, "fail");
    assert.deepEqual(r.findings.filter((f) => f.hard).map((f) => [f.code, f.evidence.wp_id]), [
      ["WP_NOT_DONE", "WP02"],
      ["REJECTED_REVIEW_ARTIFACT_CONFLICT", "WP01"],
    ]);
    assert.deepEqual(r.notes.map((n) => [n.code, n.wp_id]), [["WP_NOT_IN_EVENT_LOG", "WP03"]]);
    assert.equal(
      r.gates[0]!.summary,
      "2 WP(s) in the event log: 1 not done, 1 review-artifact blocker(s); " +
        "not in the event log (not counted): WP03",
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
