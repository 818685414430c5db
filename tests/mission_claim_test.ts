import assert from "node:assert/strict";
import { join } from "node:path";
import fc from "fast-check";
import {
  implementOp,
  missionListOp,
  missionStatusOp,
  nextOp,
  reduceEvents,
} from "../core/mission/mod.ts";
import { type SynthWp, writeMission } from "../testing/mission.ts";
import { keel } from "./helpers.ts";
import { git } from "../testing/git.ts";
import { keelFailure } from "../testing/keel_failure.ts";
import { testContext as ctxFor } from "../testing/context.ts";

const MID = "01KTESTAAAAAAAAAAAAAAAAAAA";

async function withTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "keel-mission-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function logText(root: string, slug: string): Promise<string> {
  return await Deno.readTextFile(join(root, "kitty-specs", slug, "status.events.jsonl"));
}

Deno.test("next and implement agree on a dependency-blocked WP01 and a ready WP03", async () => {
  await withTemp(async (root) => {
    await writeMission(root, {
      slug: "demo-01KTESTA",
      missionId: MID,
      wps: [
        { id: "WP01", deps: ["WP02"] },
        { id: "WP02", lane: "in_progress", actor: "other" },
        { id: "WP03" },
      ],
    });
    const ctx = ctxFor(root);
    const next = await nextOp({ mission: "demo-01KTESTA", agent: "claude", explain: true }, ctx);
    assert.equal(next.mission_state, "implement");
    assert.equal(next.wp_id, "WP03");
    assert.equal(next.selection_reason, null);
    assert.equal(next.reason, null);
    assert.deepEqual(next.candidates, ["WP01", "WP02", "WP03"]);
    // spec-kitty's query decision leaves prompt_file/workspace_path null; keel adds its own keys.
    assert.equal(next.prompt_file, null);
    assert.equal(next.workspace_path, null);
    assert.equal(next.wp_prompt_file, "kitty-specs/demo-01KTESTA/tasks/WP03-work.md");
    assert.equal(next.wp_workspace_path, ".worktrees/demo-01KTESTA-lane-c");
    assert.deepEqual(next.explain!.map((e) => [e.wp_id, e.decision]), [
      ["WP01", "skipped"],
      ["WP02", "skipped"],
      ["WP03", "chosen"],
    ]);
    assert.match(next.explain![0]!.why, /WP02 \(in_progress\)/);
    const claim = await implementOp(
      { mission: "demo-01KTESTA", agent: "claude", workspace: false },
      ctx,
    );
    assert.equal(claim.wp_id, "WP03");
    assert.equal(claim.action, "claimed");
    assert.equal(claim.workspace_path, ".worktrees/demo-01KTESTA-lane-c");
    assert.equal(claim.execution_mode, "worktree");
    const lines = (await logText(root, "demo-01KTESTA")).trimEnd().split("\n").slice(-2);
    const [a, b] = lines.map((l) => JSON.parse(l));
    assert.equal(a.from_lane, "planned");
    assert.equal(a.to_lane, "claimed");
    assert.equal(b.from_lane, "claimed");
    assert.equal(b.to_lane, "in_progress");
    for (const e of [a, b]) {
      assert.equal(e.actor, "claude");
      assert.equal(e.force, false);
      assert.equal(e.mission_id, MID);
      assert.equal(e.mission_slug, "demo-01KTESTA");
      assert.equal(e.execution_mode, "worktree");
      assert.deepEqual(e.policy_metadata, { agent: "claude" });
      assert.match(e.event_id, /^[0-9A-HJKMNP-TV-Z]{26}$/);
      assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
    }
    // spec-kitty's line style: sorted keys, ", " and ": " separators.
    assert.ok(lines[0]!.startsWith('{"actor": "claude", "at": '));
    assert.deepEqual(Object.keys(a), [...Object.keys(a)].sort());
    assert.deepEqual(claim.event_ids, [a.event_id, b.event_id]);
    const after = await nextOp({ mission: "demo-01KTESTA" }, ctx);
    assert.equal(after.wp_id, null);
    assert.equal(after.selection_reason, "dependencies_not_satisfied");
    assert.equal(after.reason, "dependencies_not_satisfied");
    assert.equal(after.mission_state, "implement");
    const none = await keelFailure(
      implementOp({ mission: "demo-01KTESTA", agent: "claude", workspace: false }, ctx),
    );
    assert.equal(none.code, "WP_NOT_CLAIMABLE");
    assert.equal(none.exitCode, 1);
    assert.equal(none.data.reason, "dependencies_not_satisfied");
  });
});

Deno.test("selection reasons: every token, and the genesis default", async (t) => {
  const cases: { name: string; wps: SynthWp[]; reason: string; state: string; tasks?: boolean }[] =
    [
      {
        name: "no_planned_wps",
        wps: [{ id: "WP01", lane: "done" }, { id: "WP02", lane: "blocked" }],
        reason: "no_planned_wps",
        state: "blocked",
      },
      {
        name: "all_wps_in_progress",
        wps: [{ id: "WP01", lane: "claimed" }, { id: "WP02", lane: "done" }],
        reason: "all_wps_in_progress",
        state: "implement",
      },
      {
        name: "dependencies_not_satisfied (a dep with no events counts as planned)",
        wps: [{ id: "WP01", deps: "WP07" }, { id: "WP02", lane: "in_review" }],
        reason: "dependencies_not_satisfied",
        state: "implement",
      },
      {
        name: "not_finalized",
        wps: [{ id: "WP01", lane: null }, { id: "WP02", lane: "done" }],
        reason: "not_finalized",
        state: "blocked",
      },
      { name: "no_wp_files", wps: [], reason: "no_wp_files", state: "not_started" },
    ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await withTemp(async (root) => {
        await writeMission(root, { slug: "m-01KTESTA", missionId: MID, wps: c.wps });
        const p = await nextOp({ mission: "m-01KTESTA" }, ctxFor(root));
        assert.equal(p.wp_id, null);
        assert.equal(p.selection_reason, c.reason);
        assert.equal(p.mission_state, c.state);
        if (c.state === "implement") assert.equal(p.reason, c.reason);
        const e = await keelFailure(
          implementOp({ mission: "m-01KTESTA", agent: "a", workspace: false }, ctxFor(root)),
        );
        assert.equal(e.code, "WP_NOT_CLAIMABLE");
        assert.equal(e.data.reason, c.reason);
        // A refusal writes nothing, not even a lock file.
        await assert.rejects(Deno.stat(join(root, ".keel")), Deno.errors.NotFound);
      });
    });
  }
  await t.step("no_tasks_dir", async () => {
    await withTemp(async (root) => {
      const dir = await writeMission(root, { slug: "m-01KTESTA", missionId: MID, wps: [] });
      await Deno.remove(join(dir, "tasks"), { recursive: true });
      const p = await nextOp({ mission: "m-01KTESTA" }, ctxFor(root));
      assert.equal(p.selection_reason, "no_tasks_dir");
      assert.equal(p.progress, null);
    });
  });
  await t.step('legacy dependencies "[]" and comma strings', async () => {
    await withTemp(async (root) => {
      await writeMission(root, {
        slug: "m-01KTESTA",
        missionId: MID,
        wps: [
          { id: "WP01", deps: "WP02, WP03" },
          { id: "WP02", lane: "approved" },
          { id: "WP03", lane: "done" },
          { id: "WP04", deps: "[]" },
        ],
      });
      const p = await nextOp({ mission: "m-01KTESTA", explain: true }, ctxFor(root));
      assert.equal(p.wp_id, "WP01");
      assert.deepEqual(p.explain![0]!.dependencies.map((d) => d.wp_id), ["WP02", "WP03"]);
    });
  });
});

Deno.test("a base_commit missing from the repository is a warning: the pick is spec-kitty's", async () => {
  await withTemp(async (root) => {
    await git(root, "init", "-q");
    await Deno.writeTextFile(join(root, "f.txt"), "x\n");
    await git(root, "add", "f.txt");
    await git(root, "commit", "-q", "-m", "c1");
    const head = (await git(root, "rev-parse", "HEAD")).trim();
    const missing = "0123456789abcdef0123456789abcdef01234567";
    await writeMission(root, {
      slug: "m-01KTESTA",
      missionId: MID,
      wps: [{ id: "WP01", baseCommit: missing }, { id: "WP02", baseCommit: head }],
    });
    const warning = {
      code: "BASE_COMMIT_MISSING",
      wp_id: "WP01",
      base_commit: missing,
    };
    const p = await nextOp({ mission: "m-01KTESTA", explain: true }, ctxFor(root));
    assert.equal(p.wp_id, "WP01");
    assert.equal(p.selection_reason, null);
    assert.equal(p.reason, null);
    assert.deepEqual(p.warnings.map((w) => ({ ...w, message: undefined })), [
      { ...warning, message: undefined },
    ]);
    assert.match(p.warnings[0]!.message, new RegExp(`WP01 records base_commit ${missing}`));
    assert.deepEqual(p.explain!.map((e) => [e.wp_id, e.decision]), [
      ["WP01", "chosen"],
      ["WP02", "not_reached"],
    ]);
    assert.match(p.explain![0]!.why, new RegExp(`warning: base_commit ${missing}`));
    // --explain and the human output name the warning.
    const cli = await keel(root, ["next", "--mission", "m-01KTESTA", "--explain"]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(
      cli.stdout,
      new RegExp(`Warning: BASE_COMMIT_MISSING: WP01 records base_commit ${missing}`),
    );
    assert.match(cli.stdout, new RegExp(`warning WP01: BASE_COMMIT_MISSING \\(${missing}\\)`));
    // status and list carry the same warning.
    const status = await missionStatusOp({ mission: "m-01KTESTA" }, ctxFor(root));
    assert.deepEqual(status.next.warnings, p.warnings);
    const list = await missionListOp({}, ctxFor(root));
    assert.deepEqual(list.missions[0]!.warnings, p.warnings);
    // implement claims WP01 and reports the warning (JSON and human).
    const human = await keel(root, [
      "implement",
      "--no-workspace",
      "--mission",
      "m-01KTESTA",
      "--agent",
      "a",
    ]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /Claimed WP01 for a/);
    assert.match(
      human.stdout,
      new RegExp(`Warning: +BASE_COMMIT_MISSING: WP01 records base_commit ${missing}`),
    );
    // An explicit WP whose base exists: no warning.
    const ok = await implementOp({
      mission: "m-01KTESTA",
      agent: "b",
      wp: "wp02",
      workspace: false,
    }, ctxFor(root));
    assert.equal(ok.wp_id, "WP02");
    assert.deepEqual(ok.warnings, []);
  });
});

Deno.test("an explicit WP with a missing base_commit is claimed with the warning", async () => {
  await withTemp(async (root) => {
    await git(root, "init", "-q");
    const missing = "fedcba9876543210fedcba9876543210fedcba98";
    await writeMission(root, {
      slug: "m-01KTESTA",
      missionId: MID,
      wps: [{ id: "WP01", baseCommit: missing }],
    });
    const r = await implementOp(
      { mission: "m-01KTESTA", agent: "a", wp: "WP01", workspace: false },
      ctxFor(root),
    );
    assert.equal(r.action, "claimed");
    assert.deepEqual(r.warnings.map((w) => [w.code, w.wp_id, w.base_commit]), [
      ["BASE_COMMIT_MISSING", "WP01", missing],
    ]);
  });
});

Deno.test("implement with an explicit WP follows spec-kitty's rules", async (t) => {
  await withTemp(async (root) => {
    await writeMission(root, {
      slug: "x-01KTESTA",
      missionId: MID,
      wps: [
        { id: "WP01", lane: "approved" },
        { id: "WP02", deps: ["WP03"] },
        { id: "WP03", lane: "claimed", actor: "alice" },
        { id: "WP04", lane: null },
        { id: "WP05", lane: "done" },
        { id: "WP06", lane: "in_progress", actor: "unknown" },
      ],
      lanes: [
        { lane_id: "lane-planning", wp_ids: ["WP06"] },
        { lane_id: "lane-a", wp_ids: ["WP01", "WP02", "WP03", "WP04", "WP05"] },
      ],
    });
    const ctx = ctxFor(root);
    const call = (agent: string, wp: string) =>
      implementOp({ mission: MID, agent, wp, workspace: false }, ctx);
    await t.step("dependency gate from planned", async () => {
      const e = await keelFailure(call("bob", "wp02"));
      assert.equal(e.code, "WP_NOT_CLAIMABLE");
      assert.equal(e.data.reason, "dependencies_not_satisfied");
      assert.deepEqual(e.data.unmet, ["WP03"]);
    });
    await t.step("held by another agent: WP_CLAIM_CONFLICT, exit 4", async () => {
      const e = await keelFailure(call("bob", "WP03-anything"));
      assert.equal(e.code, "WP_CLAIM_CONFLICT");
      assert.equal(e.exitCode, 4);
      assert.deepEqual(e.data, { wp_id: "WP03", holder: "alice" });
    });
    await t.step("the holder starts its claimed WP", async () => {
      const r = await call("alice", "WP03");
      assert.equal(r.action, "started");
      assert.equal(r.event_ids.length, 1);
    });
    await t.step("resume in_progress by the same agent writes nothing", async () => {
      const before = await logText(root, "x-01KTESTA");
      const r = await call("alice", "WP03");
      assert.equal(r.action, "resumed");
      assert.deepEqual(r.event_ids, []);
      assert.equal(await logText(root, "x-01KTESTA"), before);
    });
    await t.step(
      "a placeholder holder may be taken over; lane-planning is direct_repo",
      async () => {
        const r = await call("bob", "WP06");
        assert.equal(r.action, "resumed");
        assert.equal(r.workspace_path, ".");
        assert.equal(r.execution_mode, "direct_repo");
      },
    );
    await t.step("genesis: not finalized", async () => {
      const e = await keelFailure(call("bob", "WP04"));
      assert.equal(e.data.reason, "not_finalized");
    });
    await t.step("done: cannot start", async () => {
      const e = await keelFailure(call("bob", "WP05"));
      assert.equal(e.data.reason, "lane");
      assert.equal(e.data.lane, "done");
    });
    await t.step("approved: a forced re-implementation", async () => {
      const r = await call("bob", "WP01");
      assert.equal(r.action, "reimplement");
      const last = JSON.parse((await logText(root, "x-01KTESTA")).trimEnd().split("\n").at(-1)!);
      assert.equal(last.force, true);
      assert.equal(last.from_lane, "approved");
      assert.equal(last.reason, "Re-implementing after review feedback");
    });
    await t.step("unknown WP", async () => {
      const e = await keelFailure(call("bob", "WP99"));
      assert.equal(e.code, "WP_NOT_FOUND");
      assert.equal((e.data.available as string[]).length, 6);
    });
  });
});

Deno.test("mission handles: slug, mission_id, unique prefix; ambiguous, unknown, path", async () => {
  await withTemp(async (root) => {
    await writeMission(root, {
      slug: "one-01KTESTA",
      missionId: "01KTESTAAAAAAAAAAAAAAAAAA1",
      wps: [],
    });
    await writeMission(root, {
      slug: "two-01KTESTA",
      missionId: "01KTESTAAAAAAAAAAAAAAAAAA2",
      wps: [],
    });
    await writeMission(root, {
      slug: "three-01KTESTB",
      missionId: "01KTESTBBBBBBBBBBBBBBBBBB3",
      wps: [],
    });
    const ctx = ctxFor(join(root, "kitty-specs"));
    assert.equal((await nextOp({ mission: "two-01KTESTA" }, ctx)).mission_slug, "two-01KTESTA");
    assert.equal(
      (await nextOp({ mission: "01KTESTAAAAAAAAAAAAAAAAAA1" }, ctx)).mission_slug,
      "one-01KTESTA",
    );
    assert.equal((await nextOp({ mission: "01KTESTB" }, ctx)).mission_slug, "three-01KTESTB");
    const amb = await keelFailure(nextOp({ mission: "01KTESTA" }, ctx));
    assert.equal(amb.code, "MISSION_AMBIGUOUS");
    assert.equal(amb.exitCode, 3);
    assert.deepEqual((amb.data.candidates as { slug: string }[]).map((c) => c.slug), [
      "one-01KTESTA",
      "two-01KTESTA",
    ]);
    const nf = await keelFailure(nextOp({ mission: "nope" }, ctx));
    assert.equal(nf.code, "MISSION_NOT_FOUND");
    assert.deepEqual(nf.data.candidates, ["one-01KTESTA", "three-01KTESTB", "two-01KTESTA"]);
    for (const bad of ["../kitty-specs/one-01KTESTA", "one-01KTESTA/..", "..", "/etc"]) {
      const e = await keelFailure(nextOp({ mission: bad }, ctx));
      assert.equal(e.code, "MISSION_NOT_FOUND", bad);
      assert.deepEqual(e.data.candidates, []);
    }
    const none = await keelFailure(nextOp({ mission: "x" }, ctxFor("/")));
    assert.equal(none.code, "KITTY_SPECS_NOT_FOUND");
  });
});

Deno.test("a corrupt event log fails next loudly, naming the line", async () => {
  await withTemp(async (root) => {
    await writeMission(root, {
      slug: "c-01KTESTA",
      missionId: MID,
      wps: [{ id: "WP01" }],
      extraLines: ['{"kind": "bogus"}'],
    });
    const e = await keelFailure(nextOp({ mission: "c-01KTESTA" }, ctxFor(root)));
    assert.equal(e.code, "EVENT_LOG_CORRUPT");
    assert.equal(e.data.line, 2);
    assert.equal(e.data.path, "kitty-specs/c-01KTESTA/status.events.jsonl");
  });
});

// ---- property: next's wp_id is what an immediately following implement claims ----

const LANES = [
  null,
  "planned",
  "claimed",
  "in_progress",
  "for_review",
  "in_review",
  "approved",
  "done",
  "blocked",
  "canceled",
];

const missionArb = fc.integer({ min: 1, max: 6 }).chain((n) =>
  fc.record({
    wps: fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        fc.record({
          lane: fc.constantFrom(...LANES),
          deps: fc.subarray(
            [
              ...Array.from({ length: n }, (_, j) => `WP0${j + 1}`).filter((_, j) => j !== i),
              "WP09",
            ],
          ),
          legacy: fc.boolean(),
        })),
    ),
    shuffle: fc.array(fc.nat(), { minLength: 0, maxLength: 20 }),
    duplicate: fc.boolean(),
  })
);

Deno.test("property: next's wp_id is exactly what implement claims (or nothing, exit 1)", async () => {
  await withTemp(async (tmp) => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(missionArb, async (spec) => {
        const root = join(tmp, `r${run++}`);
        const wps: SynthWp[] = spec.wps.map((w, i) => ({
          id: `WP0${i + 1}`,
          lane: w.lane,
          deps: w.legacy ? w.deps.join(", ") : w.deps,
        }));
        const dir = await writeMission(root, { slug: "p-01KTESTA", missionId: MID, wps });
        // Event order in the file must not matter: shuffle the lines, maybe duplicate one.
        const logPath = join(dir, "status.events.jsonl");
        const lines = (await Deno.readTextFile(logPath)).split("\n").filter((l) => l !== "");
        for (const k of spec.shuffle) {
          if (lines.length < 2) break;
          const a = k % lines.length;
          const b = (k * 7 + 3) % lines.length;
          [lines[a], lines[b]] = [lines[b]!, lines[a]!];
        }
        if (spec.duplicate && lines.length > 0) lines.push(lines[0]!);
        await Deno.writeTextFile(logPath, lines.join("\n") + (lines.length ? "\n" : ""));
        const ctx = ctxFor(root);
        const next = await nextOp({ mission: "p-01KTESTA", agent: "prop" }, ctx);
        assert.ok((next.wp_id === null) !== (next.selection_reason === null));
        const before = await Deno.readTextFile(logPath);
        if (next.wp_id === null) {
          const e = await keelFailure(
            implementOp({ mission: "p-01KTESTA", agent: "prop", workspace: false }, ctx),
          );
          assert.equal(e.code, "WP_NOT_CLAIMABLE");
          assert.equal(e.exitCode, 1);
          assert.equal(e.data.reason, next.selection_reason);
          assert.equal(await Deno.readTextFile(logPath), before);
        } else {
          assert.equal(next.mission_state, "implement");
          const r = await implementOp(
            { mission: "p-01KTESTA", agent: "prop", workspace: false },
            ctx,
          );
          assert.equal(r.wp_id, next.wp_id);
          const snap = reduceEvents(await Deno.readTextFile(logPath));
          assert.equal(snap.work_packages[r.wp_id]!.lane, "in_progress");
          assert.equal(snap.work_packages[r.wp_id]!.agent, "prop");
        }
      }),
      { numRuns: 60 },
    );
  });
});

// ---- a synthetic mission in the shape of workflow-parity-988-989-991-01KRKTT5 ----

Deno.test("three independent WPs, one lane each: next names WP01, implement claims it, next moves on", async () => {
  await withTemp(async (root) => {
    const slug = "workflow-parity-988-989-991-01KRKTT5";
    await writeMission(root, {
      slug,
      missionId: "01KRKTT58XC5KR0HF523333R9S",
      wps: [{ id: "WP01" }, { id: "WP02" }, { id: "WP03" }],
    });
    const ctx = ctxFor(root);
    const next = await nextOp({ mission: slug, agent: "claude" }, ctx);
    assert.equal(next.wp_id, "WP01");
    assert.equal(next.mission_state, "implement");
    assert.equal(next.selection_reason, null);
    assert.deepEqual(next.progress, {
      total_wps: 3,
      done_wps: 0,
      approved_wps: 0,
      in_progress_wps: 0,
      planned_wps: 3,
      for_review_wps: 0,
      weighted_percentage: 0,
    });
    const r = await implementOp({ mission: "01KRKTT5", agent: "claude", workspace: false }, ctx);
    assert.equal(r.wp_id, "WP01");
    assert.equal(r.workspace_path, `.worktrees/${slug}-lane-a`);
    assert.equal((await nextOp({ mission: slug }, ctx)).wp_id, "WP02");
  });
});
