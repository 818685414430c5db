import assert from "node:assert/strict";
import { git, keel, keelJson, readJson, tempRepo, writeFile } from "./helpers.ts";

/** One WP of a synthetic mission. */
interface WpSpec {
  id: string;
  lane: "planned" | "in_progress" | "for_review" | "approved" | "done";
  reviewResult?: Record<string, unknown>;
}

interface MissionSpec {
  slug: string;
  missionId?: string | null;
  baseline?: string | null;
  wps: WpSpec[];
  lanes: { lane_id: string; wp_ids: string[]; parallel_group?: number }[];
  files?: Record<string, string>;
  lanesJson?: string | null;
  /** meta.json keys set over the defaults (`null` removes a key). */
  meta?: Record<string, unknown>;
  /** lanes.json `target_branch` (default `main`). */
  lanesTarget?: string;
}

const PATH = ["planned", "claimed", "in_progress", "for_review", "in_review", "approved", "done"];

/** Write a spec-kitty mission under `<root>/kitty-specs/<slug>`; returns its folder. */
async function writeMission(root: string, spec: MissionSpec): Promise<string> {
  const dir = `kitty-specs/${spec.slug}`;
  const meta: Record<string, unknown> = {
    created_at: "2026-05-01T00:00:00+00:00",
    friendly_name: `Mission ${spec.slug}`,
    mission_number: null,
    mission_slug: spec.slug,
    mission_type: "software-dev",
    slug: spec.slug,
    status_phase: "1",
    target_branch: "main",
    topology: "lanes",
    "ünïcode_note": "kept as is",
  };
  if (spec.missionId !== null) meta.mission_id = spec.missionId ?? "01KR0000000000000000000000";
  if (spec.baseline !== undefined) meta.baseline_merge_commit = spec.baseline;
  for (const [k, v] of Object.entries(spec.meta ?? {})) {
    if (v === null) delete meta[k];
    else meta[k] = v;
  }
  await writeFile(root, `${dir}/meta.json`, JSON.stringify(meta, null, 2) + "\n");
  const events: string[] = [];
  let n = 0;
  const stamp = () => {
    n++;
    const id = `01KR${String(n).padStart(22, "0")}`;
    const at = `2026-05-01T10:${String(Math.floor(n / 60)).padStart(2, "0")}:${
      String(n % 60).padStart(2, "0")
    }.000000+00:00`;
    return { id, at };
  };
  for (const wp of spec.wps) {
    await writeFile(
      root,
      `${dir}/tasks/${wp.id}-work.md`,
      `---\nwork_package_id: ${wp.id}\ntitle: Work ${wp.id}\ndependencies: []\n---\n\n# ${wp.id}\n`,
    );
    const target = PATH.indexOf(wp.lane);
    const s0 = stamp();
    events.push(JSON.stringify({
      actor: "finalize-tasks",
      at: s0.at,
      event_id: s0.id,
      evidence: null,
      execution_mode: "worktree",
      force: true,
      from_lane: "planned",
      mission_slug: spec.slug,
      reason: "canonical bootstrap",
      review_ref: null,
      review_result: null,
      to_lane: "planned",
      wp_id: wp.id,
    }));
    for (let i = 1; i <= target; i++) {
      const s = stamp();
      const toApproved = PATH[i] === "approved";
      events.push(JSON.stringify({
        actor: "agent",
        at: s.at,
        event_id: s.id,
        evidence: null,
        execution_mode: "worktree",
        force: false,
        from_lane: PATH[i - 1],
        mission_slug: spec.slug,
        reason: null,
        review_ref: null,
        review_result: toApproved && wp.reviewResult ? wp.reviewResult : null,
        to_lane: PATH[i],
        wp_id: wp.id,
      }));
    }
  }
  await writeFile(root, `${dir}/status.events.jsonl`, events.join("\n") + "\n");
  if (spec.lanesJson !== null) {
    await writeFile(
      root,
      `${dir}/lanes.json`,
      spec.lanesJson ?? JSON.stringify(
        {
          version: 1,
          mission_slug: spec.slug,
          mission_id: spec.missionId ?? null,
          mission_branch: `kitty/mission-${spec.slug}`,
          target_branch: spec.lanesTarget ?? "main",
          lanes: spec.lanes.map((l) => ({
            lane_id: l.lane_id,
            wp_ids: l.wp_ids,
            write_scope: [],
            predicted_surfaces: [],
            depends_on_lanes: [],
            parallel_group: l.parallel_group ?? 0,
          })),
          computed_at: "2026-05-01T00:00:00+00:00",
          computed_from: "dependency_graph+ownership",
          planning_artifact_wps: [],
        },
        null,
        2,
      ),
    );
  }
  for (const [path, text] of Object.entries(spec.files ?? {})) {
    await writeFile(root, `${dir}/${path}`, text);
  }
  return `${root}/${dir}`;
}

const REJECTED = "---\ncycle_number: 2\nwp_id: WP02\nverdict: rejected\n---\n\nNot yet.\n";
const APPROVED = "---\ncycle_number: 1\nwp_id: WP01\nverdict: approved\n---\n\nGood.\n";

/** Everything a merge could change: meta.json, the log, refs, HEAD, status. */
async function repoState(repo: string, missionDir: string): Promise<string[]> {
  return [
    await Deno.readTextFile(`${missionDir}/meta.json`),
    await Deno.readTextFile(`${missionDir}/status.events.jsonl`),
    await git(repo, "for-each-ref", "--format=%(refname) %(objectname)"),
    await git(repo, "rev-parse", "HEAD"),
    await git(repo, "status", "--porcelain", "--untracked-files=all"),
  ];
}

/** A repo on main with the mission committed and one commit per lane branch. */
async function repoWithLanes(
  spec: MissionSpec,
  laneFiles: Record<string, Record<string, string>>,
): Promise<{ repo: string; missionDir: string; tip: string }> {
  const repo = await tempRepo();
  const missionDir = await writeMission(repo, spec);
  await git(repo, "add", ".");
  await git(repo, "commit", "-qm", "mission planned");
  for (const [laneId, files] of Object.entries(laneFiles)) {
    const branch = `kitty/mission-${spec.slug}-${laneId}`;
    await git(repo, "switch", "-q", "-c", branch, "main");
    for (const [path, text] of Object.entries(files)) await writeFile(repo, path, text);
    await git(repo, "add", ".");
    await git(repo, "commit", "-qm", `work on ${laneId}`);
  }
  await git(repo, "switch", "-q", "main");
  const tip = (await git(repo, "rev-parse", "HEAD")).trim();
  return { repo, missionDir, tip };
}

const SLUG = "merge-gate-demo-01KR0000";

Deno.test("merge: a rejected latest review cycle blocks dry-run and real merge alike", async (t) => {
  const spec: MissionSpec = {
    slug: SLUG,
    wps: [{ id: "WP01", lane: "approved" }, { id: "WP02", lane: "approved" }],
    lanes: [{ lane_id: "lane-a", wp_ids: ["WP01"] }, { lane_id: "lane-b", wp_ids: ["WP02"] }],
    files: {
      "tasks/WP01-work/review-cycle-1.md": APPROVED,
      "tasks/WP02-work/review-cycle-1.md": APPROVED,
      "tasks/WP02-work/review-cycle-2.md": REJECTED,
    },
  };
  const { repo, missionDir } = await repoWithLanes(spec, {
    "lane-a": { "src/a.ts": "export const a = 1;\n" },
    "lane-b": { "src/b.ts": "export const b = 1;\n" },
  });
  try {
    const expected = {
      mission_slug: SLUG,
      target_branch: "main",
      target_source: "meta.json target_branch",
      warnings: [],
      blocked: true,
      blockers: [{
        diagnostic_code: "REJECTED_REVIEW_ARTIFACT_CONFLICT",
        wp_id: "WP02",
        branch_or_work_package: "WP02",
        lane: "approved",
        latest_review_cycle_path: `kitty-specs/${SLUG}/tasks/WP02-work/review-cycle-2.md`,
        latest_review_cycle_verdict: "rejected",
        review_cycle_number: 2,
        verdict_source: "artifact",
        violated_invariant: "terminal_wp_latest_review_artifact_must_not_be_rejected",
        remediation: [
          "Run another review cycle that writes an approved review-cycle artifact.",
          "Or move the WP out of approved/done before merge.",
        ],
        message: `WP02 is lane 'approved', but latest review artifact kitty-specs/${SLUG}/tasks/` +
          "WP02-work/review-cycle-2.md has verdict 'rejected' (cycle 2).",
      }],
      diagnostic_code: "REJECTED_REVIEW_ARTIFACT_CONFLICT",
    };
    const before = await repoState(repo, missionDir);
    let dryJson: unknown;
    await t.step("dry-run --json exits 1 with the blocker naming WP02 and its file", async () => {
      const r = await keelJson(repo, ["merge", "--mission", SLUG, "--dry-run"]);
      assert.equal(r.code, 1);
      assert.deepEqual(r.json, expected);
      dryJson = r.json;
    });
    await t.step("human dry-run names the WP and file on a labelled line", async () => {
      const r = await keel(repo, ["merge", "--mission", SLUG, "--dry-run"]);
      assert.equal(r.code, 1);
      const line = r.stdout.split("\n").find((l) =>
        l.trim().startsWith("REJECTED_REVIEW_ARTIFACT_CONFLICT:")
      );
      assert.ok(line, r.stdout);
      assert.match(line, /WP02/);
      assert.ok(line.includes(`kitty-specs/${SLUG}/tasks/WP02-work/review-cycle-2.md`), line);
      assert.doesNotMatch(r.stdout, /WP01 is lane/);
    });
    await t.step("the real merge refuses with the identical JSON and writes nothing", async () => {
      const r = await keelJson(repo, ["merge", "--mission", SLUG]);
      assert.equal(r.code, 1);
      assert.deepEqual(r.json, dryJson);
      assert.deepEqual(await repoState(repo, missionDir), before);
      const human = await keel(repo, ["merge", "--mission", SLUG]);
      assert.equal(human.code, 1);
      assert.match(human.stdout, /^ {2}REJECTED_REVIEW_ARTIFACT_CONFLICT: WP02 /m);
      assert.deepEqual(await repoState(repo, missionDir), before);
    });
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("merge: all cycles approved previews, then merges two lanes and records", async (t) => {
  const spec: MissionSpec = {
    slug: SLUG,
    wps: [
      { id: "WP01", lane: "approved" },
      {
        id: "WP02",
        lane: "approved",
        reviewResult: { reviewer: "r", verdict: "approved", reference: "x" },
      },
      { id: "WP03", lane: "done" },
    ],
    lanes: [
      { lane_id: "lane-b", wp_ids: ["WP02", "WP03"], parallel_group: 1 },
      { lane_id: "lane-a", wp_ids: ["WP01"], parallel_group: 0 },
    ],
    files: {
      "tasks/WP01-work/review-cycle-1.md": REJECTED,
      "tasks/WP01-work/review-cycle-2.md": APPROVED,
      "tasks/WP02-work/review-cycle-1.md": REJECTED,
    },
  };
  const { repo, missionDir, tip } = await repoWithLanes(spec, {
    "lane-a": { "src/a.ts": "export const a = 1;\n" },
    "lane-b": { "src/b.ts": "export const b = 1;\n" },
  });
  const laneA = `kitty/mission-${SLUG}-lane-a`;
  const laneB = `kitty/mission-${SLUG}-lane-b`;
  try {
    await t.step(
      "dry-run: lanes in merge order, branches, target, what would be recorded",
      async () => {
        const before = await repoState(repo, missionDir);
        const r = await keelJson(repo, ["merge", "--mission", SLUG, "--dry-run"]);
        assert.equal(r.code, 0, JSON.stringify(r.json));
        const j = r.json as Record<string, unknown>;
        assert.equal(j.blocked, false);
        assert.equal(j.dry_run, true);
        assert.equal(j.target_branch, "main");
        assert.deepEqual(
          (j.lanes as { lane_id: string; branch: string; action: string }[]).map((l) => [
            l.lane_id,
            l.branch,
            l.action,
          ]),
          [["lane-a", laneA, "merge"], ["lane-b", laneB, "merge"]],
        );
        assert.deepEqual(j.would_record, {
          meta_path: `kitty-specs/${SLUG}/meta.json`,
          baseline_merge_commit: tip,
          events: [
            { wp_id: "WP01", lane_id: "lane-a", from_lane: "approved", to_lane: "done" },
            { wp_id: "WP02", lane_id: "lane-b", from_lane: "approved", to_lane: "done" },
          ],
        });
        assert.deepEqual(await repoState(repo, missionDir), before);
        const human = await keel(repo, ["merge", "--mission", SLUG, "--dry-run"]);
        assert.equal(human.code, 0);
        assert.match(human.stdout, new RegExp(`1\\. lane-a {2}${laneA} {2}\\[WP01\\]`));
      },
    );
    await t.step("real merge: both lanes land, baseline and done events are recorded", async () => {
      const r = await keelJson(repo, ["merge", "--mission", SLUG]);
      assert.equal(r.code, 0, JSON.stringify(r.json));
      const j = r.json as Record<string, unknown>;
      assert.equal(j.baseline_merge_commit, tip);
      for (const b of [laneA, laneB]) await git(repo, "merge-base", "--is-ancestor", b, "main");
      assert.equal(j.head, (await git(repo, "rev-parse", "main")).trim());
      const parents = (await git(repo, "log", "--first-parent", "--format=%s", `${tip}..main`))
        .trim().split("\n");
      assert.deepEqual(parents, [
        `Merge ${laneB} into main (${SLUG} lane-b)`,
        `Merge ${laneA} into main (${SLUG} lane-a)`,
      ]);
      const metaText = await Deno.readTextFile(`${missionDir}/meta.json`);
      const meta = JSON.parse(metaText);
      assert.equal(meta.baseline_merge_commit, tip);
      assert.equal(
        metaText,
        JSON.stringify(Object.fromEntries(Object.entries(meta).sort()), null, 2) + "\n",
      );
      assert.ok(metaText.includes('"ünïcode_note": "kept as is"'));
      const lines = (await Deno.readTextFile(`${missionDir}/status.events.jsonl`)).trim().split(
        "\n",
      );
      const added = lines.slice(-2).map((l) => JSON.parse(l));
      assert.deepEqual(added.map((e) => [e.wp_id, e.from_lane, e.to_lane, e.force]), [
        ["WP01", "approved", "done", false],
        ["WP02", "approved", "done", false],
      ]);
      assert.deepEqual(
        (j.events as { wp_id: string; event_id: string }[]).map((e) => [e.wp_id, e.event_id]),
        added.map((e) => [e.wp_id, e.event_id]),
      );
      // Written under the per-mission lock that `keel implement` takes.
      assert.ok((await Deno.stat(`${repo}/.keel/locks/mission-${SLUG}.lock`)).isFile);
      for (const e of added) {
        assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
        assert.match(e.event_id, /^[0-9A-HJKMNP-TV-Z]{26}$/);
        assert.equal(e.mission_slug, SLUG);
        assert.equal(e.mission_id, "01KR0000000000000000000000");
      }
    });
    await t.step("a re-run merges nothing and appends nothing", async () => {
      const events = await Deno.readTextFile(`${missionDir}/status.events.jsonl`);
      const head = (await git(repo, "rev-parse", "main")).trim();
      const r = await keelJson(repo, ["merge", "--mission", SLUG]);
      assert.equal(r.code, 0);
      const j = r.json as { lanes: { action: string }[]; events: unknown[] };
      assert.deepEqual(j.lanes.map((l) => l.action), ["already_merged", "already_merged"]);
      assert.deepEqual(j.events, []);
      assert.equal(await Deno.readTextFile(`${missionDir}/status.events.jsonl`), events);
      assert.equal((await git(repo, "rev-parse", "main")).trim(), head);
      assert.equal((await readJson(`${missionDir}/meta.json`)).baseline_merge_commit, tip);
    });
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("merge: a conflicting lane aborts cleanly and a re-run after the fix resumes", async () => {
  const spec: MissionSpec = {
    slug: SLUG,
    wps: [{ id: "WP01", lane: "approved" }, { id: "WP02", lane: "approved" }],
    lanes: [{ lane_id: "lane-a", wp_ids: ["WP01"] }, { lane_id: "lane-b", wp_ids: ["WP02"] }],
  };
  const { repo, missionDir, tip } = await repoWithLanes(spec, {
    "lane-a": { "src/shared.ts": "export const value = 'a';\n" },
    "lane-b": {
      "src/shared.ts": "export const value = 'b';\n",
      "src/b.ts": "export const b = 1;\n",
    },
  });
  const laneB = `kitty/mission-${SLUG}-lane-b`;
  try {
    const r = await keelJson(repo, ["merge", "--mission", SLUG]);
    assert.equal(r.code, 1);
    const err = r.json.error as unknown as { code: string; data: Record<string, unknown> };
    assert.equal(err.code, "MERGE_CONFLICT");
    assert.equal(err.data.lane_id, "lane-b");
    assert.equal(err.data.branch, laneB);
    assert.deepEqual(err.data.files, ["src/shared.ts"]);
    assert.deepEqual(err.data.merged_lanes, ["lane-a"]);
    // As before the failing step: lane-a merged, no merge in progress, tree clean outside kitty-specs.
    const afterA = (await git(repo, "rev-parse", "HEAD")).trim();
    assert.equal((await git(repo, "rev-parse", "HEAD^1")).trim(), tip);
    await assert.rejects(git(repo, "rev-parse", "--verify", "-q", "MERGE_HEAD"));
    assert.equal(await Deno.readTextFile(`${repo}/src/shared.ts`), "export const value = 'a';\n");
    const status = (await git(repo, "status", "--porcelain")).trimEnd().split("\n")
      .filter((l) => !l.includes(".keel/")).sort();
    assert.deepEqual(status, [
      ` M kitty-specs/${SLUG}/meta.json`,
      ` M kitty-specs/${SLUG}/status.events.jsonl`,
    ]);
    assert.equal((await readJson(`${missionDir}/meta.json`)).baseline_merge_commit, tip);
    const log1 = (await Deno.readTextFile(`${missionDir}/status.events.jsonl`)).trim().split("\n");
    assert.deepEqual(JSON.parse(log1[log1.length - 1]!).wp_id, "WP01");

    // Fix: bring main into lane-b and resolve in lane-b's favour.
    await git(repo, "stash", "-q");
    await git(repo, "switch", "-q", laneB);
    await git(repo, "merge", "-q", "-X", "ours", "main", "-m", "resolve");
    await git(repo, "switch", "-q", "main");
    await git(repo, "stash", "pop", "-q");

    const again = await keelJson(repo, ["merge", "--mission", SLUG]);
    assert.equal(again.code, 0, JSON.stringify(again.json));
    const j = again.json as {
      lanes: { lane_id: string; action: string }[];
      events: { wp_id: string }[];
      baseline_merge_commit: string;
    };
    assert.deepEqual(j.lanes.map((l) => [l.lane_id, l.action]), [
      ["lane-a", "already_merged"],
      ["lane-b", "merge"],
    ]);
    assert.deepEqual(j.events.map((e) => e.wp_id), ["WP02"]);
    assert.equal(j.baseline_merge_commit, tip);
    assert.equal((await git(repo, "rev-parse", "HEAD^1")).trim(), afterA);
    assert.equal(await Deno.readTextFile(`${repo}/src/shared.ts`), "export const value = 'b';\n");
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("merge: lanes.json missing or invalid exits 3", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "keel-lanes-" });
  try {
    await t.step("missing → LANES_JSON_MISSING", async () => {
      await writeMission(root, {
        slug: "no-lanes-01KR0001",
        wps: [{ id: "WP01", lane: "approved" }],
        lanes: [],
        lanesJson: null,
      });
      for (const extra of [["--dry-run"], []]) {
        const r = await keelJson(root, ["merge", "--mission", "no-lanes-01KR0001", ...extra]);
        assert.equal(r.code, 3);
        assert.equal(r.json.error?.code, "LANES_JSON_MISSING");
      }
    });
    await t.step("legacy feature_slug or corrupt → LANES_JSON_INVALID", async () => {
      const legacy = JSON.stringify({
        version: 1,
        feature_slug: "legacy-lanes-01KR0002",
        mission_branch: "kitty/mission-legacy-lanes-01KR0002",
        target_branch: "main",
        lanes: [],
        computed_at: "x",
        computed_from: "y",
      });
      await writeMission(root, {
        slug: "legacy-lanes-01KR0002",
        wps: [{ id: "WP01", lane: "approved" }],
        lanes: [],
        lanesJson: legacy,
      });
      await writeMission(root, {
        slug: "corrupt-lanes-01KR0003",
        wps: [{ id: "WP01", lane: "approved" }],
        lanes: [],
        lanesJson: "{ not json",
      });
      for (const slug of ["legacy-lanes-01KR0002", "corrupt-lanes-01KR0003"]) {
        const r = await keelJson(root, ["merge", "--mission", slug, "--dry-run"]);
        assert.equal(r.code, 3, slug);
        assert.equal(r.json.error?.code, "LANES_JSON_INVALID", slug);
      }
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("merge: preflight blockers are the same in dry-run and real merge", async () => {
  const spec: MissionSpec = {
    slug: SLUG,
    wps: [{ id: "WP01", lane: "approved" }],
    lanes: [{ lane_id: "lane-a", wp_ids: ["WP01"] }, { lane_id: "lane-z", wp_ids: [] }],
  };
  const { repo, missionDir } = await repoWithLanes(spec, { "lane-a": { "a.txt": "a\n" } });
  try {
    await git(repo, "switch", "-q", "-c", "elsewhere");
    const before = await repoState(repo, missionDir);
    const dry = await keelJson(repo, ["merge", "--mission", SLUG, "--dry-run"]);
    const real = await keelJson(repo, ["merge", "--mission", SLUG]);
    assert.equal(dry.code, 1);
    assert.equal(real.code, 1);
    assert.deepEqual(real.json, dry.json);
    const blockers = dry.json.blockers as { diagnostic_code: string }[];
    assert.deepEqual(blockers.map((b) => b.diagnostic_code), [
      "TARGET_BRANCH_NOT_CHECKED_OUT",
      "LANE_BRANCH_MISSING",
    ]);
    assert.equal(dry.json.diagnostic_code, "TARGET_BRANCH_NOT_CHECKED_OUT");
    assert.deepEqual(await repoState(repo, missionDir), before);
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

const MODERN = "review-demo-01KR0000";

/** A repo with a modern mission whose WPs are all done. */
async function reviewRepo(
  spec: Partial<MissionSpec> = {},
): Promise<{ repo: string; missionDir: string; tip: string }> {
  const repo = await tempRepo();
  const missionDir = await writeMission(repo, {
    slug: MODERN,
    wps: [{ id: "WP01", lane: "done" }, { id: "WP02", lane: "done" }],
    lanes: [{ lane_id: "lane-a", wp_ids: ["WP01", "WP02"] }],
    ...spec,
  });
  await git(repo, "add", ".");
  await git(repo, "commit", "-qm", "mission");
  return { repo, missionDir, tip: (await git(repo, "rev-parse", "HEAD")).trim() };
}

Deno.test("review: a modern mission without a baseline fails lightweight review", async (t) => {
  for (const baseline of [undefined, null, ""]) {
    await t.step(`baseline_merge_commit ${JSON.stringify(baseline) ?? "absent"}`, async () => {
      const { repo, missionDir } = await reviewRepo(
        baseline === undefined ? {} : { baseline },
      );
      try {
        const r = await keelJson(repo, ["review", "--mission", MODERN, "--mode", "lightweight"]);
        assert.equal(r.code, 1);
        const j = r.json as Record<string, unknown>;
        assert.equal(j.verdict, "fail");
        assert.equal(j.mode, "lightweight");
        assert.equal(j.mode_source, "explicit");
        const diag = (j.diagnostics as Record<string, unknown>[]).find((d) =>
          d.code === "LIGHTWEIGHT_REVIEW_MISSING_BASELINE"
        );
        assert.deepEqual(Object.keys(diag ?? {}).sort(), [
          "code",
          "mission_id",
          "mission_slug",
          "remediation",
        ]);
        assert.equal(diag?.mission_id, "01KR0000000000000000000000");
        assert.equal(diag?.mission_slug, MODERN);
        assert.match(String(diag?.remediation), /baseline_merge_commit/);
        const gates = j.gates as { id: string; result: string }[];
        assert.deepEqual(gates.map((g) => [g.id, g.result]), [["gate_1", "pass"], [
          "gate_2",
          "fail",
        ]]);
        assert.equal(j.report_path, `kitty-specs/${MODERN}/mission-review-report.md`);
        const report = await Deno.readTextFile(`${missionDir}/mission-review-report.md`);
        assert.match(report, /^---\nverdict: fail\nmode: lightweight\n/);
        assert.match(
          report,
          /- \*\*dead_code_baseline_missing\*\* `LIGHTWEIGHT_REVIEW_MISSING_BASELINE`/,
        );
        // Auto mode without a baseline is lightweight too.
        const auto = await keelJson(repo, ["review", "--mission", MODERN]);
        assert.equal(auto.code, 1);
        assert.equal(auto.json.mode, "lightweight");
        assert.equal(auto.json.mode_source, "auto-detected");
        const human = await keel(repo, ["review", "--mission", MODERN]);
        assert.equal(human.code, 1);
        assert.match(human.stdout, /LIGHTWEIGHT_REVIEW_MISSING_BASELINE/);
        assert.match(human.stdout, /^Verdict: fail/m);
      } finally {
        await Deno.remove(repo, { recursive: true });
      }
    });
  }
});

Deno.test("review: a legacy mission passes, tagged LEGACY_MISSION_DEAD_CODE_SKIP", async () => {
  const { repo, missionDir } = await reviewRepo({ missionId: null });
  try {
    const r = await keelJson(repo, ["review", "--mission", MODERN, "--mode", "lightweight"]);
    assert.equal(r.code, 0, JSON.stringify(r.json));
    const j = r.json as Record<string, unknown>;
    assert.equal(j.verdict, "pass_with_notes");
    assert.deepEqual(j.verdict_tags, ["LEGACY_MISSION_DEAD_CODE_SKIP"]);
    assert.equal(j.mission_id, null);
    const gate2 = (j.gates as { id: string; result: string; summary: string }[])[1];
    assert.equal(gate2?.result, "skipped");
    assert.match(gate2?.summary ?? "", /LEGACY_MISSION_DEAD_CODE_SKIP/);
    assert.deepEqual(
      (j.findings as { code: string; hard: boolean }[]).map((f) => [f.code, f.hard]),
      [
        ["LEGACY_MISSION_DEAD_CODE_SKIP", false],
      ],
    );
    const report = await Deno.readTextFile(`${missionDir}/mission-review-report.md`);
    assert.match(report, /verdict_tags:\n {2}- LEGACY_MISSION_DEAD_CODE_SKIP\n/);
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("review: with a baseline the scan names a newly added unused export", async () => {
  const { repo, missionDir, tip } = await reviewRepo();
  try {
    await writeFile(repo, "src/app.ts", 'import { wired } from "./feature.ts";\nwired();\n');
    await writeFile(
      repo,
      "src/feature.ts",
      "export function wired() {}\nexport function orphanFeature() {}\n",
    );
    await git(repo, "add", "src");
    await git(repo, "commit", "-qm", "feature");
    const metaPath = `${missionDir}/meta.json`;
    const meta = await readJson(metaPath);
    meta.baseline_merge_commit = tip;
    await Deno.writeTextFile(metaPath, JSON.stringify(meta, null, 2) + "\n");

    const r = await keelJson(repo, ["review", "--mission", MODERN]);
    assert.equal(r.code, 0, JSON.stringify(r.json));
    const j = r.json as Record<string, unknown>;
    assert.equal(j.mode, "post-merge");
    assert.equal(j.mode_source, "auto-detected");
    assert.equal(j.verdict, "pass_with_notes");
    const dead = (j.findings as { type: string; code: string; evidence: Record<string, unknown> }[])
      .filter((f) => f.type === "dead_code");
    assert.deepEqual(dead.map((f) => [f.code, f.evidence.symbol, f.evidence.file]), [
      ["DEAD_CODE_UNREFERENCED_SYMBOL", "orphanFeature", "src/feature.ts"],
    ]);
    assert.equal((j.dead_code_scan as Record<string, unknown>).baseline, tip);
    const report = await Deno.readTextFile(`${missionDir}/mission-review-report.md`);
    assert.match(report, /^verdict: pass_with_notes$/m);
    assert.match(report, /orphanFeature in src\/feature\.ts/);

    // An unknown baseline: the scan cannot run → fail, never a silent pass.
    meta.baseline_merge_commit = "0000000000000000000000000000000000000bad";
    await Deno.writeTextFile(metaPath, JSON.stringify(meta, null, 2) + "\n");
    const bad = await keelJson(repo, ["review", "--mission", MODERN, "--mode", "lightweight"]);
    assert.equal(bad.code, 1);
    assert.equal(bad.json.verdict, "fail");
    const diag = (bad.json.diagnostics as Record<string, unknown>[])[0];
    assert.equal(diag?.code, "MISSION_REVIEW_DEAD_CODE_UNDETERMINABLE");
    assert.match(String(diag?.reason), /is not a commit in this repository/);
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("review: --mode post-merge without a baseline is MISSION_REVIEW_MODE_MISMATCH", async () => {
  const { repo, missionDir } = await reviewRepo();
  try {
    const r = await keelJson(repo, ["review", "--mission", MODERN, "--mode", "post-merge"]);
    assert.equal(r.code, 1);
    assert.equal(r.json.error?.code, "MISSION_REVIEW_MODE_MISMATCH");
    await assert.rejects(Deno.stat(`${missionDir}/mission-review-report.md`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("review: gate 1 fails on a WP not done and on a rejected review artifact", async () => {
  const { repo } = await reviewRepo({
    missionId: null,
    wps: [{ id: "WP01", lane: "approved" }, { id: "WP02", lane: "done" }],
    files: { "tasks/WP02-work/review-cycle-3.md": REJECTED },
  });
  try {
    const r = await keelJson(repo, ["review", "--mission", MODERN]);
    assert.equal(r.code, 1);
    const j = r.json as Record<string, unknown>;
    assert.equal(j.verdict, "fail");
    const f = j.findings as { type: string; code: string; evidence: Record<string, unknown> }[];
    assert.deepEqual(f.map((x) => [x.type, x.code, x.evidence.wp_id ?? null]), [
      ["wp_not_done", "WP_NOT_DONE", "WP01"],
      ["rejected_review_artifact", "REJECTED_REVIEW_ARTIFACT_CONFLICT", "WP02"],
      ["dead_code_scan_skipped", "LEGACY_MISSION_DEAD_CODE_SKIP", null],
    ]);
    assert.equal(
      f[1]?.evidence.latest_review_cycle_path,
      `kitty-specs/${MODERN}/tasks/WP02-work/review-cycle-3.md`,
    );
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("merge: a frontmatter-less latest cycle blocks unless the event log holds the verdict", async () => {
  const spec: MissionSpec = {
    slug: SLUG,
    wps: [
      {
        id: "WP01",
        lane: "approved",
        reviewResult: { reviewer: "r", verdict: "approved", reference: "x" },
      },
      { id: "WP02", lane: "done" },
    ],
    lanes: [{ lane_id: "lane-a", wp_ids: ["WP01", "WP02"] }],
    files: {
      "tasks/WP01-work/review-cycle-1.md": "# Review\n\nVerdict: changes requested\n",
      "tasks/WP02-work/review-cycle-1.md": APPROVED,
      "tasks/WP02-work/review-cycle-2.md": "# Review 2\n\nno frontmatter here\n",
    },
  };
  const { repo, missionDir } = await repoWithLanes(spec, { "lane-a": { "a.txt": "a\n" } });
  try {
    const before = await repoState(repo, missionDir);
    const dry = await keelJson(repo, ["merge", "--mission", SLUG, "--dry-run"]);
    const real = await keelJson(repo, ["merge", "--mission", SLUG]);
    assert.equal(dry.code, 1);
    assert.deepEqual(real.json, dry.json);
    assert.equal(dry.json.diagnostic_code, "REVIEW_ARTIFACT_SCHEMA_INVALID");
    assert.deepEqual(
      (dry.json.blockers as Record<string, unknown>[]).map((b) => [
        b.diagnostic_code,
        b.wp_id,
        b.latest_review_cycle_path,
        b.review_cycle_number,
        b.schema_error,
      ]),
      [[
        "REVIEW_ARTIFACT_SCHEMA_INVALID",
        "WP02",
        `kitty-specs/${SLUG}/tasks/WP02-work/review-cycle-2.md`,
        2,
        "no frontmatter: the file does not start with a '---' line",
      ]],
    );
    assert.deepEqual(await repoState(repo, missionDir), before);
    const human = await keel(repo, ["merge", "--mission", SLUG, "--dry-run"]);
    assert.match(human.stdout, /^ {2}REVIEW_ARTIFACT_SCHEMA_INVALID: WP02 .*review-cycle-2\.md/m);
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("merge: a conflict on the first lane leaves everything as it was", async () => {
  const spec: MissionSpec = {
    slug: SLUG,
    wps: [{ id: "WP01", lane: "approved" }],
    lanes: [{ lane_id: "lane-a", wp_ids: ["WP01"] }],
  };
  const { repo, missionDir } = await repoWithLanes(spec, {
    "lane-a": { "README.md": "# changed on the lane\n" },
  });
  try {
    await writeFile(repo, "README.md", "# changed on main\n");
    await git(repo, "commit", "-qam", "main moves on");
    const before = await repoState(repo, missionDir);
    const r = await keelJson(repo, ["merge", "--mission", SLUG]);
    assert.equal(r.code, 1);
    const err = r.json.error as unknown as { code: string; data: Record<string, unknown> };
    assert.equal(err.code, "MERGE_CONFLICT");
    assert.deepEqual([err.data.lane_id, err.data.files, err.data.merged_lanes], [
      "lane-a",
      ["README.md"],
      [],
    ]);
    assert.deepEqual(await repoState(repo, missionDir), before);
    const human = await keel(repo, ["merge", "--mission", SLUG]);
    assert.equal(human.code, 1);
    assert.match(human.stderr, /error\[MERGE_CONFLICT\]: Lane lane-a .* README\.md/);
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("merge: lane-planning lives on the target branch and its WPs are recorded done", async () => {
  const spec: MissionSpec = {
    slug: SLUG,
    wps: [{ id: "WP01", lane: "approved" }, { id: "WP02", lane: "approved" }],
    lanes: [
      { lane_id: "lane-planning", wp_ids: ["WP01"], parallel_group: 0 },
      { lane_id: "lane-a", wp_ids: ["WP02"], parallel_group: 1 },
    ],
  };
  const { repo, missionDir } = await repoWithLanes(spec, { "lane-a": { "a.txt": "a\n" } });
  try {
    const dry = await keelJson(repo, ["merge", "--mission", SLUG, "--dry-run"]);
    assert.equal(dry.code, 0, JSON.stringify(dry.json));
    assert.deepEqual(
      (dry.json.lanes as { lane_id: string; branch: string; action: string }[]).map((l) => [
        l.lane_id,
        l.branch,
        l.action,
      ]),
      [["lane-planning", "main", "on_target"], ["lane-a", `kitty/mission-${SLUG}-lane-a`, "merge"]],
    );
    const r = await keelJson(repo, ["merge", "--mission", SLUG]);
    assert.equal(r.code, 0, JSON.stringify(r.json));
    const lines = (await Deno.readTextFile(`${missionDir}/status.events.jsonl`)).trim().split("\n");
    const added = lines.slice(-2).map((l) => JSON.parse(l));
    assert.deepEqual(added.map((e) => [e.wp_id, e.to_lane, e.execution_mode]), [
      ["WP01", "done", "direct_repo"],
      ["WP02", "done", "worktree"],
    ]);
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

// ---------------------------------------------------------------------------
// The merge target (spec-kitty's order) and concurrent / interrupted merges.
// ---------------------------------------------------------------------------

const TWO_LANES: MissionSpec = {
  slug: SLUG,
  wps: [{ id: "WP01", lane: "approved" }, { id: "WP02", lane: "approved" }],
  lanes: [{ lane_id: "lane-a", wp_ids: ["WP01"] }, { lane_id: "lane-b", wp_ids: ["WP02"] }],
};
const TWO_LANE_FILES = {
  "lane-a": { "src/a.ts": "export const a = 1;\n" },
  "lane-b": { "src/b.ts": "export const b = 1;\n" },
};
const laneBranch = (laneId: string) => `kitty/mission-${SLUG}-${laneId}`;

async function isAncestor(repo: string, a: string, b: string): Promise<boolean> {
  try {
    await git(repo, "merge-base", "--is-ancestor", a, b);
    return true;
  } catch {
    return false;
  }
}

/** Run git where failure is expected (a conflicting merge, cherry-pick, rebase). */
async function gitMayFail(repo: string, ...args: string[]): Promise<void> {
  await git(repo, ...args).catch(() => {});
}

Deno.test("merge target: lanes.json naming a lane branch does not decide it; meta.json does, with a warning", async () => {
  const lanesTarget = laneBranch("lane-a");
  const { repo, tip } = await repoWithLanes({ ...TWO_LANES, lanesTarget }, TWO_LANE_FILES);
  try {
    const laneATip = (await git(repo, "rev-parse", lanesTarget)).trim();
    const warning = {
      code: "LANES_TARGET_DISAGREES",
      lanes_json_target: lanesTarget,
      meta_json_target: "main",
      target_branch: "main",
      target_source: "meta.json target_branch",
      message: `lanes.json names ${lanesTarget} as target_branch, but meta.json target_branch ` +
        "main; merging into main (meta.json target_branch).",
    };
    const dry = await keelJson(repo, ["merge", "--mission", SLUG, "--dry-run"]);
    assert.equal(dry.code, 0, JSON.stringify(dry.json));
    assert.equal(dry.json.target_branch, "main");
    assert.equal(dry.json.target_source, "meta.json target_branch");
    assert.deepEqual(dry.json.warnings, [warning]);
    assert.deepEqual(
      (dry.json.lanes as { lane_id: string; action: string }[]).map((l) => [l.lane_id, l.action]),
      [["lane-a", "merge"], ["lane-b", "merge"]],
    );
    const human = await keel(repo, ["merge", "--mission", SLUG, "--dry-run"]);
    assert.equal(human.code, 0);
    assert.match(human.stdout, /^warning\[LANES_TARGET_DISAGREES\]: lanes\.json names kitty\//m);

    const r = await keelJson(repo, ["merge", "--mission", SLUG]);
    assert.equal(r.code, 0, JSON.stringify(r.json));
    assert.equal(r.json.target_branch, "main");
    assert.deepEqual(r.json.warnings, [warning]);
    assert.equal(r.json.baseline_merge_commit, tip);
    assert.ok(await isAncestor(repo, laneBranch("lane-a"), "main"));
    assert.ok(await isAncestor(repo, laneBranch("lane-b"), "main"));
    // The lane branch named in lanes.json was not merged into.
    assert.equal((await git(repo, "rev-parse", lanesTarget)).trim(), laneATip);
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("merge target: meta.json pr/… wins over lanes.json main (blocked until it is checked out)", async () => {
  const spec: MissionSpec = { ...TWO_LANES, meta: { target_branch: "pr/feature-x" } };
  const { repo, missionDir, tip } = await repoWithLanes(spec, TWO_LANE_FILES);
  try {
    await git(repo, "branch", "pr/feature-x", "main");
    const warnings = [{
      code: "LANES_TARGET_DISAGREES",
      lanes_json_target: "main",
      meta_json_target: "pr/feature-x",
      target_branch: "pr/feature-x",
      target_source: "meta.json target_branch",
      message: "lanes.json names main as target_branch, but meta.json target_branch " +
        "pr/feature-x; merging into pr/feature-x (meta.json target_branch).",
    }];
    const before = await repoState(repo, missionDir);
    const dry = await keelJson(repo, ["merge", "--mission", SLUG, "--dry-run"]);
    assert.equal(dry.code, 1, JSON.stringify(dry.json));
    assert.equal(dry.json.diagnostic_code, "TARGET_BRANCH_NOT_CHECKED_OUT");
    assert.equal(dry.json.target_branch, "pr/feature-x");
    assert.deepEqual(dry.json.warnings, warnings);
    const blocker = (dry.json.blockers as Record<string, unknown>[])[0]!;
    assert.deepEqual([blocker.target_branch, blocker.current_branch], ["pr/feature-x", "main"]);
    const real = await keelJson(repo, ["merge", "--mission", SLUG]);
    assert.equal(real.code, 1);
    assert.deepEqual(real.json, dry.json);
    assert.deepEqual(await repoState(repo, missionDir), before);

    await git(repo, "switch", "-q", "pr/feature-x");
    const r = await keelJson(repo, ["merge", "--mission", SLUG]);
    assert.equal(r.code, 0, JSON.stringify(r.json));
    assert.equal(r.json.target_branch, "pr/feature-x");
    assert.deepEqual(r.json.warnings, warnings);
    assert.ok(await isAncestor(repo, laneBranch("lane-b"), "pr/feature-x"));
    assert.equal((await git(repo, "rev-parse", "main")).trim(), tip, "main is untouched");
    const added = (await Deno.readTextFile(`${missionDir}/status.events.jsonl`)).trim().split("\n")
      .slice(-2).map((l) => JSON.parse(l));
    assert.deepEqual(
      added.map((e) => [e.wp_id, e.to_lane, e.policy_metadata.target_branch, e.reason]),
      [
        ["WP01", "done", "pr/feature-x", `merged ${laneBranch("lane-a")} into pr/feature-x`],
        ["WP02", "done", "pr/feature-x", `merged ${laneBranch("lane-b")} into pr/feature-x`],
      ],
    );
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("merge target: --target > merge_target_branch > target_branch > default branch", async (t) => {
  const spec: MissionSpec = {
    ...TWO_LANES,
    meta: { target_branch: "main", merge_target_branch: "release" },
    lanesTarget: "release",
  };
  const { repo, missionDir } = await repoWithLanes(spec, TWO_LANE_FILES);
  try {
    await git(repo, "branch", "release", "main");
    await t.step("merge_target_branch beats target_branch", async () => {
      const dry = await keelJson(repo, ["merge", "--mission", SLUG, "--dry-run"]);
      assert.equal(dry.code, 1);
      assert.deepEqual(
        [dry.json.target_branch, dry.json.target_source, dry.json.diagnostic_code],
        ["release", "meta.json merge_target_branch", "TARGET_BRANCH_NOT_CHECKED_OUT"],
      );
      assert.deepEqual(dry.json.warnings, []);
    });
    await t.step("--target beats meta.json, in dry-run and real merge", async () => {
      const dry = await keelJson(repo, [
        "merge",
        "--mission",
        SLUG,
        "--dry-run",
        "--target",
        "main",
      ]);
      assert.equal(dry.code, 0, JSON.stringify(dry.json));
      assert.deepEqual([dry.json.target_branch, dry.json.target_source], ["main", "flag"]);
      const r = await keelJson(repo, ["merge", "--mission", SLUG, "--target", "main"]);
      assert.equal(r.code, 0, JSON.stringify(r.json));
      assert.deepEqual([r.json.target_branch, r.json.target_source], ["main", "flag"]);
      assert.ok(await isAncestor(repo, laneBranch("lane-b"), "main"));
      assert.ok(!(await isAncestor(repo, laneBranch("lane-b"), "release")));
    });
    await t.step("an invalid --target is a usage error that touches nothing", async () => {
      const before = await repoState(repo, missionDir);
      for (const bad of ["a..b", "-x", "", "has space"]) {
        const r = await keelJson(repo, ["merge", "--mission", SLUG, "--target", bad]);
        assert.equal(r.code, 2, `${bad}: ${JSON.stringify(r.json)}`);
        assert.equal(r.json.error?.code, "USAGE");
      }
      assert.deepEqual(await repoState(repo, missionDir), before);
    });
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
  await t.step(
    "no target in meta.json: the default branch (here the checked-out one)",
    async () => {
      const spec: MissionSpec = { ...TWO_LANES, meta: { target_branch: null } };
      const { repo } = await repoWithLanes(spec, TWO_LANE_FILES);
      try {
        await git(repo, "switch", "-q", "-c", "trunk");
        const dry = await keelJson(repo, ["merge", "--mission", SLUG, "--dry-run"]);
        assert.equal(dry.code, 0, JSON.stringify(dry.json));
        assert.deepEqual([dry.json.target_branch, dry.json.target_source], [
          "trunk",
          "default_branch",
        ]);
        assert.deepEqual(dry.json.warnings, [{
          code: "LANES_TARGET_DISAGREES",
          lanes_json_target: "main",
          meta_json_target: null,
          target_branch: "trunk",
          target_source: "default_branch",
          message: "lanes.json names main as target_branch, but the default branch trunk; " +
            "merging into trunk (default_branch).",
        }]);
      } finally {
        await Deno.remove(repo, { recursive: true });
      }
    },
  );
});

Deno.test("merge: refuses while a merge, cherry-pick, rebase or revert is in progress, touching nothing", async (t) => {
  const spec: MissionSpec = {
    slug: SLUG,
    wps: [{ id: "WP01", lane: "approved" }],
    lanes: [{ lane_id: "lane-a", wp_ids: ["WP01"] }],
  };
  const { repo, missionDir } = await repoWithLanes(spec, { "lane-a": { "src/a.ts": "a\n" } });
  try {
    await git(repo, "switch", "-q", "-c", "topic", "main");
    await writeFile(repo, "README.md", "# topic\n");
    await git(repo, "commit", "-qam", "topic");
    await git(repo, "switch", "-q", "main");
    await writeFile(repo, "README.md", "# main\n");
    await git(repo, "commit", "-qam", "main");
    const snapshot = async () => [
      ...await repoState(repo, missionDir),
      await Deno.readTextFile(`${repo}/README.md`),
      await git(repo, "ls-files", "--stage"),
    ];
    const refuse = async (operation: string, marker: string) => {
      const before = await snapshot();
      for (const args of [["--dry-run"], []]) {
        const r = await keelJson(repo, ["merge", "--mission", SLUG, ...args]);
        assert.equal(r.code, 4, JSON.stringify(r.json));
        const err = r.json.error as unknown as { code: string; data: Record<string, unknown> };
        assert.equal(err.code, "MERGE_IN_PROGRESS");
        assert.deepEqual([err.data.operation, err.data.marker], [operation, marker]);
      }
      assert.deepEqual(await snapshot(), before);
    };
    await t.step("a user's own half-finished merge is left as it is", async () => {
      await gitMayFail(repo, "merge", "topic");
      const mergeHead = (await git(repo, "rev-parse", "MERGE_HEAD")).trim();
      await refuse("merge", "MERGE_HEAD");
      assert.equal((await git(repo, "rev-parse", "MERGE_HEAD")).trim(), mergeHead);
      assert.match(await Deno.readTextFile(`${repo}/README.md`), /^<<<<<<< /m);
      await git(repo, "merge", "--abort");
    });
    await t.step("cherry-pick", async () => {
      await gitMayFail(repo, "cherry-pick", "topic");
      await refuse("cherry-pick", "CHERRY_PICK_HEAD");
      await git(repo, "cherry-pick", "--abort");
    });
    await t.step("rebase", async () => {
      await gitMayFail(repo, "rebase", "topic");
      await refuse("rebase", "rebase-merge");
      await git(repo, "rebase", "--abort");
    });
    await t.step("revert", async () => {
      await Deno.writeTextFile(`${repo}/.git/REVERT_HEAD`, await git(repo, "rev-parse", "HEAD"));
      await refuse("revert", "REVERT_HEAD");
      await Deno.remove(`${repo}/.git/REVERT_HEAD`);
    });
    await t.step("with nothing in progress the merge goes ahead", async () => {
      const r = await keelJson(repo, ["merge", "--mission", SLUG]);
      assert.equal(r.code, 0, JSON.stringify(r.json));
    });
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("merge: the in-progress check is per worktree", async () => {
  const spec: MissionSpec = {
    slug: SLUG,
    wps: [{ id: "WP01", lane: "approved" }],
    lanes: [{ lane_id: "lane-a", wp_ids: ["WP01"] }],
    meta: { target_branch: "side" },
    lanesTarget: "side",
  };
  const { repo } = await repoWithLanes(spec, { "lane-a": { "src/a.ts": "a\n" } });
  const linked = `${repo}-linked`;
  try {
    await git(repo, "worktree", "add", "-q", "-b", "side", linked, "main");
    // A merge left unfinished in the main worktree does not concern the linked one ...
    await git(repo, "switch", "-q", "-c", "topic", "main");
    await writeFile(repo, "README.md", "# topic\n");
    await git(repo, "commit", "-qam", "topic");
    await git(repo, "switch", "-q", "main");
    await writeFile(repo, "README.md", "# main\n");
    await git(repo, "commit", "-qam", "main");
    await gitMayFail(repo, "merge", "topic");
    const ok = await keelJson(linked, ["merge", "--mission", SLUG, "--dry-run"]);
    assert.equal(ok.code, 0, JSON.stringify(ok.json));
    // ... but one in the linked worktree (its own git dir) refuses the merge there.
    await git(linked, "switch", "-q", "-c", "side2");
    await writeFile(linked, "README.md", "# side2\n");
    await git(linked, "commit", "-qam", "side2");
    await git(linked, "switch", "-q", "side");
    await writeFile(linked, "README.md", "# side\n");
    await git(linked, "commit", "-qam", "side");
    await gitMayFail(linked, "merge", "side2");
    const mergeHead = (await git(linked, "rev-parse", "MERGE_HEAD")).trim();
    const r = await keelJson(linked, ["merge", "--mission", SLUG]);
    assert.equal(r.code, 4, JSON.stringify(r.json));
    assert.equal(r.json.error?.code, "MERGE_IN_PROGRESS");
    assert.equal((await git(linked, "rev-parse", "MERGE_HEAD")).trim(), mergeHead);
    assert.equal((await git(repo, "rev-parse", "MERGE_HEAD")).trim().length, 40);
  } finally {
    await Deno.remove(repo, { recursive: true });
    await Deno.remove(linked, { recursive: true }).catch(() => {});
  }
});

Deno.test("merge: a held index.lock is GIT_INDEX_LOCKED, not MERGE_CONFLICT, and nothing is undone", async (t) => {
  const { repo, missionDir, tip } = await repoWithLanes(TWO_LANES, TWO_LANE_FILES);
  try {
    await t.step("held before the merge starts: refused, touching nothing", async () => {
      await Deno.writeTextFile(`${repo}/.git/index.lock`, "");
      const before = await repoState(repo, missionDir);
      const r = await keelJson(repo, ["merge", "--mission", SLUG]);
      assert.equal(r.code, 4, JSON.stringify(r.json));
      const err = r.json.error as unknown as { code: string; data: Record<string, unknown> };
      assert.deepEqual([err.code, err.data.path], ["GIT_INDEX_LOCKED", `${repo}/.git/index.lock`]);
      assert.deepEqual(await repoState(repo, missionDir), before);
      await Deno.remove(`${repo}/.git/index.lock`);
    });
    await t.step("taken by another git between two lanes: lane-a's merge stays", async () => {
      const { mergeOp } = await import("../core/gates/mod.ts");
      const { runGit } = await import("../core/git/mod.ts");
      const { fixedClock } = await import("../core/util/clock.ts");
      let merges = 0;
      const gitPort = async (args: readonly string[], cwd: string) => {
        if (args[0] === "merge" && args[1] === "--no-ff" && ++merges === 2) {
          await Deno.writeTextFile(`${repo}/.git/index.lock`, "");
        }
        return await runGit(args, cwd);
      };
      const ctx = {
        cwd: repo,
        clock: fixedClock("2026-11-01T10:00:00Z", 1000),
        env: {},
        gitBackend: "cli" as const,
      };
      await assert.rejects(
        mergeOp({ mission: SLUG }, ctx, { git: gitPort }),
        (e: { code?: string }) => e.code === "GIT_INDEX_LOCKED",
      );
      await Deno.remove(`${repo}/.git/index.lock`);
      assert.equal((await git(repo, "rev-parse", "HEAD^1")).trim(), tip);
      assert.equal(
        (await git(repo, "rev-parse", "HEAD^2")).trim(),
        (await git(repo, "rev-parse", laneBranch("lane-a"))).trim(),
      );
      await assert.rejects(git(repo, "rev-parse", "--verify", "-q", "MERGE_HEAD"));
      assert.equal((await readJson(`${missionDir}/meta.json`)).baseline_merge_commit, tip);
      const last = JSON.parse(
        (await Deno.readTextFile(`${missionDir}/status.events.jsonl`)).trim().split("\n").pop()!,
      );
      assert.deepEqual([last.wp_id, last.to_lane], ["WP01", "done"]);
      // The re-run finishes lane-b.
      const again = await keelJson(repo, ["merge", "--mission", SLUG]);
      assert.equal(again.code, 0, JSON.stringify(again.json));
      assert.deepEqual((again.json.events as { wp_id: string }[]).map((e) => e.wp_id), ["WP02"]);
    });
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("merge: the repository merge lock refuses a second merge and is never opened through a symlink", async (t) => {
  const { repo, missionDir } = await repoWithLanes(TWO_LANES, TWO_LANE_FILES);
  const outside = await Deno.makeTempFile({ prefix: "merge-outside-" });
  try {
    const lock = `${repo}/.git/keel-merge.lock`;
    await t.step("a symlink at the lock path is refused and its target untouched", async () => {
      await Deno.writeTextFile(outside, "precious\n");
      await Deno.symlink(outside, lock);
      const before = await repoState(repo, missionDir);
      const r = await keelJson(repo, ["merge", "--mission", SLUG]);
      assert.equal(r.code, 3, JSON.stringify(r.json));
      const err = r.json.error as unknown as { code: string; data: Record<string, unknown> };
      assert.deepEqual([err.code, err.data.path], ["PATH_OUTSIDE_REPO", lock]);
      assert.equal(await Deno.readTextFile(outside), "precious\n");
      assert.deepEqual(await repoState(repo, missionDir), before);
      await Deno.remove(lock);
    });
    await t.step(
      "held by another process: MERGE_IN_PROGRESS naming it, nothing changed",
      async () => {
        await Deno.writeTextFile(lock, "4242\n");
        const file = await Deno.open(lock, { read: true, write: true });
        await file.lock(true);
        try {
          const before = await repoState(repo, missionDir);
          const r = await keelJson(repo, ["merge", "--mission", SLUG]);
          assert.equal(r.code, 4, JSON.stringify(r.json));
          const err = r.json.error as unknown as { code: string; data: Record<string, unknown> };
          assert.deepEqual([err.code, err.data.lock, err.data.holder_pid], [
            "MERGE_IN_PROGRESS",
            lock,
            4242,
          ]);
          assert.deepEqual(await repoState(repo, missionDir), before);
          // The dry-run takes no lock: it still previews.
          const dry = await keelJson(repo, ["merge", "--mission", SLUG, "--dry-run"]);
          assert.equal(dry.code, 0, JSON.stringify(dry.json));
        } finally {
          await file.unlock();
          file.close();
        }
        const r = await keelJson(repo, ["merge", "--mission", SLUG]);
        assert.equal(r.code, 0, JSON.stringify(r.json));
      },
    );
  } finally {
    await Deno.remove(repo, { recursive: true });
    await Deno.remove(outside);
  }
});

Deno.test("merge: killed after the first lane merge, a re-run still records the baseline", async () => {
  const { repo, missionDir, tip } = await repoWithLanes(TWO_LANES, TWO_LANE_FILES);
  try {
    // The state a merge killed between its first `git merge` and the meta.json write leaves.
    await git(repo, "merge", "--no-ff", "--no-edit", laneBranch("lane-a"));
    await git(repo, "commit", "-q", "--allow-empty", "-m", "unrelated work on main");
    assert.equal((await readJson(`${missionDir}/meta.json`)).baseline_merge_commit, undefined);
    const dry = await keelJson(repo, ["merge", "--mission", SLUG, "--dry-run"]);
    assert.equal(dry.code, 0, JSON.stringify(dry.json));
    assert.equal(
      (dry.json.would_record as { baseline_merge_commit: string }).baseline_merge_commit,
      tip,
    );
    const r = await keelJson(repo, ["merge", "--mission", SLUG]);
    assert.equal(r.code, 0, JSON.stringify(r.json));
    assert.deepEqual(
      (r.json.lanes as { lane_id: string; action: string }[]).map((l) => [l.lane_id, l.action]),
      [["lane-a", "already_merged"], ["lane-b", "merge"]],
    );
    assert.equal(r.json.baseline_merge_commit, tip);
    assert.equal((await readJson(`${missionDir}/meta.json`)).baseline_merge_commit, tip);
    // Everything merged and nothing recorded: the resumed run still writes the baseline.
    await editMeta(missionDir, (m) => delete m.baseline_merge_commit);
    const third = await keelJson(repo, ["merge", "--mission", SLUG]);
    assert.equal(third.code, 0, JSON.stringify(third.json));
    assert.equal((await readJson(`${missionDir}/meta.json`)).baseline_merge_commit, tip);
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

async function editMeta(
  missionDir: string,
  edit: (meta: Record<string, unknown>) => void,
): Promise<void> {
  const meta = await readJson(`${missionDir}/meta.json`);
  edit(meta);
  await Deno.writeTextFile(`${missionDir}/meta.json`, JSON.stringify(meta, null, 2) + "\n");
}

Deno.test("merge: a lane merge left behind by a killed keel merge is recovered; a user's is not", async (t) => {
  await t.step("unfinished (MERGE_HEAD, HEAD unmoved): aborted, then merged again", async () => {
    const { repo, missionDir, tip } = await repoWithLanes(TWO_LANES, TWO_LANE_FILES);
    try {
      const laneA = (await git(repo, "rev-parse", laneBranch("lane-a"))).trim();
      await git(repo, "merge", "--no-ff", "--no-commit", laneBranch("lane-a"));
      const journal = `99999\n${JSON.stringify({ root: repo, tip: laneA, head: tip })}\n`;
      // Without keel's journal the same state is someone else's merge: refused, untouched.
      const before = await repoState(repo, missionDir);
      const refused = await keelJson(repo, ["merge", "--mission", SLUG]);
      assert.equal(refused.json.error?.code, "MERGE_IN_PROGRESS");
      assert.deepEqual(await repoState(repo, missionDir), before);
      // A journal naming another tip is not this merge either.
      await Deno.writeTextFile(
        `${repo}/.git/keel-merge.lock`,
        `99999\n${JSON.stringify({ root: repo, tip: tip, head: tip })}\n`,
      );
      const other = await keelJson(repo, ["merge", "--mission", SLUG]);
      assert.equal(other.json.error?.code, "MERGE_IN_PROGRESS");
      await Deno.writeTextFile(`${repo}/.git/keel-merge.lock`, journal);
      const r = await keelJson(repo, ["merge", "--mission", SLUG]);
      assert.equal(r.code, 0, JSON.stringify(r.json));
      const w = (r.json.warnings as { code: string; action: string; tip: string }[])[0]!;
      assert.deepEqual([w.code, w.action, w.tip], ["ABANDONED_MERGE_RECOVERED", "aborted", laneA]);
      assert.deepEqual((r.json.events as { wp_id: string }[]).map((e) => e.wp_id), [
        "WP01",
        "WP02",
      ]);
      assert.equal(r.json.baseline_merge_commit, tip);
      await assert.rejects(git(repo, "rev-parse", "--verify", "-q", "MERGE_HEAD"));
    } finally {
      await Deno.remove(repo, { recursive: true });
    }
  });
  await t.step(
    "committed but not cleaned up: the leftover state is cleared, the lane kept",
    async () => {
      const { repo, missionDir, tip } = await repoWithLanes(TWO_LANES, TWO_LANE_FILES);
      try {
        const laneA = (await git(repo, "rev-parse", laneBranch("lane-a"))).trim();
        await git(repo, "merge", "--no-ff", "--no-edit", laneBranch("lane-a"));
        const mergeCommit = (await git(repo, "rev-parse", "HEAD")).trim();
        await Deno.writeTextFile(`${repo}/.git/MERGE_HEAD`, `${laneA}\n`);
        await Deno.writeTextFile(`${repo}/.git/MERGE_MSG`, "Merge\n");
        await Deno.writeTextFile(
          `${repo}/.git/keel-merge.lock`,
          `99999\n${JSON.stringify({ root: repo, tip: laneA, head: tip })}\n`,
        );
        const r = await keelJson(repo, ["merge", "--mission", SLUG]);
        assert.equal(r.code, 0, JSON.stringify(r.json));
        const w = (r.json.warnings as { code: string; action: string }[])[0]!;
        assert.deepEqual([w.code, w.action], ["ABANDONED_MERGE_RECOVERED", "cleared"]);
        assert.deepEqual(
          (r.json.lanes as { lane_id: string; action: string }[]).map((l) => [l.lane_id, l.action]),
          [["lane-a", "already_merged"], ["lane-b", "merge"]],
        );
        assert.equal((await git(repo, "rev-parse", "HEAD^1")).trim(), mergeCommit);
        assert.equal((await readJson(`${missionDir}/meta.json`)).baseline_merge_commit, tip);
      } finally {
        await Deno.remove(repo, { recursive: true });
      }
    },
  );
});
