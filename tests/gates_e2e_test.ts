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
          target_branch: "main",
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
