/**
 * From work package to drift-tracked run, end to end on a synthetic mission
 * with three lanes (lane-c depends on lane-a): mission approval,
 * `implement --run` for each WP in turn (worktrees on the right branches,
 * the dependency lane merged in), commits in each worktree (one out of
 * scope), finishes, `review --mission` listing one drifted and two aligned
 * WPs, then `merge` merging the lanes.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import type { OpContext } from "../core/context.ts";
import { mergeOp } from "../core/gates/mod.ts";
import { approveMissionOp, implementRunOp, reviewWithRunsOp } from "../core/mission_run/mod.ts";
import { transitionEvent, writeMission } from "../testing/mission.ts";
import { finishRunOp, recordTestOp } from "../core/run/mod.ts";
import { git, keelJson } from "./helpers.ts";
import { laneRepo } from "../testing/git.ts";
import { testContext } from "../testing/context.ts";

const SLUG = "e2e-01KTE2EA";
const MID = "01KTE2EAAAAAAAAAAAAAAAAAAA";

const ctxFor = (cwd: string, at?: string): OpContext =>
  testContext(cwd, at === undefined ? {} : { at });

async function setup(): Promise<string> {
  const root = await laneRepo("workspace-e2e-");
  const dir = await writeMission(root, {
    slug: SLUG,
    missionId: MID,
    wps: [{ id: "WP01" }, { id: "WP02" }, { id: "WP03", deps: ["WP01"] }],
  });
  for (const [wp, deps] of [["WP01", "[]"], ["WP02", "[]"], ["WP03", "\n- WP01"]]) {
    await Deno.writeTextFile(
      join(dir, "tasks", `${wp}-work.md`),
      `---\nwork_package_id: ${wp}\ntitle: Work ${wp}\ndependencies: ${deps}\nsubtasks: []\n---\n\n` +
        `# ${wp}\n\n## Definition of Done\n\n- [ ] \`make test\` passes\n`,
    );
  }
  await Deno.writeTextFile(
    join(dir, "lanes.json"),
    JSON.stringify(
      {
        version: 1,
        mission_slug: SLUG,
        mission_id: MID,
        mission_branch: `kitty/mission-${SLUG}`,
        target_branch: "main",
        lanes: [
          {
            lane_id: "lane-a",
            wp_ids: ["WP01"],
            write_scope: ["src/a/**"],
            depends_on_lanes: [],
            parallel_group: 0,
          },
          {
            lane_id: "lane-b",
            wp_ids: ["WP02"],
            write_scope: ["src/b/**"],
            depends_on_lanes: [],
            parallel_group: 0,
          },
          {
            lane_id: "lane-c",
            wp_ids: ["WP03"],
            write_scope: ["src/c/**"],
            depends_on_lanes: ["lane-a"],
            parallel_group: 1,
          },
        ],
        computed_at: "2026-01-01T00:00:00+00:00",
        computed_from: "dependency_graph+ownership",
        planning_artifact_wps: [],
      },
      null,
      2,
    ) + "\n",
  );
  await git(root, "add", "-A");
  await git(root, "commit", "-qm", "mission");
  return root;
}

/** Move a WP to approved in the log (as spec-kitty's review would), committed on main. */
async function approveWp(root: string, wp: string, n: number): Promise<void> {
  const log = join(root, "kitty-specs", SLUG, "status.events.jsonl");
  const id = `01KTE2EEVENT${String(n).padStart(14, "0")}`;
  await Deno.writeTextFile(
    log,
    (await Deno.readTextFile(log)) +
      JSON.stringify(
        transitionEvent(wp, "in_progress", "approved", `2026-11-02T10:00:0${n}+00:00`, id, {
          force: true,
          actor: "reviewer",
        }),
      ) + "\n",
  );
  await git(root, "commit", "-qam", `approve ${wp}`);
}

/** Work in a lane: write files, commit with the unit trailer, record the test, finish. */
async function work(
  wt: string,
  wp: string,
  files: Record<string, string>,
  contract: string,
): Promise<string> {
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(join(wt, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(wt, path), text);
  }
  await git(wt, "add", "--", ...Object.keys(files));
  await git(wt, "commit", "-qm", `${wp} work\n\nKeel-Unit: ${wp}`);
  const ctx = ctxFor(wt, "2026-11-01T12:00:00Z");
  await recordTestOp({ testId: `${wp.toLowerCase()}-tests`, status: "passed", contract }, ctx);
  const report = await finishRunOp({ contract }, ctx);
  // keel's run evidence travels with the lane.
  await git(wt, "add", "-A", "--", ".keel");
  await git(wt, "commit", "-qm", `${wp}: keel run evidence`);
  return report.verdict ?? "null";
}

Deno.test("three lanes from mission approval to merge: one drifted, two aligned, the dependency lane merged in", async () => {
  const root = await setup();
  try {
    // 1. Mission approval: one contract per WP, tests from the DoD.
    const approved = await approveMissionOp({ mission: SLUG, by: "lead" }, ctxFor(root));
    assert.deepEqual(approved.wps.map((w) => [w.wp_id, w.status, w.tests[0]!.command]), [
      ["WP01", "approved", "make test"],
      ["WP02", "approved", "make test"],
      ["WP03", "approved", "make test"],
    ]);
    // Contracts travel with the branch: committed on main before the lanes are cut.
    await git(root, "add", "-A", "--", ".keel");
    await git(root, "commit", "-qm", "approved contracts");
    const mainAtStart = (await git(root, "rev-parse", "main")).trim();

    // 2. WP01 in lane-a: aligned.
    const r1 = await implementRunOp({ mission: SLUG, agent: "a1", wp: "WP01" }, ctxFor(root));
    assert.equal(r1.workspace!.branch, `kitty/mission-${SLUG}-lane-a`);
    assert.equal(r1.workspace!.base_commit, mainAtStart);
    assert.equal(r1.run!.action, "started");
    assert.equal(r1.run!.contract_copied, false); // already in the lane, byte for byte
    const wtA = join(root, r1.workspace!.path);
    assert.equal(
      await work(wtA, "WP01", { "src/a/a.ts": "export const a = 1;\n" }, r1.contract),
      "aligned",
    );
    await approveWp(root, "WP01", 1);

    // 3. WP02 in lane-b: one file out of scope → drifted.
    const r2 = await implementRunOp({ mission: SLUG, agent: "a2", wp: "WP02" }, ctxFor(root));
    assert.equal(r2.workspace!.branch, `kitty/mission-${SLUG}-lane-b`);
    const wtB = join(root, r2.workspace!.path);
    assert.equal(
      await work(wtB, "WP02", {
        "src/b/b.ts": "export const b = 1;\n",
        "src/outside.ts": "export const o = 1;\n",
      }, r2.contract),
      "drifted",
    );
    await approveWp(root, "WP02", 2);

    // 4. WP03 in lane-c, which depends on lane-a: lane-a's tip is merged in.
    const r3 = await implementRunOp({ mission: SLUG, agent: "a3", wp: "WP03" }, ctxFor(root));
    assert.equal(r3.workspace!.branch, `kitty/mission-${SLUG}-lane-c`);
    assert.deepEqual(r3.workspace!.merged, [
      { kind: "dependency_lane", ref: `kitty/mission-${SLUG}-lane-a`, lane_id: "lane-a" },
    ]);
    const wtC = join(root, r3.workspace!.path);
    assert.equal(await Deno.readTextFile(join(wtC, "src/a/a.ts")), "export const a = 1;\n");
    assert.equal(r3.run!.action, "started");
    assert.equal(
      await work(wtC, "WP03", { "src/c/c.ts": "export const c = 1;\n" }, r3.contract),
      "aligned",
    );
    await approveWp(root, "WP03", 3);

    // 5. review --mission: one drifted, two aligned, beside the lanes.
    const review = await reviewWithRunsOp({ mission: SLUG }, ctxFor(root));
    assert.deepEqual(
      review.wp_runs.map((w) => [w.wp_id, w.lane_id, w.status_lane, w.run_status]),
      [
        ["WP01", "lane-a", "approved", "aligned"],
        ["WP02", "lane-b", "approved", "drifted"],
        ["WP03", "lane-c", "approved", "aligned"],
      ],
    );
    assert.deepEqual(review.run_check, { result: "pass", drifted: ["WP02"] });
    const strict = await reviewWithRunsOp({ mission: SLUG, requireAligned: true }, ctxFor(root));
    assert.equal(strict.verdict, "fail");
    assert.deepEqual(strict.run_check, { result: "fail", drifted: ["WP02"] });
    const cli = await keelJson(root, ["review", "--mission", SLUG, "--require-aligned"]);
    assert.equal(cli.code, 1);
    assert.deepEqual((cli.json.run_check as { drifted: string[] }).drifted, ["WP02"]);

    // 6. merge: every lane lands on main.
    const merged = await mergeOp({ mission: SLUG }, ctxFor(root, "2026-11-03T10:00:00Z"));
    assert.equal(merged.blocked, false);
    assert.ok(!merged.dry_run && "events" in merged);
    assert.deepEqual(merged.lanes.map((l) => [l.lane_id, l.branch]), [
      ["lane-a", `kitty/mission-${SLUG}-lane-a`],
      ["lane-b", `kitty/mission-${SLUG}-lane-b`],
      ["lane-c", `kitty/mission-${SLUG}-lane-c`],
    ]);
    assert.deepEqual(merged.events.map((e) => [e.wp_id, e.to_lane]), [
      ["WP01", "done"],
      ["WP02", "done"],
      ["WP03", "done"],
    ]);
    for (const f of ["src/a/a.ts", "src/b/b.ts", "src/c/c.ts"]) {
      assert.ok((await Deno.lstat(join(root, f))).isFile, f);
    }
    // The runs came along with the lanes: the review still sees them from main alone.
    for (const wt of [wtA, wtB, wtC]) await git(root, "worktree", "remove", "--force", wt);
    const after = await reviewWithRunsOp({ mission: SLUG }, ctxFor(root));
    assert.deepEqual(after.wp_runs.map((w) => [w.wp_id, w.run_status, w.run?.found_in]), [
      ["WP01", "aligned", "."],
      ["WP02", "drifted", "."],
      ["WP03", "aligned", "."],
    ]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
