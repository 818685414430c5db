import assert from "node:assert/strict";
import { join } from "node:path";
import { reduceEvents } from "../core/mission/mod.ts";
import { type SynthWp, writeMission } from "../testing/mission.ts";

const MAIN = new URL("../cli/main.ts", import.meta.url).pathname;
const MID = "01KTESTAAAAAAAAAAAAAAAAAAA";

async function keel(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

async function withTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "keel-mission-cli-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const KEYS = [
  "kind",
  "agent",
  "mission_slug",
  "mission_number",
  "mission_type",
  "mission",
  "mission_state",
  "timestamp",
  "action",
  "wp_id",
  "workspace_path",
  "prompt_file",
  "reason",
  "guard_failures",
  "progress",
  "origin",
  "run_id",
  "step_id",
  "decision_id",
  "input_key",
  "question",
  "options",
  "is_query",
  "preview_step",
  "selection_reason",
  "candidates",
  "warnings",
  "wp_prompt_file",
  "wp_workspace_path",
];

Deno.test("keel next --json: one document, the same keys in every mission state", async () => {
  const boards: [string, SynthWp[], string, string | null, string | null][] = [
    ["impl-01KTESTA", [{ id: "WP01" }, { id: "WP02", lane: "done" }], "implement", "WP01", null],
    [
      "review-01KTESTA",
      [{ id: "WP01", lane: "for_review" }],
      "review",
      null,
      "all_wps_in_progress",
    ],
    ["inrev-01KTESTA", [{ id: "WP01", lane: "in_review" }], "blocked", null, "all_wps_in_progress"],
    ["done-01KTESTA", [{ id: "WP01", lane: "done" }], "done", null, "no_planned_wps"],
    [
      "accept-01KTESTA",
      [{ id: "WP01", lane: "approved" }, { id: "WP02", lane: "done" }],
      "accept",
      null,
      "no_planned_wps",
    ],
    ["stuck-01KTESTA", [{ id: "WP01", lane: "blocked" }], "blocked", null, "no_planned_wps"],
  ];
  await withTemp(async (root) => {
    for (const [slug, wps] of boards) await writeMission(root, { slug, missionId: MID, wps });
    for (const [slug, , state, wp, reason] of boards) {
      const r = await keel(["next", "--repo", root, "--mission", slug, "--agent", "a", "--json"]);
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout); // the whole stdout is one JSON document
      assert.deepEqual(Object.keys(doc), KEYS, slug);
      assert.equal(doc.mission_state, state);
      assert.equal(doc.wp_id, wp);
      assert.equal(doc.kind, "query");
      assert.equal(doc.is_query, true);
      assert.equal(doc.agent, "a");
      assert.equal(doc.selection_reason, reason);
      // spec-kitty's values for its own keys in a query decision.
      assert.deepEqual(doc.origin, {});
      assert.equal(doc.prompt_file, null);
      assert.equal(doc.workspace_path, null);
      assert.equal(doc.mission_number, "");
      assert.equal(
        doc.wp_prompt_file,
        wp === null ? null : `kitty-specs/${slug}/tasks/${wp}-work.md`,
      );
      assert.deepEqual(doc.warnings, []);
      if (state !== "implement") {
        assert.equal(typeof doc.reason === "string" || doc.reason === null, true);
      }
    }
    const bad = await keel(["next", "--repo", root, "--mission", "nope", "--json"]);
    assert.equal(bad.code, 3);
    assert.equal(JSON.parse(bad.stdout).error.code, "MISSION_NOT_FOUND");
  });
});

Deno.test("next: mission_number is the slug's numeric prefix, never meta.json's", async () => {
  await withTemp(async (root) => {
    for (const slug of ["0042-numbered", "plain-01KTESTA"]) {
      const dir = await writeMission(root, { slug, missionId: MID, wps: [{ id: "WP01" }] });
      const metaPath = `${dir}/meta.json`;
      const meta = JSON.parse(await Deno.readTextFile(metaPath));
      await Deno.writeTextFile(metaPath, JSON.stringify({ ...meta, mission_number: 7 }));
    }
    const a = await keel(["next", "--repo", root, "--mission", "0042-numbered", "--json"]);
    assert.equal(JSON.parse(a.stdout).mission_number, "42");
    const b = await keel(["next", "--repo", root, "--mission", "plain-01KTESTA", "--json"]);
    assert.equal(JSON.parse(b.stdout).mission_number, "");
  });
});

Deno.test("keel implement: exit 1 with the reason when nothing is claimable, 4 on a held WP", async () => {
  await withTemp(async (root) => {
    await writeMission(root, {
      slug: "m-01KTESTA",
      missionId: MID,
      wps: [{ id: "WP01", deps: ["WP02"] }, { id: "WP02", lane: "claimed", actor: "alice" }],
    });
    const none = await keel([
      "implement",
      "--no-workspace",
      "--repo",
      root,
      "--mission",
      "m-01KTESTA",
      "--agent",
      "bob",
      "--json",
    ]);
    assert.equal(none.code, 1);
    const err = JSON.parse(none.stdout).error;
    assert.equal(err.code, "WP_NOT_CLAIMABLE");
    assert.equal(err.data.reason, "dependencies_not_satisfied");
    const human = await keel([
      "implement",
      "--no-workspace",
      "--repo",
      root,
      "--mission",
      "m-01KTESTA",
      "--agent",
      "bob",
    ]);
    assert.equal(human.code, 1);
    assert.match(human.stderr, /dependencies_not_satisfied/);
    const held = await keel([
      "implement",
      "--no-workspace",
      "--repo",
      root,
      "--mission",
      "m-01KTESTA",
      "--agent",
      "bob",
      "WP02",
      "--json",
    ]);
    assert.equal(held.code, 4);
    assert.equal(JSON.parse(held.stdout).error.code, "WP_CLAIM_CONFLICT");
    const mine = await keel([
      "implement",
      "--no-workspace",
      "--repo",
      root,
      "--mission",
      "m-01KTESTA",
      "--agent",
      "alice",
      "wp02",
    ]);
    assert.equal(mine.code, 0, mine.stderr);
    assert.match(mine.stdout, /WP02/);
    assert.match(mine.stdout, /kitty-specs\/m-01KTESTA\/tasks\/WP02-work\.md/);
    assert.match(mine.stdout, /\.worktrees\/m-01KTESTA-lane-b/);
    const explain = await keel(["next", "--repo", root, "--mission", "m-01KTESTA", "--explain"]);
    assert.equal(explain.code, 0);
    assert.match(explain.stdout, /WP01\s+planned\s+skipped\s+waiting on WP02 \(in_progress\)/);
    assert.match(explain.stdout, /WP02\s+in_progress\s+skipped/);
  });
});

Deno.test("20 implement processes at once never claim a WP twice; the log stays parseable", async () => {
  await withTemp(async (root) => {
    const wps: SynthWp[] = Array.from({ length: 8 }, (_, i) => ({ id: `WP0${i + 1}` }));
    const dir = await writeMission(root, { slug: "race-01KTESTA", missionId: MID, wps });
    const runs = await Promise.all(
      Array.from(
        { length: 20 },
        (_, i) =>
          keel([
            "implement",
            "--no-workspace",
            "--repo",
            root,
            "--mission",
            "race-01KTESTA",
            "--agent",
            `agent-${i}`,
            "--json",
          ]),
      ),
    );
    const claimed = runs.filter((r) => r.code === 0).map((r) => JSON.parse(r.stdout));
    const refused = runs.filter((r) => r.code !== 0);
    assert.equal(claimed.length, 8, runs.map((r) => r.stderr).join("\n"));
    assert.deepEqual(claimed.map((c) => c.wp_id).sort(), wps.map((w) => w.id));
    for (const r of refused) {
      assert.equal(r.code, 1);
      const e = JSON.parse(r.stdout).error;
      assert.equal(e.code, "WP_NOT_CLAIMABLE");
      assert.equal(e.data.reason, "all_wps_in_progress");
    }
    const text = await Deno.readTextFile(join(dir, "status.events.jsonl"));
    const snap = reduceEvents(text); // throws if any line is torn or interleaved
    const claims = text.trimEnd().split("\n").map((l) => JSON.parse(l)).filter((e) =>
      e.from_lane === "planned" && e.to_lane === "claimed"
    );
    assert.equal(claims.length, 8);
    assert.equal(new Set(claims.map((e) => e.wp_id)).size, 8);
    for (const c of claimed) {
      assert.equal(snap.work_packages[c.wp_id]!.lane, "in_progress");
      assert.equal(snap.work_packages[c.wp_id]!.actor, c.agent);
    }
  });
});
