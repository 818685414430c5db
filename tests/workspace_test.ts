/**
 * `implement` prepares the lane workspace as spec-kitty 3.2.6rc3 does:
 * path, branch, base commit, dependency lanes merged in, reuse, refusals
 * that write nothing, the event-log commit, and `--no-workspace`.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { implementOp } from "../core/mission/mod.ts";
import { implementRunOp, implementWithRunOp } from "../core/mission_run/mod.ts";
import { approveOp, initOp } from "../core/contract/mod.ts";
import { loadRunReport } from "../core/run/mod.ts";
import { transitionEvent, writeMission } from "../testing/mission.ts";
import { git, keelJson } from "./helpers.ts";
import { laneRepo } from "../testing/git.ts";
import { keelFailure } from "../testing/keel_failure.ts";
import { testContext as ctxFor } from "../testing/context.ts";

const MID = "01KTWSAAAAAAAAAAAAAAAAAAAA";
const SLUG = "ws-01KTWSAA";

/** A git repository on `main` with local identity, `.worktrees/` ignored. */
async function repo(): Promise<string> {
  const dir = await laneRepo("workspace-ws-");
  await Deno.writeTextFile(join(dir, "README.md"), "# r\n");
  return dir;
}

/** WP01 approved (as the review would record it), the event committed on main. */
async function approveWp01(
  root: string,
  eventId: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const log = join(root, "kitty-specs", SLUG, "status.events.jsonl");
  const event = transitionEvent(
    "WP01",
    "in_progress",
    "approved",
    "2026-11-01T11:00:00+00:00",
    eventId,
    { force: true, ...extra },
  );
  await Deno.writeTextFile(log, (await Deno.readTextFile(log)) + JSON.stringify(event) + "\n");
  await git(root, "commit", "-qam", "approve WP01");
}

/**
 * Three lanes: lane-a (WP01), lane-b (WP02), lane-c (WP03, depends on WP01,
 * so on lane-a), and lane-planning (WP04). Committed on main.
 */
async function threeLanes(root: string, extra: { wp01Lane?: string } = {}): Promise<void> {
  const dir = await writeMission(root, {
    slug: SLUG,
    missionId: MID,
    wps: [
      { id: "WP01", lane: extra.wp01Lane ?? "planned" },
      { id: "WP02" },
      { id: "WP03", deps: ["WP01"] },
      { id: "WP04" },
    ],
  });
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
            lane_id: "lane-planning",
            wp_ids: ["WP04"],
            write_scope: [],
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
        planning_artifact_wps: ["WP04"],
      },
      null,
      2,
    ) + "\n",
  );
  await git(root, "add", "-A");
  await git(root, "commit", "-qm", "mission");
}

const logOf = (root: string) =>
  Deno.readTextFile(join(root, "kitty-specs", SLUG, "status.events.jsonl"));
const rev = async (cwd: string, ref: string) => (await git(cwd, "rev-parse", ref)).trim();
const branches = async (root: string) =>
  (await git(root, "branch", "--format=%(refname:short)")).split("\n").filter((b) => b !== "")
    .sort();

Deno.test("implement creates the lane worktree on kitty/mission-<slug>-<lane> from the mission branch and commits the claim on main", async () => {
  const root = await repo();
  try {
    await threeLanes(root);
    const mainBefore = await rev(root, "main");
    const r = await implementOp({ mission: SLUG, agent: "claude", wp: "WP01" }, ctxFor(root));
    assert.equal(r.action, "claimed");
    assert.equal(r.workspace_path, `.worktrees/${SLUG}-lane-a`);
    assert.ok(r.workspace !== null);
    assert.equal(r.workspace.action, "created");
    assert.equal(r.workspace.path, `.worktrees/${SLUG}-lane-a`);
    assert.equal(r.workspace.branch, `kitty/mission-${SLUG}-lane-a`);
    assert.equal(r.workspace.base_branch, `kitty/mission-${SLUG}`);
    assert.equal(r.workspace.base_commit, mainBefore);
    assert.deepEqual(r.workspace.merged, []);
    const wt = join(root, r.workspace.path);
    assert.equal(
      (await git(wt, "symbolic-ref", "--short", "HEAD")).trim(),
      `kitty/mission-${SLUG}-lane-a`,
    );
    assert.equal(await rev(wt, "HEAD"), mainBefore);
    assert.equal(await rev(root, `kitty/mission-${SLUG}`), mainBefore);
    // The claim is committed on main, only the log, with spec-kitty's message.
    assert.equal(r.event_log.status, "committed");
    assert.equal(r.event_log.branch, "main");
    assert.equal(r.event_log.commit, await rev(root, "main"));
    assert.equal(
      (await git(root, "log", "-1", "--format=%s")).trim(),
      "chore: Start WP01 implementation [claude]",
    );
    assert.equal(
      (await git(root, "show", "--name-only", "--format=", "HEAD")).trim(),
      `kitty-specs/${SLUG}/status.events.jsonl`,
    );
    assert.equal((await git(root, "status", "--porcelain")).trim(), "");
    assert.equal(r.event_ids.length, 2);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a dependent lane gets the dependency lane's tip merged in; a lane-planning WP works in the repository root", async () => {
  const root = await repo();
  try {
    await threeLanes(root);
    const a = await implementOp({ mission: SLUG, agent: "claude", wp: "WP01" }, ctxFor(root));
    const wtA = join(root, a.workspace!.path);
    await Deno.mkdir(join(wtA, "src", "a"), { recursive: true });
    await Deno.writeTextFile(join(wtA, "src", "a", "x.ts"), "export const x = 1;\n");
    await git(wtA, "add", "-A");
    await git(wtA, "commit", "-qm", "WP01 work");
    const tipA = await rev(wtA, "HEAD");
    // WP01 approved (as the review would record it), committed on main.
    await approveWp01(root, "01KTWSEVENTAPPROVE00000000", { actor: "reviewer" });
    const c = await implementOp({ mission: SLUG, agent: "codex", wp: "WP03" }, ctxFor(root));
    assert.equal(c.workspace!.path, `.worktrees/${SLUG}-lane-c`);
    assert.equal(c.workspace!.branch, `kitty/mission-${SLUG}-lane-c`);
    assert.equal(c.workspace!.action, "created");
    assert.deepEqual(c.workspace!.merged, [
      { kind: "dependency_lane", ref: `kitty/mission-${SLUG}-lane-a`, lane_id: "lane-a" },
    ]);
    const wtC = join(root, c.workspace!.path);
    await git(wtC, "merge-base", "--is-ancestor", tipA, "HEAD");
    assert.equal(
      await Deno.readTextFile(join(wtC, "src", "a", "x.ts")),
      "export const x = 1;\n",
    );
    // lane-c was cut from the mission branch, which lane-a's tip descends
    // from: the merge fast-forwards (spec-kitty's `git merge --no-edit`).
    assert.equal(await rev(wtC, "HEAD"), tipA);
    // Again: reused, nothing new to merge.
    const again = await implementOp({ mission: SLUG, agent: "codex", wp: "WP03" }, ctxFor(root));
    assert.equal(again.action, "resumed");
    assert.equal(again.workspace!.action, "reused");
    assert.deepEqual(again.workspace!.merged, []);
    assert.equal(again.event_log.status, "none");
    // lane-planning: the repository root, nothing created.
    const before = await branches(root);
    const p = await implementOp({ mission: SLUG, agent: "claude", wp: "WP04" }, ctxFor(root));
    assert.equal(p.workspace!.path, ".");
    assert.equal(p.workspace!.action, "repository_root");
    assert.equal(p.workspace!.branch, "main");
    assert.equal(p.execution_mode, "direct_repo");
    assert.deepEqual(await branches(root), before);
    assert.equal(p.event_log.status, "committed");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("implement refuses a dirty or wrong-branch workspace, or a symlink in its place, and writes nothing", async () => {
  const root = await repo();
  try {
    await threeLanes(root);
    const wt = join(root, ".worktrees", `${SLUG}-lane-b`);
    // A dirty lane worktree (made by hand on the right branch).
    await git(root, "branch", `kitty/mission-${SLUG}-lane-b`, "main");
    await git(root, "worktree", "add", wt, `kitty/mission-${SLUG}-lane-b`);
    await Deno.writeTextFile(join(wt, "stray.txt"), "x\n");
    const logBefore = await logOf(root);
    const headBefore = await rev(root, "main");
    const branchesBefore = await branches(root);
    const dirty = await keelFailure(
      implementOp({ mission: SLUG, agent: "claude", wp: "WP02" }, ctxFor(root)),
    );
    assert.equal(dirty.code, "WORKSPACE_DIRTY");
    assert.equal(dirty.exitCode, 4);
    assert.equal(dirty.data.path, `.worktrees/${SLUG}-lane-b`);
    assert.deepEqual(dirty.data.changes, ["?? stray.txt"]);
    assert.equal(await logOf(root), logBefore);
    assert.equal(await rev(root, "main"), headBefore);
    assert.deepEqual(await branches(root), branchesBefore);
    // On another branch.
    await Deno.remove(join(wt, "stray.txt"));
    await git(wt, "checkout", "-q", "-b", "elsewhere");
    const wrong = await keelFailure(
      implementOp({ mission: SLUG, agent: "claude", wp: "WP02" }, ctxFor(root)),
    );
    assert.equal(wrong.code, "WORKSPACE_WRONG_BRANCH");
    assert.equal(wrong.exitCode, 4);
    assert.equal(wrong.data.expected_branch, `kitty/mission-${SLUG}-lane-b`);
    assert.equal(wrong.data.current_branch, "elsewhere");
    assert.equal(await logOf(root), logBefore);
    assert.equal(await rev(root, "main"), headBefore);
    // Through the CLI: exit 4, the log unchanged.
    const cli = await keelJson(root, ["implement", "--mission", SLUG, "--agent", "claude", "WP02"]);
    assert.equal(cli.code, 4);
    assert.equal(cli.json.error?.code, "WORKSPACE_WRONG_BRANCH");
    assert.equal(await logOf(root), logBefore);
    // A symlink where the worktree should be.
    const outside = await Deno.makeTempDir({ prefix: "workspace-out-" });
    try {
      await Deno.symlink(outside, join(root, ".worktrees", `${SLUG}-lane-a`));
      const link = await keelFailure(
        implementOp({ mission: SLUG, agent: "claude", wp: "WP01" }, ctxFor(root)),
      );
      assert.equal(link.code, "WORKSPACE_NOT_A_WORKTREE");
      assert.equal(link.data.reason, "it is a symbolic link");
      assert.equal(await logOf(root), logBefore);
      assert.deepEqual([...Deno.readDirSync(outside)], []);
    } finally {
      await Deno.remove(outside, { recursive: true });
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a missing lane worktree whose branch survived is re-attached; --no-workspace only claims", async () => {
  const root = await repo();
  try {
    await threeLanes(root);
    const first = await implementOp({ mission: SLUG, agent: "claude", wp: "WP01" }, ctxFor(root));
    await git(root, "worktree", "remove", join(root, first.workspace!.path));
    const again = await implementOp({ mission: SLUG, agent: "claude", wp: "WP01" }, ctxFor(root));
    assert.equal(again.workspace!.action, "recovered");
    assert.equal(
      (await git(join(root, again.workspace!.path), "symbolic-ref", "--short", "HEAD")).trim(),
      `kitty/mission-${SLUG}-lane-a`,
    );
    const before = await branches(root);
    const only = await implementOp(
      { mission: SLUG, agent: "claude", wp: "WP02", workspace: false },
      ctxFor(root),
    );
    assert.equal(only.workspace, null);
    assert.equal(only.event_log.status, "left");
    assert.equal(only.workspace_path, `.worktrees/${SLUG}-lane-b`);
    assert.deepEqual(await branches(root), before);
    await assert.rejects(Deno.lstat(join(root, ".worktrees", `${SLUG}-lane-b`)));
    assert.match(await git(root, "status", "--porcelain"), /status\.events\.jsonl/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("the claim is left uncommitted, and said so, when the main checkout is not on the target branch; no lanes.json refuses", async () => {
  const root = await repo();
  try {
    await threeLanes(root);
    await git(root, "checkout", "-q", "-b", "side");
    const r = await implementOp({ mission: SLUG, agent: "claude", wp: "WP02" }, ctxFor(root));
    assert.equal(r.workspace!.action, "created");
    assert.equal(r.event_log.status, "left");
    assert.equal(
      r.event_log.reason,
      `the main checkout is on side, not on the target branch main: commit kitty-specs/${SLUG}/status.events.jsonl on main yourself`,
    );
    await Deno.remove(join(root, "kitty-specs", SLUG, "lanes.json"));
    const logBefore = await logOf(root);
    const e = await keelFailure(
      implementOp({ mission: SLUG, agent: "claude", wp: "WP01" }, ctxFor(root)),
    );
    assert.equal(e.code, "LANES_JSON_MISSING");
    assert.equal(await logOf(root), logBefore);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a dependency lane that conflicts is undone, the lane left as it was, and the log unchanged", async () => {
  const root = await repo();
  try {
    await threeLanes(root);
    const a = await implementOp({ mission: SLUG, agent: "claude", wp: "WP01" }, ctxFor(root));
    const wtA = join(root, a.workspace!.path);
    await Deno.writeTextFile(join(wtA, "README.md"), "# from lane a\n");
    await git(wtA, "commit", "-qam", "a");
    // lane-c exists already with a conflicting README.
    const c = `kitty/mission-${SLUG}-lane-c`;
    const wtC = join(root, ".worktrees", `${SLUG}-lane-c`);
    await git(root, "worktree", "add", "-q", "-b", c, wtC, `kitty/mission-${SLUG}`);
    await Deno.writeTextFile(join(wtC, "README.md"), "# from lane c\n");
    await git(wtC, "commit", "-qam", "c");
    const headC = await rev(wtC, "HEAD");
    await approveWp01(root, "01KTWSEVENTAPPROVE00000001");
    const logBefore = await logOf(root);
    const e = await keelFailure(
      implementOp({ mission: SLUG, agent: "codex", wp: "WP03" }, ctxFor(root)),
    );
    assert.equal(e.code, "DEPENDENCY_LANE_MERGE_CONFLICT");
    assert.equal(e.data.dep_branch, `kitty/mission-${SLUG}-lane-a`);
    assert.equal(await rev(wtC, "HEAD"), headC);
    assert.equal((await git(wtC, "status", "--porcelain")).trim(), "");
    assert.equal(await logOf(root), logBefore);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("implement --run: no contract → claimed, workspace ready, no run and why; approved → run started in the lane, stamped, with the brief", async () => {
  const root = await repo();
  try {
    await threeLanes(root);
    const none = await implementRunOp({ mission: SLUG, agent: "claude", wp: "WP01" }, ctxFor(root));
    assert.equal(none.action, "claimed");
    assert.equal(none.workspace!.action, "created");
    assert.equal(none.run, null);
    assert.equal(none.brief, null);
    assert.equal(none.contract, "ws-01ktwsaa-wp01");
    assert.equal(none.no_run!.code, "CONTRACT_NOT_FOUND");
    assert.match(none.no_run!.message, /keel approve --mission ws-01KTWSAA --by WHO/);
    // An approved contract for WP02, in the main checkout.
    const name = "ws-01ktwsaa-wp02";
    await initOp({ fromWp: `${SLUG}:WP02` }, ctxFor(root));
    const testsPath = join(root, ".keel", "contracts", name, "test_contract.json");
    const tests = JSON.parse(await Deno.readTextFile(testsPath));
    tests.tests[0].command = "true";
    await Deno.writeTextFile(testsPath, JSON.stringify(tests, null, 2) + "\n");
    await approveOp({ artifact: "all", by: "lead", contract: name }, ctxFor(root));
    const r = await implementRunOp({ mission: SLUG, agent: "claude", wp: "WP02" }, ctxFor(root));
    assert.equal(r.no_run, null);
    assert.ok(r.run !== null);
    assert.equal(r.run.action, "started");
    assert.equal(r.run.contract, name);
    assert.equal(r.run.contract_copied, true);
    assert.equal(r.run.contract_committed, true);
    const wt = join(root, `.worktrees/${SLUG}-lane-b`);
    assert.equal(await Deno.realPath(r.run.worktree), await Deno.realPath(wt));
    assert.equal(
      (await git(wt, "log", "-1", "--format=%s")).trim(),
      `keel: approved contract ${name} for WP02`,
    );
    assert.equal(
      await Deno.readTextFile(join(wt, ".keel", "contracts", name, "intent.json")),
      await Deno.readTextFile(join(root, ".keel", "contracts", name, "intent.json")),
    );
    const report = await loadRunReport(
      { root: wt, keelDir: join(wt, ".keel"), inGit: true },
      r.run.run_id,
    );
    assert.deepEqual(report.meta.mission, {
      slug: SLUG,
      mission_id: MID,
      wp_id: "WP02",
      lane_id: "lane-b",
    });
    assert.equal(report.meta.branch, `kitty/mission-${SLUG}-lane-b`);
    assert.equal(report.meta.base_commit, await rev(wt, "HEAD"));
    assert.equal(r.brief!.contract, name);
    assert.equal(r.brief!.run_id, r.run.run_id);
    assert.match(r.brief!.markdown, /WP02/);
    // Again: the active run is reported, not a second one.
    const again = await implementWithRunOp(
      { mission: SLUG, agent: "claude", wp: "WP02", run: true },
      ctxFor(root),
    );
    assert.ok("run" in again);
    assert.equal(again.run!.action, "active");
    assert.equal(again.run!.run_id, r.run.run_id);
    assert.equal(again.run!.contract_copied, false);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a hostile lanes.json (a lane id that is a path, a branch that is an option) is refused before anything is written", async () => {
  const root = await repo();
  try {
    await threeLanes(root);
    const lanesPath = join(root, "kitty-specs", SLUG, "lanes.json");
    const original = await Deno.readTextFile(lanesPath);
    const logBefore = await logOf(root);
    const branchesBefore = await branches(root);
    const cases: [(m: Record<string, unknown>) => void, RegExp][] = [
      [(m) => {
        (m.lanes as { lane_id: string }[])[0]!.lane_id = "../../../escape";
      }, /lane_id "\.\.\/\.\.\/\.\.\/escape" is not lane-/],
      [(m) => {
        m.mission_branch = "--output=/tmp/workspace-evil";
      }, /mission_branch "--output=\/tmp\/workspace-evil" is not a branch name/],
      [(m) => {
        m.planning_commit_sha = "HEAD; rm -rf /";
      }, /planning_commit_sha .* is not a commit id/],
    ];
    for (const [edit, message] of cases) {
      const m = JSON.parse(original);
      edit(m);
      await Deno.writeTextFile(lanesPath, JSON.stringify(m, null, 2) + "\n");
      const e = await keelFailure(
        implementOp({ mission: SLUG, agent: "claude", wp: "WP01" }, ctxFor(root)),
      );
      assert.equal(e.code, "LANES_JSON_INVALID");
      assert.match(e.message, message);
      assert.equal(await logOf(root), logBefore);
      assert.deepEqual(await branches(root), branchesBefore);
      await assert.rejects(Deno.lstat(join(root, ".worktrees")));
    }
    await assert.rejects(Deno.lstat("/tmp/workspace-evil"));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("implement outside a git repository: REPO_NOT_FOUND and the log unchanged; --no-workspace still claims", async () => {
  const root = await Deno.makeTempDir({ prefix: "workspace-nogit-" });
  try {
    await writeMission(root, { slug: SLUG, missionId: MID, wps: [{ id: "WP01" }] });
    const logBefore = await logOf(root);
    const e = await keelFailure(implementOp({ mission: SLUG, agent: "claude" }, ctxFor(root)));
    assert.equal(e.code, "REPO_NOT_FOUND");
    assert.equal(await logOf(root), logBefore);
    const r = await implementOp({ mission: SLUG, agent: "claude", workspace: false }, ctxFor(root));
    assert.equal(r.wp_id, "WP01");
    assert.notEqual(await logOf(root), logBefore);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
