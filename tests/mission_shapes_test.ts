/**
 * The claim side of keel on synthetic missions in the shapes of the real
 * spec-kitty missions (`testing/mission_shapes.ts`): the same cases the
 * conformance run checks on the real ones under `../shared`, self-contained.
 * `next` names the WP `implement` claims on every shape (eras, lanes,
 * coordination topology, review cycles, a stale status.json, blocked and
 * dependent WPs); lane workspaces are where spec-kitty creates them; the
 * conformance script and the recorded-answer parity check report what they
 * must.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { implementOp, nextOp, openMission, prepareWorkspace } from "../core/mission/mod.ts";
import { keelFailure } from "../testing/keel_failure.ts";
import {
  blockedShape,
  parityShape,
  reviewedDoneShape,
  type ShapeMission,
  SHAPES,
  statusJsonText,
  waitingShape,
  writeShapeMission,
} from "../testing/mission_shapes.ts";
import { checkRecordedAnswers, recordedFile } from "../scripts/recorded_parity.ts";
import { git } from "./helpers.ts";
import { testContext as ctxFor } from "../testing/context.ts";

async function withTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "keel-shapes-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function snapshotDir(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      const p = join(d, e.name);
      if (e.isDirectory) await walk(p);
      else out.push(`${p}:${(await Deno.readFile(p)).length}`);
    }
  };
  await walk(dir);
  return out.sort();
}

Deno.test("parity shape (bootstrap, backfilled claim and repair at equal times): next names WP01, implement claims it, next moves on", async () => {
  await withTemp(async (root) => {
    const m = parityShape();
    await writeShapeMission(root, m);
    const ctx = ctxFor(root);
    const next = await nextOp({ mission: m.slug, agent: "claude" }, ctx);
    assert.equal(next.wp_id, "WP01");
    assert.equal(next.mission_state, "implement");
    assert.equal(next.selection_reason, null);
    assert.equal(next.mission_number, "");
    assert.deepEqual(next.progress, {
      total_wps: 3,
      done_wps: 0,
      approved_wps: 0,
      in_progress_wps: 0,
      planned_wps: 3,
      for_review_wps: 0,
      weighted_percentage: 0,
    });
    assert.equal(next.wp_prompt_file, `kitty-specs/${m.slug}/tasks/WP01-next-json-claimability.md`);
    // The handle is the mission id's first 8 characters, as spec-kitty accepts it.
    const r = await implementOp({ mission: "01KSYNPA", agent: "claude", workspace: false }, ctx);
    assert.equal(r.wp_id, "WP01");
    assert.equal(r.action, "claimed");
    assert.equal(r.workspace_path, `.worktrees/${m.slug}-lane-a`);
    assert.equal((await nextOp({ mission: m.slug }, ctx)).wp_id, "WP02");
  });
});

Deno.test("every mission shape: next's wp_id, reason and state; implement claims that WP or refuses with that reason; reads write nothing", async () => {
  await withTemp(async (root) => {
    const missions: ShapeMission[] = [];
    for (const s of SHAPES) {
      const m = s.build();
      missions.push(m);
      await writeShapeMission(root, m);
    }
    assert.equal(new Set(missions.map((m) => m.slug)).size, SHAPES.length);
    const before = await snapshotDir(join(root, "kitty-specs"));
    const ctx = ctxFor(root);
    const previews = new Map<string, string | null>();
    for (const [i, s] of SHAPES.entries()) {
      const slug = missions[i]!.slug;
      const p = await nextOp({ mission: slug }, ctx);
      previews.set(slug, p.wp_id);
      assert.deepEqual(
        [p.wp_id, p.selection_reason, p.mission_state, p.reason],
        [s.wp_id, s.selection_reason, s.mission_state, s.reason],
        slug,
      );
    }
    assert.deepEqual(await snapshotDir(join(root, "kitty-specs")), before, "next must not write");
    for (const [i, s] of SHAPES.entries()) {
      const slug = missions[i]!.slug;
      const call = implementOp({ mission: slug, agent: "shape", workspace: false }, ctx);
      if (previews.get(slug) === null) {
        const e = await keelFailure(call);
        assert.equal(e.code, "WP_NOT_CLAIMABLE", slug);
        assert.equal(e.exitCode, 1);
        assert.equal(e.data.reason, s.selection_reason, slug);
      } else {
        const r = await call;
        assert.equal(r.wp_id, s.wp_id, slug);
        assert.equal(r.action, "claimed");
      }
    }
  });
});

Deno.test("dependent and blocked shapes: next --explain says why each WP is not claimable", async () => {
  await withTemp(async (root) => {
    const ctx = ctxFor(root);
    const why = async (m: ShapeMission) => {
      await writeShapeMission(root, m);
      const p = await nextOp({ mission: m.slug, explain: true }, ctx);
      return p.explain!.map((e) => [e.wp_id, e.lane, e.decision, e.why]);
    };
    assert.deepEqual(await why(waitingShape()), [
      ["WP01", "in_progress", "skipped", "already in_progress"],
      [
        "WP02",
        "planned",
        "skipped",
        "waiting on WP01 (in_progress); dependencies must be approved or done",
      ],
      [
        "WP03",
        "planned",
        "skipped",
        "waiting on WP01 (in_progress), WP02 (planned); dependencies must be approved or done",
      ],
      ["WP04", "claimed", "skipped", "already claimed"],
    ]);
    assert.deepEqual(await why(blockedShape()), [
      ["WP01", "approved", "skipped", "lane approved is not claimable"],
      ["WP02", "approved", "skipped", "lane approved is not claimable"],
      ["WP03", "approved", "skipped", "lane approved is not claimable"],
      ["WP04", "blocked", "skipped", "lane blocked is not claimable"],
    ]);
  });
});

/**
 * For every shape with a usable lanes.json (mission_slug key, no
 * coordination branch, no planning commit), each lane's workspace is created
 * where spec-kitty creates it: `.worktrees/<slug>-<lane>` on branch
 * `kitty/mission-<slug>-<lane>`, based on the mission branch cut from the
 * target branch.
 */
Deno.test("shape lanes: path, branch and base commit are spec-kitty's for every lane", async () => {
  const candidates = SHAPES.map((s) => s.build()).filter((m) =>
    m.lanes !== null && "mission_slug" in m.lanes && !m.meta.coordination_branch &&
    !m.lanes.planning_commit_sha
  );
  assert.deepEqual(candidates.map((m) => m.slug), [
    parityShape().slug,
    reviewedDoneShape().slug,
    blockedShape().slug,
    waitingShape().slug,
  ]);
  let lanesChecked = 0;
  for (const m of candidates) {
    await withTemp(async (root) => {
      await git(root, "init", "-q", "-b", "main");
      await git(root, "config", "user.name", "Test");
      await git(root, "config", "user.email", "test@example.invalid");
      await git(root, "config", "commit.gpgsign", "false");
      await Deno.writeTextFile(join(root, ".gitignore"), ".worktrees/\n.keel/locks/\n");
      await writeShapeMission(root, m);
      await git(root, "add", "-A");
      await git(root, "commit", "-qm", "mission");
      const target = String(m.meta.target_branch);
      if (target !== "main") await git(root, "branch", target, "main");
      const tip = (await git(root, "rev-parse", target)).trim();
      const mission = await openMission(root, m.slug);
      const lanes = m.lanes!.lanes as {
        lane_id: string;
        wp_ids: string[];
        parallel_group: number;
      }[];
      const ordered = [...lanes].sort((a, b) =>
        a.parallel_group - b.parallel_group || (a.lane_id < b.lane_id ? -1 : 1)
      );
      for (const lane of ordered) {
        const ws = await prepareWorkspace({ mission, wpId: lane.wp_ids[0]! });
        assert.equal(ws.path, `.worktrees/${m.slug}-${lane.lane_id}`, m.slug);
        assert.equal(ws.branch, `kitty/mission-${m.slug}-${lane.lane_id}`, m.slug);
        assert.equal(ws.base_branch, `kitty/mission-${m.slug}`);
        assert.equal(ws.base_commit, tip);
        assert.equal((await git(join(root, ws.path), "rev-parse", "HEAD")).trim(), tip);
        lanesChecked++;
      }
    });
  }
  assert.equal(lanesChecked, 3 + 3 + 4 + 2);
});

// ---- the conformance script ----

const CONFORMANCE = new URL("../scripts/conformance.ts", import.meta.url).pathname;

async function conformance(dir: string): Promise<{ code: number; doc: Record<string, unknown> }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", CONFORMANCE, dir, "--json"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  try {
    return { code: out.code, doc: JSON.parse(stdout) };
  } catch {
    throw new Error(`exit ${out.code}: ${stdout}${new TextDecoder().decode(out.stderr)}`);
  }
}

Deno.test("conformance script over the synthetic shapes exits 0 and lists the stale mission; a reducer mismatch exits 1", async () => {
  await withTemp(async (root) => {
    const missions = SHAPES.map((s) => s.build());
    for (const m of missions) await writeShapeMission(root, m);
    await writeRecorded(root, AGREEING);
    const ok = await conformance(join(root, "kitty-specs"));
    const summary = ok.doc.summary as Record<string, unknown>;
    assert.equal(ok.code, 0, JSON.stringify(summary));
    assert.equal(summary.missions, 10);
    assert.equal(summary.status_json_match, 8);
    assert.deepEqual(summary.status_json_stale, ["stale-cache-shape-01KSYNST"]);
    assert.equal(summary.status_json_missing, 1);
    assert.deepEqual(summary.reducer_mismatch, []);
    assert.equal(summary.invariant_checked, 10);
    assert.deepEqual(summary.violations, []);
    assert.deepEqual(summary.recorded, { states: AGREEING.length, failed: 0, differences: [] });
    assert.equal(summary.ok, true);
    const rows = ok.doc.missions as { slug: string; next: { wp_id: string | null } }[];
    assert.deepEqual(
      Object.fromEntries(rows.map((r) => [r.slug, r.next.wp_id])),
      Object.fromEntries(missions.map((m, i) => [m.slug, SHAPES[i]!.wp_id])),
    );

    // status.json puts WP02 of the blocked shape in another lane, with the log's event count: a
    // reducer mismatch (not a stale cache), exit 1.
    const bad = blockedShape();
    const statusPath = join(root, "kitty-specs", bad.slug, "status.json");
    const status = JSON.parse(statusJsonText(bad.lines));
    status.work_packages.WP02.lane = "done";
    await Deno.writeTextFile(statusPath, JSON.stringify(status, null, 2) + "\n");
    await Deno.remove(join(root, "recorded"), { recursive: true });
    const mismatch = await conformance(join(root, "kitty-specs"));
    const s2 = mismatch.doc.summary as Record<string, unknown>;
    assert.equal(mismatch.code, 1);
    assert.deepEqual(s2.reducer_mismatch, [bad.slug]);
    assert.deepEqual(s2.violations, [{
      slug: bad.slug,
      violations: ["reducer disagrees with status.json: WP02"],
    }]);
    assert.equal(s2.recorded, null);
    assert.equal(s2.ok, false);
  });
});

// ---- recorded spec-kitty answers ----

/** One recorded state, as `recorded/spec-kitty-3.2.6rc3.json` holds it. */
interface RecordedEntry {
  mission: string;
  variant: string;
  event_lines: number;
  next: { exit: number; json: Record<string, unknown> | null; stdout_tail: string | null };
  merge_dry_run: { exit: number; json: Record<string, unknown> | null; stdout_tail: null };
  review_lightweight: { exit: number; json: null; stdout_tail: string };
}

function nextJson(
  slug: string,
  over: Record<string, unknown>,
): Record<string, unknown> {
  return {
    kind: "query",
    agent: null,
    mission_slug: slug,
    mission_number: "",
    mission_type: "software-dev",
    mission: "software-dev",
    mission_state: "implement",
    timestamp: "2026-11-23T11:01:21.235078+00:00",
    action: null,
    wp_id: null,
    workspace_path: null,
    prompt_file: null,
    reason: null,
    guard_failures: [],
    progress: null,
    origin: {},
    run_id: null,
    step_id: null,
    decision_id: null,
    input_key: null,
    question: null,
    options: null,
    is_query: true,
    preview_step: "implement",
    ...over,
  };
}

function progress(
  done: number,
  approved: number,
  inProgress: number,
  planned: number,
  total: number,
  pct: number,
) {
  return {
    total_wps: total,
    done_wps: done,
    approved_wps: approved,
    in_progress_wps: inProgress,
    planned_wps: planned,
    for_review_wps: 0,
    weighted_percentage: pct,
  };
}

/** spec-kitty's lightweight review console text (wrapped as it prints it). */
function reviewTail(
  slug: string,
  notDone: [string, string][],
  blocking: string | null,
  findings: number,
): string {
  const lane = notDone.length === 0
    ? `  ✓  WP lane check: all WP(s) in done\n`
    : `  ✗  WP lane check: ${notDone.length} WP(s) not in done\n` +
      notDone.map(([wp, l]) => `       ${wp}: ${l}\n`).join("");
  const review = blocking === null
    ? "  ✓  Review artifact consistency: no terminal WP has a blocking latest review \nartifact\n"
    : "  ✗  Review artifact consistency: blocking latest review artifact exists for \nterminal WP(s)\n" +
      `       ${blocking} is lane 'done', but the event-sourced review verdict is \n'changes_requested' and no on-disk review artifact exists.\n`;
  return `\nReviewing mission: ${slug} \n(${slug})\nMode: lightweight (explicit)\n\n${lane}${review}` +
    "  ✗  Dead-code scan: missing baseline_merge_commit \n(LIGHTWEIGHT_REVIEW_MISSING_BASELINE)\n" +
    "  ✓  BLE001 audit: 0 unjustified suppressions\n\n" +
    `Verdict: fail  (${findings} finding(s))\n`;
}

const PARITY = parityShape();
const DONE = reviewedDoneShape();

/** What spec-kitty 3.2.6rc3 answers on these shapes (modelled on its recorded answers for the real ones). */
const AGREEING: RecordedEntry[] = [
  {
    mission: PARITY.slug,
    variant: "full",
    event_lines: PARITY.lines.length,
    next: {
      exit: 0,
      json: nextJson(PARITY.slug, { wp_id: "WP01", progress: progress(0, 0, 0, 3, 3, 0) }),
      stdout_tail: null,
    },
    merge_dry_run: {
      exit: 0,
      json: {
        spec_kitty_version: "3.2.6rc3",
        mission_slug: PARITY.slug,
        target_branch: "fix/parity",
        strategy: "squash",
        mission_branch: `kitty/mission-${PARITY.slug}`,
      },
      stdout_tail: null,
    },
    review_lightweight: {
      exit: 1,
      json: null,
      stdout_tail: reviewTail(
        PARITY.slug,
        [["WP01", "planned"], ["WP02", "planned"], [
          "WP03",
          "planned",
        ]],
        null,
        4,
      ),
    },
  },
  {
    mission: PARITY.slug,
    variant: "cut1of3",
    event_lines: 4,
    next: {
      exit: 0,
      json: nextJson(PARITY.slug, { wp_id: "WP01", progress: progress(0, 0, 0, 1, 3, 0) }),
      stdout_tail: null,
    },
    merge_dry_run: {
      exit: 0,
      json: { spec_kitty_version: "3.2.6rc3", mission_slug: PARITY.slug },
      stdout_tail: null,
    },
    review_lightweight: {
      exit: 1,
      json: null,
      stdout_tail: reviewTail(PARITY.slug, [["WP01", "planned"]], null, 2),
    },
  },
  {
    mission: DONE.slug,
    variant: "full",
    event_lines: DONE.lines.length,
    next: {
      exit: 0,
      json: nextJson(DONE.slug, {
        mission_number: "67",
        mission_state: "done",
        reason: "All work packages are done",
        progress: progress(4, 0, 0, 0, 4, 100),
        preview_step: null,
      }),
      stdout_tail: null,
    },
    merge_dry_run: {
      exit: 1,
      json: {
        spec_kitty_version: "3.2.6rc3",
        mission_slug: DONE.slug,
        target_branch: "main",
        blocked: true,
        blockers: [{
          diagnostic_code: "REJECTED_REVIEW_ARTIFACT_CONFLICT",
          branch_or_work_package: "WP03",
          violated_invariant: "terminal_wp_latest_review_artifact_must_not_be_rejected",
          remediation: [
            "Run another review cycle that writes an approved review-cycle artifact.",
            "Or move the WP out of approved/done before merge.",
          ],
          lane: "done",
          latest_review_cycle_path: null,
          latest_review_cycle_verdict: "changes_requested",
          review_cycle_number: 0,
        }],
        diagnostic_code: "REJECTED_REVIEW_ARTIFACT_CONFLICT",
      },
      stdout_tail: null,
    },
    review_lightweight: { exit: 1, json: null, stdout_tail: reviewTail(DONE.slug, [], "WP03", 2) },
  },
];

/**
 * Write a `recorded/` folder next to `<root>/kitty-specs` (the missions must
 * be there already).
 */
async function writeRecorded(root: string, entries: RecordedEntry[]): Promise<void> {
  await Deno.mkdir(join(root, "recorded"), { recursive: true });
  await Deno.writeTextFile(recordedFile(root), JSON.stringify(entries, null, 1) + "\n");
}

Deno.test("recorded spec-kitty answers on synthetic shapes: agreeing states pass, a differing field is named", async (t) => {
  await withTemp(async (root) => {
    await writeShapeMission(root, PARITY);
    await writeShapeMission(root, DONE);
    await t.step("every recorded state agrees field by field", async () => {
      await writeRecorded(root, AGREEING);
      const r = await checkRecordedAnswers(root);
      assert.equal(r.file, recordedFile(root));
      assert.deepEqual(r.states, [
        { mission: PARITY.slug, variant: "full", differences: [] },
        { mission: DONE.slug, variant: "full", differences: [] },
        { mission: PARITY.slug, variant: "cut1of3", differences: [] },
      ]);
      assert.equal(r.failed, 0);
    });
    await t.step("a recorded field keel differs from is reported with the field", async () => {
      const differing = structuredClone(AGREEING);
      differing[0]!.next.json!.wp_id = "WP02";
      const blocker = (differing[2]!.merge_dry_run.json!.blockers as Record<string, unknown>[])[0]!;
      blocker.lane = "approved";
      differing[2]!.review_lightweight.stdout_tail = reviewTail(DONE.slug, [], null, 1);
      await writeRecorded(root, differing);
      const r = await checkRecordedAnswers(root);
      assert.equal(r.failed, 2);
      assert.deepEqual(r.states, [
        {
          mission: PARITY.slug,
          variant: "full",
          differences: ['next.wp_id: spec-kitty "WP02", keel "WP01"'],
        },
        {
          mission: DONE.slug,
          variant: "full",
          differences: [
            'merge.blockers[0].lane: spec-kitty "approved", keel "done"',
            "review.findings: spec-kitty 1, keel 2",
            'review.blocking_review: spec-kitty [], keel ["WP03"]',
          ],
        },
        { mission: PARITY.slug, variant: "cut1of3", differences: [] },
      ]);
    });
  });
});
