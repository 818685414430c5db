import assert from "node:assert/strict";
import { join } from "node:path";
import type { RecordedVerdict, WpState } from "../mission/mod.ts";
import {
  checkReviewArtifacts,
  isCompleteReviewOverride,
  type ReviewArtifactMission,
} from "./check_review_artifacts.ts";

/** A WP as the reduced log leaves it, and the verdict the log records for it (if any). */
interface TestWp {
  lane: string;
  review_result?: unknown;
  review?: unknown;
  recorded_verdict?: RecordedVerdict | null;
}

async function _mission(
  files: Record<string, string>,
  wps: Record<string, TestWp>,
): Promise<ReviewArtifactMission & { rootDir: string }> {
  const root = await Deno.makeTempDir({ prefix: "keel-gate-" });
  const dir = join(root, "kitty-specs", "m1");
  await Deno.mkdir(join(dir, "tasks"), { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    const full = join(dir, path);
    await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(full, text);
  }
  const work_packages: Record<string, WpState> = {};
  const recorded_verdicts: Record<string, RecordedVerdict> = {};
  for (const [id, { recorded_verdict, ...slots }] of Object.entries(wps)) {
    work_packages[id] = {
      actor: "a",
      last_transition_at: null,
      last_event_id: null,
      force_count: 0,
      ...slots,
    };
    if (recorded_verdict) recorded_verdicts[id] = recorded_verdict;
  }
  return {
    slug: "m1",
    dir,
    repoRelDir: "kitty-specs/m1",
    rootDir: root,
    snapshot: {
      mission_slug: "m1",
      materialized_at: "",
      event_count: 0,
      last_event_id: null,
      summary: {},
      work_packages,
      recorded_verdicts,
    },
  };
}

function _cycle(verdict: string | null, extra = ""): string {
  const v = verdict === null ? "" : `verdict: ${verdict}\n`;
  return `---\ncycle_number: 1\nwp_id: WP01\n${v}${extra}---\n\nbody\n`;
}

Deno.test("checkReviewArtifacts() applies the verdict rules", async (t) => {
  await t.step("latest cycle rejected on an approved WP blocks, naming WP and file", async () => {
    const m = await _mission({
      "tasks/WP01-x/review-cycle-1.md": _cycle("approved"),
      "tasks/WP01-x/review-cycle-2.md": _cycle("rejected"),
      "tasks/WP01-x/review-cycle-10.md": _cycle("rejected"),
    }, { WP01: { lane: "approved" } });
    const r = await checkReviewArtifacts(m, { wpIds: ["WP01"] });
    assert.equal(r.passed, false);
    assert.deepEqual(r.blockers, [{
      diagnostic_code: "REJECTED_REVIEW_ARTIFACT_CONFLICT",
      wp_id: "WP01",
      branch_or_work_package: "WP01",
      lane: "approved",
      latest_review_cycle_path: "kitty-specs/m1/tasks/WP01-x/review-cycle-10.md",
      latest_review_cycle_verdict: "rejected",
      review_cycle_number: 10,
      verdict_source: "artifact",
      violated_invariant: "terminal_wp_latest_review_artifact_must_not_be_rejected",
      remediation: [
        "Run another review cycle that writes an approved review-cycle artifact.",
        "Or move the WP out of approved/done before merge.",
      ],
      message: "WP01 is lane 'approved', but latest review artifact " +
        "kitty-specs/m1/tasks/WP01-x/review-cycle-10.md has verdict 'rejected' (cycle 10).",
    }]);
    await Deno.remove(m.rootDir, { recursive: true });
  });

  await t.step("every rejection word blocks; every approval word passes", async () => {
    for (const verdict of ["rejected", "changes_requested", "reject"]) {
      const m = await _mission({ "tasks/WP01/review-cycle-3.md": _cycle(verdict) }, {
        WP01: { lane: "done" },
      });
      const r = await checkReviewArtifacts(m);
      assert.equal(r.blockers[0]?.diagnostic_code, "REJECTED_REVIEW_ARTIFACT_CONFLICT", verdict);
      assert.equal(r.blockers[0]?.latest_review_cycle_verdict, verdict);
      assert.equal(
        r.blockers[0]?.latest_review_cycle_path,
        "kitty-specs/m1/tasks/WP01/review-cycle-3.md",
      );
      await Deno.remove(m.rootDir, { recursive: true });
    }
    for (const verdict of ["approved", "arbiter_override", "approved_after_orchestrator_fix"]) {
      const m = await _mission({
        "tasks/WP01-a/review-cycle-1.md": _cycle("rejected"),
        "tasks/WP01-a/review-cycle-2.md": _cycle(verdict),
      }, { WP01: { lane: "approved" } });
      const r = await checkReviewArtifacts(m);
      assert.equal(r.passed, true, verdict);
      assert.equal(r.checks[0]?.outcome, "approved");
      await Deno.remove(m.rootDir, { recursive: true });
    }
  });

  await t.step("lanes other than approved/done are not checked", async () => {
    const m = await _mission({ "tasks/WP01-a/review-cycle-1.md": _cycle("rejected") }, {
      WP01: { lane: "in_progress" },
    });
    const r = await checkReviewArtifacts(m);
    assert.equal(r.passed, true);
    assert.equal(r.checks[0]?.outcome, "skipped_lane");
    await Deno.remove(m.rootDir, { recursive: true });
  });

  await t.step("a WP absent from the snapshot is skipped", async () => {
    const m = await _mission({ "tasks/WP02-a/review-cycle-1.md": _cycle("rejected") }, {});
    const r = await checkReviewArtifacts(m, { wpIds: ["WP02"] });
    assert.equal(r.passed, true);
    assert.deepEqual(r.checks.map((c) => c.outcome), ["skipped_not_in_snapshot"]);
    await Deno.remove(m.rootDir, { recursive: true });
  });

  await t.step("the event verdict wins over the artifact", async () => {
    const m = await _mission({
      "tasks/WP01-a/review-cycle-1.md": _cycle("rejected"),
      "tasks/WP02-b/review-cycle-1.md": _cycle("approved"),
      "tasks/WP03-c/review-cycle-1.md": "# no frontmatter\n",
    }, {
      WP01: { lane: "approved", review_result: { verdict: "approved", reviewer: "r" } },
      WP02: { lane: "done", review_result: { verdict: "changes_requested", reviewer: "r" } },
      WP03: { lane: "done", review_result: { verdict: "approved" } },
    });
    const r = await checkReviewArtifacts(m);
    assert.deepEqual(r.blockers.map((b) => [b.wp_id, b.diagnostic_code, b.verdict_source]), [
      ["WP02", "REJECTED_REVIEW_ARTIFACT_CONFLICT", "event"],
    ]);
    assert.equal(r.blockers[0]?.latest_review_cycle_path, null);
    assert.equal(r.blockers[0]?.review_cycle_number, 0);
    assert.equal(r.blockers[0]?.latest_review_cycle_verdict, "changes_requested");
    await Deno.remove(m.rootDir, { recursive: true });
  });

  await t.step(
    "an event rejection names the review-cycle file its reference points at",
    async () => {
      const ref = "review-cycle://m1/WP06-prog/review-cycle-2.md";
      const m = await _mission({
        "tasks/WP06-prog/review-cycle-1.md": "# no frontmatter\n",
        "tasks/WP06-prog/review-cycle-2.md": _cycle("rejected"),
      }, {
        WP06: { lane: "done", review_result: { verdict: "changes_requested", reference: ref } },
        WP07: {
          lane: "done",
          review_result: {
            verdict: "changes_requested",
            reference: "review-cycle://m1/WP07-x/review-cycle-9.md",
          },
        },
      });
      const r = await checkReviewArtifacts(m);
      // spec-kitty's fields: no path, cycle 0; keel adds the reference and its file.
      assert.deepEqual(
        r.blockers.map((b) => [
          b.wp_id,
          b.latest_review_cycle_path,
          b.review_cycle_number,
          b.verdict_source,
          b.review_reference,
          b.review_reference_path,
        ]),
        [
          ["WP06", null, 0, "event", ref, "kitty-specs/m1/tasks/WP06-prog/review-cycle-2.md"],
          ["WP07", null, 0, "event", "review-cycle://m1/WP07-x/review-cycle-9.md", null],
        ],
      );
      await Deno.remove(m.rootDir, { recursive: true });
    },
  );

  await t.step(
    "a verdict recorded by the log (review_result or evidence.review) keeps the artifact unread",
    async () => {
      const rec = (verdict: string, source: RecordedVerdict["source"]): RecordedVerdict => ({
        verdict,
        reference: "Review passed",
        source,
        event_id: "E1",
      });
      const m = await _mission({
        "tasks/WP01-a/review-cycle-4.md": _cycle("rejected"),
        "tasks/WP02-b/review-cycle-2.md": "# no frontmatter\n",
        "tasks/WP03-c/review-cycle-1.md": _cycle("rejected"),
        "tasks/WP04-d/review-cycle-1.md": _cycle("rejected"),
      }, {
        // in_review→approved with evidence.review approved: the stale cycle-4 is not read.
        WP01: { lane: "done", review_result: null, recorded_verdict: rec("approved", "evidence") },
        // an earlier review_result, cleared by a later in_review exit: still recorded.
        WP02: {
          lane: "approved",
          review_result: null,
          recorded_verdict: rec("changes_requested", "review_result"),
        },
        // nothing recorded: the artifact decides.
        WP03: { lane: "done", review_result: null, recorded_verdict: null },
        // absent from recorded_verdicts altogether: the artifact decides.
        WP04: { lane: "approved" },
      });
      const r = await checkReviewArtifacts(m);
      assert.deepEqual(
        r.checks.map((c) => [c.wp_id, c.outcome, c.source, c.verdict]),
        [
          ["WP01", "approved", "event", "approved"],
          ["WP02", "event_recorded", "event", "changes_requested"],
          ["WP03", "blocked", "artifact", "rejected"],
          ["WP04", "blocked", "artifact", "rejected"],
        ],
      );
      assert.deepEqual(r.blockers.map((b) => [b.wp_id, b.verdict_source]), [
        ["WP03", "artifact"],
        ["WP04", "artifact"],
      ]);
      await Deno.remove(m.rootDir, { recursive: true });
    },
  );

  await t.step("a complete override clears a rejection; an incomplete one does not", async () => {
    const full = { at: "2026-01-01T00:00:00Z", actor: "lead", wp_id: "WP01", reason: "ok" };
    const m = await _mission({
      "tasks/WP01-a/review-cycle-1.md": _cycle("rejected"),
      "tasks/WP02-a/review-cycle-1.md": _cycle("rejected"),
      "tasks/WP03-a/review-cycle-1.md": _cycle(
        "rejected",
        "review_artifact_override_actor: lead\nreview_artifact_override_reason: fixed\n",
      ),
      "tasks/WP04-a/review-cycle-1.md": _cycle(
        "rejected",
        "review_artifact_override_actor: lead\nreview_artifact_override_reason: ''\n",
      ),
    }, {
      WP01: { lane: "done", review: full },
      WP02: { lane: "done", review: { ...full, reason: "" } },
      WP03: { lane: "done" },
      WP04: { lane: "done" },
      WP05: { lane: "done", review: full, review_result: { verdict: "changes_requested" } },
    });
    const r = await checkReviewArtifacts(m);
    assert.deepEqual(r.blockers.map((b) => b.wp_id), ["WP02", "WP04"]);
    assert.deepEqual(r.checks.map((c) => c.outcome), [
      "override",
      "blocked",
      "override",
      "blocked",
      "override",
    ]);
    assert.equal(isCompleteReviewOverride(full), true);
    assert.equal(isCompleteReviewOverride({ ...full, actor: "" }), false);
    await Deno.remove(m.rootDir, { recursive: true });
  });

  await t.step(
    "unreadable latest frontmatter is a REVIEW_ARTIFACT_SCHEMA_INVALID blocker",
    async () => {
      const m = await _mission({
        "tasks/WP01-a/review-cycle-1.md": _cycle("approved"),
        "tasks/WP01-a/review-cycle-2.md": "# Review\n\nVerdict: changes requested\n",
        "tasks/WP02-a/review-cycle-1.md": "---\nverdict: [unclosed\n---\n",
        "tasks/WP03-a/review-cycle-1.md": "---\nverdict: rejected\n",
        "tasks/WP04-a/review-cycle-1.md": _cycle("changes_requested_for_arbiter"),
        "tasks/WP05-a/review-cycle-1.md": _cycle(null),
      }, {
        WP01: { lane: "approved" },
        WP02: { lane: "approved" },
        WP03: { lane: "done" },
        WP04: { lane: "done" },
        WP05: { lane: "done" },
      });
      const r = await checkReviewArtifacts(m);
      assert.deepEqual(r.blockers.map((b) => [b.wp_id, b.diagnostic_code, b.review_cycle_number]), [
        ["WP01", "REVIEW_ARTIFACT_SCHEMA_INVALID", 2],
        ["WP02", "REVIEW_ARTIFACT_SCHEMA_INVALID", 1],
        ["WP03", "REVIEW_ARTIFACT_SCHEMA_INVALID", 1],
        ["WP04", "REVIEW_ARTIFACT_SCHEMA_INVALID", 1],
      ]);
      assert.equal(
        r.blockers[0]?.schema_error,
        "no frontmatter: the file does not start with a '---' line",
      );
      assert.match(r.blockers[1]?.schema_error ?? "", /^frontmatter is not valid YAML: /);
      assert.equal(r.blockers[2]?.schema_error, "frontmatter is not closed by a '---' line");
      assert.match(
        r.blockers[3]?.schema_error ?? "",
        /^unknown verdict 'changes_requested_for_arbiter'/,
      );
      assert.equal(
        r.blockers[0]?.latest_review_cycle_path,
        "kitty-specs/m1/tasks/WP01-a/review-cycle-2.md",
      );
      assert.equal(r.blockers[0]?.violated_invariant, "review_cycle_frontmatter_must_match_schema");
      assert.equal(r.checks[4]?.outcome, "no_review");
      await Deno.remove(m.rootDir, { recursive: true });
    },
  );

  await t.step("a bare tasks/WP01 folder is checked before tasks/WP01-* folders", async () => {
    const m = await _mission({
      "tasks/WP01/review-cycle-1.md": _cycle("approved"),
      "tasks/WP01-later/review-cycle-1.md": _cycle("rejected"),
    }, { WP01: { lane: "done" } });
    const r = await checkReviewArtifacts(m);
    assert.equal(
      r.blockers[0]?.latest_review_cycle_path,
      "kitty-specs/m1/tasks/WP01-later/review-cycle-1.md",
    );
    await Deno.remove(m.rootDir, { recursive: true });
  });
});
