import assert from "node:assert/strict";
import { join } from "node:path";
import type { OpContext } from "../context.ts";
import { fakeGit, type FakeGitAnswer } from "../../testing/fake_git.ts";
import { keelFailure } from "../../testing/keel_failure.ts";
import { type SynthMission, writeMission, writeReviewCycle } from "../../testing/mission.ts";
import {
  type MergeBlockedResult,
  type MergeDoneResult,
  mergeOp,
  type MergePreviewResult,
} from "./merge_op.ts";
import { testContext } from "../../testing/context.ts";

const SLUG = "merge-unit-01KTESTA";
const MID = "01KTESTAAAAAAAAAAAAAAAAAAA";
const NOW = "2026-06-01T12:00:00.000Z";
const MAIN = "a".repeat(40);
const TIP_A = "1".repeat(40);
const TIP_B = "2".repeat(40);
const MERGED = "9".repeat(40);
const LANE_A = `kitty/mission-${SLUG}-lane-a`;
const LANE_B = `kitty/mission-${SLUG}-lane-b`;

const ctxFor = (cwd: string, env: Record<string, string> = {}): OpContext =>
  testContext(cwd, { at: NOW, stepMs: 0, env, gitBackend: "cli" });

/** A mission (WP01 approved and WP02 done on lane-a, WP03 in progress on lane-b) and a git dir. */
async function mission(extra: Partial<SynthMission> = {}) {
  const root = await Deno.makeTempDir({ prefix: "keel-merge-op-" });
  const gitDir = join(root, ".git");
  await Deno.mkdir(gitDir);
  const dir = await writeMission(root, {
    slug: SLUG,
    missionId: MID,
    wps: [
      { id: "WP01", lane: "approved" },
      { id: "WP02", lane: "done" },
      { id: "WP03", lane: "in_progress", actor: "claude" },
    ],
    lanes: [
      { lane_id: "lane-a", wp_ids: ["WP01", "WP02"] },
      { lane_id: "lane-b", wp_ids: ["WP03"] },
    ],
    ...extra,
  });
  return { root, dir, gitDir };
}

/** The repository as git reports it: where it is, which branch is checked out, which exist. */
function repoGit(
  root: string,
  gitDir: string,
  opts: { current: string; branches: Record<string, string>; more?: Record<string, FakeGitAnswer> },
) {
  const table: Record<string, FakeGitAnswer> = {
    "rev-parse --show-toplevel": { stdout: `${root}\n` },
    "rev-parse --git-dir --git-common-dir": { stdout: `${gitDir}\n${gitDir}\n` },
    "symbolic-ref --quiet --short HEAD": { stdout: `${opts.current}\n` },
    // Every other branch does not exist.
    "rev-parse --verify --quiet refs/heads/ …": { code: 1 },
    // No lane is merged yet.
    "merge-base --is-ancestor …": { code: 1 },
    ...opts.more,
  };
  for (const [name, sha] of Object.entries(opts.branches)) {
    table[`rev-parse --verify --quiet refs/heads/${name}^{commit}`] = { stdout: `${sha}\n` };
  }
  return fakeGit(table);
}

async function snapshotFiles(dir: string): Promise<string[]> {
  return [
    await Deno.readTextFile(join(dir, "meta.json")),
    await Deno.readTextFile(join(dir, "status.events.jsonl")),
  ];
}

Deno.test("mergeOp dry-run: preflight blockers (target not checked out, lane branch missing), nothing written", async () => {
  const { root, dir, gitDir } = await mission();
  try {
    const before = await snapshotFiles(dir);
    const fake = repoGit(root, gitDir, {
      current: "feature",
      branches: { main: MAIN, [LANE_B]: TIP_B },
    });
    const dry = await mergeOp({ mission: SLUG, dryRun: true }, ctxFor(root), { git: fake.git });
    assert.equal(dry.blocked, true);
    const b = dry as MergeBlockedResult;
    assert.equal(b.diagnostic_code, "TARGET_BRANCH_NOT_CHECKED_OUT");
    assert.deepEqual(b.blockers, [
      {
        diagnostic_code: "TARGET_BRANCH_NOT_CHECKED_OUT",
        target_branch: "main",
        current_branch: "feature",
        remediation: [`Check out main in ${root} (git switch main), then merge again.`],
        message: "The target branch main is not checked out (HEAD is feature).",
      },
      {
        diagnostic_code: "LANE_BRANCH_MISSING",
        lane_id: "lane-a",
        branch: LANE_A,
        // spec-kitty's computed name (`<human slug>-<mid8>`) is the same name here.
        candidates: [LANE_A],
        wp_ids: ["WP01", "WP02"],
        remediation: [`Create or fetch the lane branch ${LANE_A}, or recompute lanes.json.`],
        message: `Lane lane-a (WP01, WP02): branch ${LANE_A} does not exist.`,
      },
    ]);
    // The real merge refuses with the same document and writes nothing either.
    const real = await mergeOp({ mission: SLUG }, ctxFor(root), { git: fake.git });
    assert.deepEqual(real, dry);
    assert.deepEqual(await snapshotFiles(dir), before);
    assert.equal(fake.calls.some(([args]) => args.startsWith("merge ")), false);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("mergeOp dry-run: the preview lists lanes in order, the baseline and the events it would record", async () => {
  const { root, dir, gitDir } = await mission();
  try {
    const before = await snapshotFiles(dir);
    const fake = repoGit(root, gitDir, {
      current: "main",
      branches: { main: MAIN, [LANE_A]: TIP_A, [LANE_B]: TIP_B },
    });
    const r = await mergeOp({ mission: SLUG, dryRun: true }, ctxFor(root), { git: fake.git });
    assert.equal(r.blocked, false);
    const p = r as MergePreviewResult;
    assert.equal(p.target_branch, "main");
    assert.equal(p.target_source, "meta.json target_branch");
    assert.deepEqual(p.warnings, []);
    assert.deepEqual(p.lanes.map((l) => [l.lane_id, l.branch, l.wp_ids, l.action]), [
      ["lane-a", LANE_A, ["WP01", "WP02"], "merge"],
      ["lane-b", LANE_B, ["WP03"], "merge"],
    ]);
    assert.deepEqual(p.would_record, {
      meta_path: `kitty-specs/${SLUG}/meta.json`,
      baseline_merge_commit: MAIN,
      events: [{ wp_id: "WP01", lane_id: "lane-a", from_lane: "approved", to_lane: "done" }],
    });
    assert.deepEqual(p.not_approved, [{ wp_id: "WP03", lane: "in_progress" }]);
    assert.deepEqual(await snapshotFiles(dir), before);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("mergeOp: merges a lane, records the baseline in meta.json and approved→done in the log", async () => {
  const { root, dir, gitDir } = await mission({
    wps: [{ id: "WP01", lane: "approved" }, { id: "WP02", lane: "done" }],
    lanes: [{ lane_id: "lane-a", wp_ids: ["WP01", "WP02"] }],
  });
  try {
    let head = MAIN;
    const fake = repoGit(root, gitDir, {
      current: "main",
      branches: { [LANE_A]: TIP_A },
      more: {
        "rev-parse --verify --quiet refs/heads/main^{commit}": () => ({ stdout: `${head}\n` }),
        "rev-parse --verify --quiet HEAD^{commit}": () => ({ stdout: `${head}\n` }),
        "merge --no-ff …": (args) => {
          assert.deepEqual(args.slice(-3), [
            "-m",
            `Merge ${LANE_A} into main (${SLUG} lane-a)`,
            TIP_A,
          ]);
          head = MERGED;
          return {};
        },
        [`rev-parse ${MERGED}^1 ${MERGED}^2`]: { stdout: `${MAIN}\n${TIP_A}\n` },
      },
    });
    const r = await mergeOp({ mission: SLUG }, ctxFor(root, { KEEL_AGENT: "merger" }), {
      git: fake.git,
    });
    assert.equal(r.blocked, false);
    const done = r as MergeDoneResult;
    assert.equal(done.dry_run, false);
    assert.equal(done.head, MERGED);
    assert.equal(done.baseline_merge_commit, MAIN);
    assert.deepEqual(done.lanes.map((l) => [l.lane_id, l.action, l.merge_commit]), [
      ["lane-a", "merge", MERGED],
    ]);
    assert.deepEqual(done.events.map((e) => [e.wp_id, e.lane_id, e.from_lane, e.to_lane]), [
      ["WP01", "lane-a", "approved", "done"],
    ]);
    const meta = JSON.parse(await Deno.readTextFile(join(dir, "meta.json")));
    assert.equal(meta.baseline_merge_commit, MAIN);
    const lines = (await Deno.readTextFile(join(dir, "status.events.jsonl"))).trim().split("\n");
    const last = JSON.parse(lines[lines.length - 1]!);
    assert.deepEqual(
      [last.wp_id, last.from_lane, last.to_lane, last.actor, last.event_id, last.mission_id],
      ["WP01", "approved", "done", "merger", done.events[0]!.event_id, MID],
    );
    assert.deepEqual(last.policy_metadata, { merge_phase: "done", target_branch: "main" });
    // The lock file is left in git's common directory, released.
    assert.equal((await Deno.lstat(join(gitDir, "keel-merge.lock"))).isFile, true);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("mergeOp: the target is --target > merge_target_branch > target_branch > the default branch", async (t) => {
  // A rejected review cycle blocks every variant right after the target is resolved.
  const blocked = async (
    meta: Record<string, unknown>,
    params: { target?: string },
    git: Record<string, FakeGitAnswer> = {},
  ) => {
    const { root, dir } = await mission({ meta });
    try {
      await writeReviewCycle(dir, { wpDir: "WP01-work", number: 1, verdict: "rejected" });
      const r = await mergeOp({ mission: SLUG, dryRun: true, ...params }, ctxFor(root), {
        git: fakeGit(git).git,
      });
      assert.equal(r.blocked, true);
      return r as MergeBlockedResult;
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  };
  const warning = (meta: string | null, target: string, source: string, against: string) => ({
    code: "LANES_TARGET_DISAGREES",
    lanes_json_target: "main",
    meta_json_target: meta,
    target_branch: target,
    target_source: source,
    message: `lanes.json names main as target_branch, but ${against}; ` +
      `merging into ${target} (${source}).`,
  });

  await t.step("meta.json target_branch, agreeing with lanes.json", async () => {
    const r = await blocked({}, {});
    assert.deepEqual([r.target_branch, r.target_source, r.warnings], [
      "main",
      "meta.json target_branch",
      [],
    ]);
  });
  await t.step(
    "merge_target_branch wins over target_branch; lanes.json disagreeing warns",
    async () => {
      const r = await blocked({ merge_target_branch: "release/1.0" }, {});
      assert.deepEqual([r.target_branch, r.target_source, r.warnings], [
        "release/1.0",
        "meta.json merge_target_branch",
        [
          warning(
            "release/1.0",
            "release/1.0",
            "meta.json merge_target_branch",
            "meta.json merge_target_branch release/1.0",
          ),
        ],
      ]);
    },
  );
  await t.step("--target wins over meta.json", async () => {
    const r = await blocked({ merge_target_branch: "release/1.0" }, { target: "hotfix" });
    assert.deepEqual([r.target_branch, r.target_source], ["hotfix", "flag"]);
    assert.deepEqual(r.warnings, [
      warning("release/1.0", "hotfix", "flag", "meta.json merge_target_branch release/1.0"),
    ]);
  });
  await t.step("no target in meta.json: origin's default branch", async () => {
    const r = await blocked({ target_branch: undefined }, {}, {
      "symbolic-ref --quiet refs/remotes/origin/HEAD": { stdout: "refs/remotes/origin/trunk\n" },
    });
    assert.deepEqual([r.target_branch, r.target_source], ["trunk", "default_branch"]);
    assert.deepEqual(r.warnings, [
      warning(null, "trunk", "default_branch", "the default branch trunk"),
    ]);
  });
  await t.step(
    "an invalid --target is USAGE; an invalid meta.json target is MISSION_META_INVALID",
    async () => {
      const { root } = await mission({ meta: { merge_target_branch: "bad..name" } });
      try {
        const git = fakeGit({}).git;
        const flag = await keelFailure(
          mergeOp({ mission: SLUG, dryRun: true, target: "bad..name" }, ctxFor(root), { git }),
        );
        assert.equal(flag.code, "USAGE");
        const meta = await keelFailure(
          mergeOp({ mission: SLUG, dryRun: true }, ctxFor(root), { git }),
        );
        assert.equal(meta.code, "MISSION_META_INVALID");
        assert.equal(meta.data.path, `kitty-specs/${SLUG}/meta.json`);
      } finally {
        await Deno.remove(root, { recursive: true });
      }
    },
  );
});

Deno.test("mergeOp: --git-backend isomorphic is refused up front (merging needs the git CLI)", async () => {
  const { root } = await mission();
  try {
    const ctx: OpContext = { ...ctxFor(root), gitBackend: "isomorphic" };
    const e = await keelFailure(mergeOp({ mission: SLUG, dryRun: true }, ctx));
    assert.equal(e.code, "GIT_BACKEND_UNSUPPORTED");
    assert.deepEqual(e.data, { backend: "isomorphic", operation: "merge" });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
