/**
 * The review and merge gates on synthetic missions that reproduce, shape for
 * shape, the real spec-kitty missions the conformance suite reads: a sticky
 * `changes_requested` review_result on a done WP (067), approvals recorded in
 * the log over stale rejected cycle files (private-teamspace), and a legacy
 * lanes.json (064).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import type { OpContext } from "../core/context.ts";
import { ERROR_CODES } from "../core/errors.ts";
import { type MergeBlockedResult, mergeOp, reviewOp } from "../core/gates/mod.ts";
import type { GitRunner } from "../core/git/mod.ts";
import { eventLine } from "../core/mission/mod.ts";
import { keelFailure } from "../testing/keel_failure.ts";
import {
  annotationLine,
  dropLogVerdicts,
  transitionEvent,
  writeMission,
  writeReviewCycle,
} from "../testing/mission.ts";
import { keelJson } from "./helpers.ts";
import { testContext } from "../testing/context.ts";

const ctxFor = (cwd: string): OpContext =>
  testContext(cwd, { at: "2026-06-01T00:00:00.000Z", stepMs: 0, gitBackend: "cli" });

/** The gates decide before any git call: a git port that fails the test when used. */
const noGit: GitRunner = (args) => {
  throw new Error(`git ${args.join(" ")} was called`);
};

/** A transition line of one mission (its id and slug on every event). */
function stepper(slug: string, missionId: string) {
  return (
    wp: string,
    from: string,
    to: string,
    at: string,
    id: string,
    extra: Record<string, unknown> = {},
  ) =>
    eventLine(
      transitionEvent(wp, from, to, at, id, {
        mission_id: missionId,
        mission_slug: slug,
        ...extra,
      }),
    );
}

/** The given fields of every blocker, in order. */
function fields(r: MergeBlockedResult, keys: string[]): unknown[][] {
  return r.blockers.map((b) => keys.map((k) => (b as unknown as Record<string, unknown>)[k]));
}

const REVIEW_CLAIM = { force: true, review_ref: "action-review-claim" };
const approvedBy = (reference: string) => ({
  evidence: { review: { reference, reviewer: "Reviewer", verdict: "approved" } },
});

// --- 067: WP06 done, but its review_result is still changes_requested ------------------------

const S067 = "067-runtime-recovery-and-audit-safety";
const WP06_DIR = "WP06-canonical-progress-reporting";

/**
 * The 2026-04 shape of 067: WP01–WP05 done without reviews, WP06 reviewed
 * twice. Its first review was rejected; a later backfill event (timestamp in
 * `Z` form, so it sorts after the `+00:00` event of the same second) carries
 * `review_result: changes_requested` on `in_review→in_progress`. No later
 * transition leaves `in_review`, so the reduced review_result stays
 * `changes_requested` although WP06 was approved (evidence) and moved to done.
 */
async function mission067(root: string): Promise<string> {
  const mid = "01KQ47E813PE1WDF9CF3G8K447";
  const T = stepper(S067, mid);
  const ref = `review-cycle://${S067}/${WP06_DIR}/review-cycle-2.md`;
  const d = (hms: string) => `2026-04-06T${hms}+00:00`;
  const dir = await writeMission(root, {
    slug: S067,
    missionId: mid,
    meta: { mission_number: 67, topology: "lanes", status_phase: "1", vcs: "git" },
    wps: [
      { id: "WP01", lane: "done" },
      { id: "WP02", lane: "done", deps: ["WP01"] },
      { id: "WP03", lane: "done" },
      { id: "WP04", lane: "done" },
      { id: "WP05", lane: "done" },
      { id: "WP06", slug: "canonical-progress-reporting", lane: null },
    ],
    lanes: [
      { lane_id: "lane-a", wp_ids: ["WP01", "WP02"] },
      { lane_id: "lane-b", wp_ids: ["WP03"] },
      { lane_id: "lane-c", wp_ids: ["WP04"] },
      { lane_id: "lane-d", wp_ids: ["WP05"] },
      { lane_id: "lane-e", wp_ids: ["WP06"] },
    ],
    extraLines: [
      T("WP06", "planned", "planned", d("18:51:39.118530"), "01KNJ25PQETTMY82RYCXN6KXR4", {
        actor: "finalize-tasks",
        force: true,
        reason: "canonical bootstrap",
      }),
      T("WP06", "planned", "claimed", d("18:52:26.327789"), "01KNJ274TQWEW910FZ7ZZWHPX6"),
      // The migration's duplicate claim (same instant, a non-ULID id).
      T("WP06", "planned", "claimed", d("18:52:26.327789"), "69AG4BYV7CSSSD0SHSNNYK3MAX", {
        actor: "migration:backfill_runtime_state",
        policy_metadata: { agent: "claude:opus:reviewer:reviewer", shell_pid: 33319 },
      }),
      annotationLine("WP06", d("18:52:26.327789"), "799RJJEZ2AVMVJ3SBJEMSFNPZX", {
        subtasks: { T027: "done", T028: "done" },
      }),
      T("WP06", "claimed", "in_progress", d("18:52:26.333952"), "01KNJ274TXM4YHG3ZB5A32ZTXD"),
      T("WP06", "in_progress", "for_review", d("19:02:39.352569"), "01KNJ2SVFRX59S99WDC03QACD2", {
        force: true,
      }),
      T("WP06", "for_review", "in_progress", d("19:03:10.098474"), "01KNJ2TSGJXV7Y4ZSKMF0CEGPJ", {
        ...REVIEW_CLAIM,
      }),
      T("WP06", "in_progress", "planned", d("19:05:48.300166"), "01KNJ2ZM0CMH3CW4EMZSWCN2TG", {
        force: true,
        reason: "Force move to planned",
        review_ref: ref,
      }),
      T("WP06", "in_review", "in_progress", "2026-04-06T19:05:48Z", "6KF9QWVN7M13VT8BPE5628EVXS", {
        actor: "migration:verdict_provenance_backfill",
        review_result: {
          feedback_path: `/tmp/elsewhere/kitty-specs/${S067}/tasks/${WP06_DIR}/review-cycle-2.md`,
          reference: ref,
          reviewer: "unknown",
          verdict: "changes_requested",
        },
      }),
      T("WP06", "planned", "claimed", d("19:06:10.194168"), "01KNJ309CJZ8TZ9ZV3W6V36GQY"),
      T("WP06", "claimed", "in_progress", d("19:06:10.271995"), "01KNJ309EZYMCSW8SQJ1W354G2"),
      T("WP06", "in_progress", "for_review", d("19:08:13.224389"), "01KNJ341H8T9VXQRZBKQ3FNBPG", {
        force: true,
      }),
      T("WP06", "for_review", "in_progress", d("19:08:57.348909"), "01KNJ35CM4C4ZS681BHHC8P322", {
        ...REVIEW_CLAIM,
      }),
      T("WP06", "in_progress", "for_review", d("19:11:26.932226"), "01KNJ39YPME9VZB9TZ9JJ10QYV"),
      T("WP06", "for_review", "approved", d("19:11:27.183425"), "01KNJ39YYFXPTY2J9AZF87JJZ6", {
        ...approvedBy("Review passed"),
      }),
      T(
        "WP06",
        "approved",
        "done",
        "2026-04-07T07:40:48.515835+00:00",
        "01KNKE62G31S673B0CSTMW7ZPC",
        {
          force: true,
          ...approvedBy("PR#452 commit ba356d15"),
        },
      ),
    ],
  });
  // Cycle 1 predates frontmatter; cycle 2 (its body still titled "Cycle 1") says rejected.
  await writeReviewCycle(dir, { wpDir: WP06_DIR, number: 1, verdict: null });
  await writeReviewCycle(dir, {
    wpDir: WP06_DIR,
    number: 2,
    verdict: "rejected",
    body: "# WP06 Review Cycle 1\n\n## Verdict: Changes Requested\n",
  });
  return dir;
}

Deno.test("merge gate on a 067-shaped mission: WP06 blocked by its sticky event verdict (cycle 2)", async () => {
  const root = await Deno.makeTempDir({ prefix: "keel-gates-067-" });
  try {
    await mission067(root);
    const dry = await mergeOp({ mission: S067, dryRun: true }, ctxFor(root), { git: noGit });
    assert.equal(dry.blocked, true);
    const blocked = dry as MergeBlockedResult;
    assert.equal(blocked.diagnostic_code, "REJECTED_REVIEW_ARTIFACT_CONFLICT");
    assert.equal(blocked.mission_slug, S067);
    assert.equal(blocked.target_branch, "main");
    assert.deepEqual(
      fields(blocked, [
        "wp_id",
        "lane",
        "latest_review_cycle_path",
        "review_cycle_number",
        "latest_review_cycle_verdict",
        "verdict_source",
        "review_reference_path",
      ]),
      [[
        "WP06",
        "done",
        null,
        0,
        "changes_requested",
        "event",
        `kitty-specs/${S067}/tasks/${WP06_DIR}/review-cycle-2.md`,
      ]],
    );
    // The real merge blocks with the same document, and the CLI exits 1 with it.
    const real = await mergeOp({ mission: S067 }, ctxFor(root), { git: noGit });
    assert.deepEqual(real, dry);
    const cli = await keelJson(root, ["merge", "--mission", S067, "--dry-run"]);
    assert.equal(cli.code, 1);
    assert.deepEqual(cli.json, JSON.parse(JSON.stringify(dry)));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("merge gate on a 067-shaped mission: with no verdict in the log, cycle 2's file decides", async () => {
  const root = await Deno.makeTempDir({ prefix: "keel-gates-067-" });
  try {
    const dir = await mission067(root);
    await dropLogVerdicts(dir);
    const dry = await mergeOp({ mission: S067, dryRun: true }, ctxFor(root), { git: noGit });
    assert.equal(dry.blocked, true);
    assert.deepEqual(
      fields(dry as MergeBlockedResult, [
        "wp_id",
        "latest_review_cycle_path",
        "review_cycle_number",
        "latest_review_cycle_verdict",
        "verdict_source",
      ]),
      [[
        "WP06",
        `kitty-specs/${S067}/tasks/${WP06_DIR}/review-cycle-2.md`,
        2,
        "rejected",
        "artifact",
      ]],
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

// --- private-teamspace: approvals in the log win over stale rejected cycle files ---------------

const SPT = "private-teamspace-ingress-safeguards-01KQH03Y";
const SPT_DIRS: Record<string, string> = {
  WP01: "WP01-strict-private-team-resolver",
  WP02: "WP02-tokenmanager-rehydrate-membership",
  WP03: "WP03-refresh-flow-force-rehydrate",
  WP04: "WP04-direct-ingress-call-sites",
  WP05: "WP05-websocket-and-stdout-discipline",
};

/**
 * The 2026-05 shape of private-teamspace: one lane, five WPs, every one done.
 * Rejections moved a WP `in_review→planned` with a `review_ref` to a cycle
 * file and no review_result; every WP then went to `approved` with
 * `evidence.review` approved (WP02 straight from planned, an arbiter's
 * approval) and on to done. The rejected cycle files stay behind: WP01 and
 * WP04 latest cycle 4, WP02 cycle 4 (after 1 and 2), WP05 cycle 6 (1–4, no 5).
 * Cycle 1 files (and WP04's cycle 2) have no frontmatter.
 */
async function missionPrivateTeamspace(root: string): Promise<string> {
  const mid = "01KQH03YSS4H9PQVJ5YCTGZYMR";
  const T = stepper(SPT, mid);
  const lines: string[] = [];
  let n = 0;
  const id = () => `01KQH${String(++n).padStart(21, "0")}`;
  const at = (h: number, m: number) =>
    `2026-05-01T${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:00.000000+00:00`;
  const reject = (wp: string, cycle: number) =>
    `review-cycle://${SPT}/${SPT_DIRS[wp]}/review-cycle-${cycle}.md`;
  const history: Record<string, { rejections: number[]; arbiter?: boolean }> = {
    WP01: { rejections: [4] },
    WP02: { rejections: [4], arbiter: true },
    WP03: { rejections: [] },
    WP04: { rejections: [4, 4] },
    WP05: { rejections: [4, 6] },
  };
  let h = 6;
  for (const [wp, { rejections, arbiter }] of Object.entries(history)) {
    h++;
    let m = 0;
    lines.push(
      T(wp, "planned", "planned", at(6, h), id(), { actor: "finalize-tasks", force: true }),
    );
    const round = () => {
      lines.push(T(wp, "planned", "claimed", at(h, ++m), id()));
      lines.push(T(wp, "claimed", "in_progress", at(h, ++m), id()));
      lines.push(T(wp, "in_progress", "for_review", at(h, ++m), id()));
      lines.push(T(wp, "for_review", "in_review", at(h, ++m), id(), REVIEW_CLAIM));
    };
    for (const cycle of rejections) {
      round();
      lines.push(T(wp, "in_review", "planned", at(h, ++m), id(), {
        force: true,
        review_ref: reject(wp, cycle),
      }));
    }
    if (arbiter) {
      lines.push(T(wp, "planned", "approved", at(h, ++m), id(), {
        force: true,
        ...approvedBy("Arbiter approval: the cycle-4 verdict was contaminated"),
      }));
    } else {
      round();
      lines.push(T(wp, "in_review", "approved", at(h, ++m), id(), approvedBy("Review passed")));
    }
    lines.push(
      annotationLine(wp, at(h, ++m), id(), { subtasks: { [`T0${wp.slice(2)}`]: "done" } }),
    );
    lines.push(T(wp, "approved", "done", at(12, h), id(), approvedBy(`lane-approved:${wp}`)));
  }
  const dir = await writeMission(root, {
    slug: SPT,
    missionId: mid,
    meta: { mission_number: 110, topology: "lanes", status_phase: "1", vcs: "git" },
    wps: Object.entries(SPT_DIRS).map(([wp, d]) => ({
      id: wp,
      slug: d.slice(wp.length + 1),
      lane: null,
    })),
    lanes: [{ lane_id: "lane-a", wp_ids: Object.keys(SPT_DIRS) }],
    extraLines: lines,
  });
  const cycles: [string, number, string | null][] = [
    ["WP01", 1, null],
    ["WP01", 4, "rejected"],
    ["WP02", 1, null],
    ["WP02", 2, "rejected"],
    ["WP02", 4, "rejected"],
    ["WP04", 2, null],
    ["WP04", 4, "rejected"],
    ["WP05", 1, null],
    ["WP05", 2, "rejected"],
    ["WP05", 3, "rejected"],
    ["WP05", 4, "rejected"],
    ["WP05", 6, "rejected"],
  ];
  for (const [wp, number, verdict] of cycles) {
    await writeReviewCycle(dir, { wpDir: SPT_DIRS[wp]!, number, verdict });
  }
  return dir;
}

Deno.test("review gate on a private-teamspace-shaped mission: the log's approvals win over stale rejected cycle files", async () => {
  const root = await Deno.makeTempDir({ prefix: "keel-gates-pt-" });
  try {
    const dir = await missionPrivateTeamspace(root);
    const review = await reviewOp({ mission: SPT, mode: "lightweight" }, ctxFor(root));
    assert.deepEqual(review.findings.map((f) => f.type), ["dead_code_baseline_missing"]);
    assert.equal(review.verdict, "fail");
    // With those verdicts removed from the log, the latest cycle files decide.
    await dropLogVerdicts(dir);
    const stale = await reviewOp({ mission: SPT, mode: "lightweight" }, ctxFor(root));
    assert.equal(stale.verdict, "fail");
    const tasks = `kitty-specs/${SPT}/tasks`;
    assert.deepEqual(
      stale.findings.filter((f) => f.type === "rejected_review_artifact").map((f) => [
        f.evidence.wp_id,
        f.evidence.latest_review_cycle_path,
        f.evidence.review_cycle_number,
        f.evidence.verdict_source,
      ]),
      [
        ["WP01", `${tasks}/${SPT_DIRS.WP01}/review-cycle-4.md`, 4, "artifact"],
        ["WP02", `${tasks}/${SPT_DIRS.WP02}/review-cycle-4.md`, 4, "artifact"],
        ["WP04", `${tasks}/${SPT_DIRS.WP04}/review-cycle-4.md`, 4, "artifact"],
        ["WP05", `${tasks}/${SPT_DIRS.WP05}/review-cycle-6.md`, 6, "artifact"],
      ],
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

// --- 064: a legacy lanes.json (feature_slug, mission_id = slug) -------------------------------

Deno.test("merge on a 064-shaped mission: legacy lanes.json (feature_slug) → LANES_JSON_INVALID", async () => {
  const root = await Deno.makeTempDir({ prefix: "keel-gates-064-" });
  try {
    const slug = "064-complete-mission-identity-cutover";
    const wps = ["WP01", "WP02", "WP03", "WP04", "WP05", "WP06", "WP07", "WP08", "WP09"];
    await writeMission(root, {
      slug,
      missionId: "01KQ47E80QJG8GTVGDCV67RW7M",
      meta: { mission_number: 64, topology: "single_branch", status_phase: "1", vcs: "git" },
      wps: wps.map((id) => ({ id, lane: "approved" })),
      lanes: [{ lane_id: "lane-a", wp_ids: wps }],
      editLanes: (doc) => {
        delete doc.mission_slug;
        doc.feature_slug = slug;
        doc.mission_id = slug;
      },
    });
    const e = await keelFailure(
      mergeOp({ mission: slug, dryRun: true }, ctxFor(root), { git: noGit }),
    );
    assert.equal(e.code, "LANES_JSON_INVALID");
    assert.equal(ERROR_CODES[e.code].exit, 3);
    assert.equal(e.data.path, `kitty-specs/${slug}/lanes.json`);
    assert.equal(e.data.reason, "legacy 'feature_slug' key; the file must use 'mission_slug'");
    // The same lanes.json with mission_slug is read.
    const lanes = join(root, "kitty-specs", slug, "lanes.json");
    const doc = JSON.parse(await Deno.readTextFile(lanes));
    doc.mission_slug = doc.feature_slug;
    delete doc.feature_slug;
    await Deno.writeTextFile(lanes, JSON.stringify(doc));
    await assert.rejects(
      mergeOp({ mission: slug, dryRun: true }, ctxFor(root), { git: noGit }),
      /git rev-parse --show-toplevel was called/,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
