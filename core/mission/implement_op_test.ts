/**
 * `implementOp` and `nextOp` in-process with fake ports: a fixed clock and a
 * fake commit-existence port (no git is started; the missions are not in a
 * repository, so only the fake can report a missing `base_commit`).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import fc from "fast-check";
import type { OpContext } from "../context.ts";
import { keelFailure } from "../../testing/keel_failure.ts";
import { type SynthWp, writeMission } from "../../testing/mission.ts";
import { actorsCompatible, implementOp, normalizeWpArg } from "./implement_op.ts";
import { nextOp } from "./next_op.ts";
import { reduceEvents } from "./reduce_events.ts";
import { testContext } from "../../testing/context.ts";

const MID = "01KTUN1TAAAAAAAAAAAAAAAAAA";
const SLUG = "unit-01KTUN1T";
const KNOWN = "1111111111111111111111111111111111111111";
const GONE = "2222222222222222222222222222222222222222";

const ctxFor = (cwd: string, at?: string): OpContext =>
  testContext(cwd, at === undefined ? {} : { at });

/** A fake commit port that knows `KNOWN` and records what it was asked. */
function fakePort(): { asked: string[]; repoHasCommit: (sha: string) => boolean | null } {
  const asked: string[] = [];
  return {
    asked,
    repoHasCommit: (sha) => {
      asked.push(sha);
      return sha === KNOWN ? true : sha === GONE ? false : null;
    },
  };
}

async function withMission<T>(
  wps: SynthWp[],
  fn: (root: string, log: string) => Promise<T>,
): Promise<T> {
  const root = await Deno.makeTempDir({ prefix: "keel-implement-unit-" });
  try {
    const dir = await writeMission(root, { slug: SLUG, missionId: MID, wps });
    return await fn(root, join(dir, "status.events.jsonl"));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("implementOp claims what nextOp names, at the fake clock's time, warning from the fake port", async () => {
  await withMission(
    [
      { id: "WP01", lane: "approved" },
      { id: "WP02", deps: ["WP01"], baseCommit: GONE },
      { id: "WP03", baseCommit: KNOWN },
    ],
    async (root, log) => {
      const port = fakePort();
      const ctx = ctxFor(root);
      const next = await nextOp({ mission: SLUG, agent: "unit" }, ctx, port);
      assert.equal(next.wp_id, "WP02");
      assert.equal(next.timestamp, "2026-11-01T10:00:00.000Z");
      const warning = {
        code: "BASE_COMMIT_MISSING",
        wp_id: "WP02",
        base_commit: GONE,
        message: `WP02 records base_commit ${GONE}, which is not in this repository ` +
          "(a squashed or unfetched branch?); start it from the lane's base yourself",
      };
      assert.deepEqual(next.warnings, [warning]);
      const r = await implementOp({ mission: SLUG, agent: "unit", workspace: false }, ctx, port);
      assert.equal(r.wp_id, "WP02");
      assert.equal(r.action, "claimed");
      assert.equal(r.from_lane, "planned");
      assert.deepEqual(r.warnings, [warning]);
      // Only the chosen WP's base commit is looked up (by next, then by implement's plan).
      assert.ok(port.asked.length >= 2, String(port.asked));
      assert.deepEqual([...new Set(port.asked)], [GONE]);
      assert.equal(r.event_log.status, "left");
      const lines = (await Deno.readTextFile(log)).trimEnd().split("\n").slice(-2).map((l) =>
        JSON.parse(l)
      );
      assert.deepEqual(lines.map((e) => [e.from_lane, e.to_lane, e.at, e.actor]), [
        ["planned", "claimed", "2026-11-01T10:00:01.000000+00:00", "unit"],
        ["claimed", "in_progress", "2026-11-01T10:00:01.000000+00:00", "unit"],
      ]);
      assert.deepEqual(r.event_ids, lines.map((e) => e.event_id));
      // The next call names the next WP; its base commit is known: no warning.
      const after = await nextOp({ mission: SLUG }, ctx, port);
      assert.equal(after.wp_id, "WP03");
      assert.deepEqual(after.warnings, []);
    },
  );
});

Deno.test("implementOp refuses with WP_NOT_CLAIMABLE and the reason next gives, writing nothing", async (t) => {
  const cases: { name: string; wps: SynthWp[]; reason: string }[] = [
    {
      name: "dependencies_not_satisfied",
      wps: [{ id: "WP01", lane: "in_progress", actor: "other" }, { id: "WP02", deps: ["WP01"] }],
      reason: "dependencies_not_satisfied",
    },
    {
      name: "all_wps_in_progress",
      wps: [{ id: "WP01", lane: "for_review" }, { id: "WP02", lane: "done" }],
      reason: "all_wps_in_progress",
    },
    { name: "not_finalized", wps: [{ id: "WP01", lane: null }], reason: "not_finalized" },
    { name: "no_planned_wps", wps: [{ id: "WP01", lane: "canceled" }], reason: "no_planned_wps" },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await withMission(c.wps, async (root, log) => {
        const before = await Deno.readTextFile(log);
        const ctx = ctxFor(root);
        const port = fakePort();
        const next = await nextOp({ mission: SLUG }, ctx, port);
        assert.equal(next.wp_id, null);
        assert.equal(next.selection_reason, c.reason);
        const e = await keelFailure(
          implementOp({ mission: SLUG, agent: "unit", workspace: false }, ctx, port),
        );
        assert.equal(e.code, "WP_NOT_CLAIMABLE");
        assert.equal(e.exitCode, 1);
        assert.equal(e.data.reason, c.reason);
        assert.deepEqual(e.data.candidates, next.candidates);
        assert.equal(await Deno.readTextFile(log), before);
        await assert.rejects(Deno.stat(join(root, ".keel")), Deno.errors.NotFound);
      });
    });
  }
  await t.step("an explicit WP held by another agent: WP_CLAIM_CONFLICT", async () => {
    await withMission([{ id: "WP01", lane: "claimed", actor: "alice" }], async (root, log) => {
      const before = await Deno.readTextFile(log);
      const e = await keelFailure(
        implementOp({ mission: SLUG, agent: "bob", wp: "wp01", workspace: false }, ctxFor(root), {
          repoHasCommit: () => true,
        }),
      );
      assert.equal(e.code, "WP_CLAIM_CONFLICT");
      assert.deepEqual(e.data, { wp_id: "WP01", holder: "alice" });
      assert.equal(await Deno.readTextFile(log), before);
    });
  });
});

Deno.test("normalizeWpArg and actorsCompatible", () => {
  assert.equal(normalizeWpArg(" wp07-anything "), "WP07");
  assert.equal(normalizeWpArg("WP12"), "WP12");
  assert.equal(normalizeWpArg("lane-a"), "lane-a");
  assert.equal(actorsCompatible(null, "a"), true);
  assert.equal(actorsCompatible(" a ", "a"), true);
  assert.equal(actorsCompatible("implement-command", "a"), true);
  assert.equal(actorsCompatible("unknown", "a"), true);
  assert.equal(actorsCompatible("b", "a"), false);
  assert.equal(actorsCompatible("", " "), false);
});

// ---- property: next's wp_id (and warnings) are what implement claims, over random missions ----

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
  fc.array(
    fc.record({
      lane: fc.constantFrom(...LANES),
      deps: fc.subarray([...Array.from({ length: n }, (_, j) => `WP0${j + 1}`), "WP09"]),
      legacy: fc.boolean(),
      base: fc.constantFrom(undefined, KNOWN, GONE, "3333333333333333333333333333333333333333"),
    }),
    { minLength: n, maxLength: n },
  )
);

Deno.test("property: with fake ports, next's wp_id and warnings are exactly what implement claims", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "keel-implement-prop-" });
  try {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(missionArb, async (spec) => {
        const root = join(tmp, `r${run++}`);
        const wps: SynthWp[] = spec.map((w, i) => {
          const id = `WP0${i + 1}`;
          const deps = w.deps.filter((d) => d !== id);
          return {
            id,
            lane: w.lane,
            deps: w.legacy ? deps.join(", ") : deps,
            ...(w.base === undefined ? {} : { baseCommit: w.base }),
          };
        });
        const dir = await writeMission(root, { slug: SLUG, missionId: MID, wps });
        const log = join(dir, "status.events.jsonl");
        const ctx = ctxFor(root);
        const port = fakePort();
        const next = await nextOp({ mission: SLUG, agent: "prop" }, ctx, port);
        assert.ok((next.wp_id === null) !== (next.selection_reason === null));
        const before = await Deno.readTextFile(log);
        if (next.wp_id === null) {
          const e = await keelFailure(
            implementOp({ mission: SLUG, agent: "prop", workspace: false }, ctx, port),
          );
          assert.equal(e.code, "WP_NOT_CLAIMABLE");
          assert.equal(e.data.reason, next.selection_reason);
          assert.equal(await Deno.readTextFile(log), before);
          return;
        }
        const base = wps.find((w) => w.id === next.wp_id)!.baseCommit;
        assert.equal(next.warnings.length, base === GONE ? 1 : 0);
        const r = await implementOp({ mission: SLUG, agent: "prop", workspace: false }, ctx, port);
        assert.equal(r.wp_id, next.wp_id);
        assert.deepEqual(r.warnings, next.warnings);
        const wp = reduceEvents(await Deno.readTextFile(log)).work_packages[r.wp_id]!;
        assert.equal(wp.lane, "in_progress");
        assert.equal(wp.actor, "prop");
      }),
      { numRuns: 50 },
    );
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
