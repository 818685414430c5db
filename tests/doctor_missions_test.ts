/**
 * `doctor` over a kitty-specs folder of synthetic missions in the shapes of
 * the real ones: seeded and unseeded WPs, missions with and without
 * lanes.json (one legacy), annotations and non-lane lines, one without
 * status.json, and one whose status.json is stale like
 * rc3-lane-allocation-single-seam-01M0GGX8's (phantom WP1..WP5).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import type { OpContext } from "../core/context.ts";
import { doctorOp } from "../core/doctor/mod.ts";
import { eventLine } from "../core/mission/mod.ts";
import {
  annotationLine,
  type SynthMission,
  type SynthWp,
  writeMission,
} from "../testing/mission.ts";
import { testContext } from "../testing/context.ts";

const ctxFor = (cwd: string): OpContext =>
  testContext(cwd, { at: "2026-03-04T05:06:07.890Z", stepMs: 0, gitBackend: "cli" });

/**
 * The status.json spec-kitty writes for a mission seeded by `writeMission`:
 * one `genesis→planned` event per seeded WP, plus one move when its lane is
 * not `planned`, all of the n-th seeded WP at second n.
 */
function seededStatus(wps: readonly SynthWp[], extra: Record<string, unknown> = {}) {
  const work_packages: Record<string, { lane: string }> = {};
  let events = 0;
  let seeded = 0;
  let last: string | null = null;
  for (const wp of wps) {
    const lane = wp.lane === undefined ? "planned" : wp.lane;
    if (lane === null) continue;
    seeded++;
    events += lane === "planned" ? 1 : 2;
    last = `SEED${String(seeded).padStart(6, "0")}${lane === "planned" ? "A" : "B"}`;
    work_packages[wp.id] = { lane };
  }
  return { event_count: events, last_event_id: last, work_packages, ...extra };
}

async function withStatus(root: string, mission: SynthMission, status: unknown): Promise<void> {
  const dir = await writeMission(root, mission);
  await Deno.writeTextFile(join(dir, "status.json"), JSON.stringify(status, null, 2) + "\n");
}

Deno.test("keel doctor on synthetic missions of every shape: only the stale status.json is reported", async () => {
  const repo = await Deno.makeTempDir({ prefix: "keel-doctor-missions-" });
  try {
    // workflow-parity: three planned WPs, one lane each.
    const parity: SynthWp[] = [{ id: "WP01" }, { id: "WP02" }, { id: "WP03" }];
    await withStatus(
      repo,
      { slug: "workflow-parity-01KRKTT5", missionId: "01KRKTT58XC5KR0HF523333R9S", wps: parity },
      seededStatus(parity),
    );
    // 067: every WP done.
    const done: SynthWp[] = ["WP01", "WP02", "WP03"].map((id) => ({ id, lane: "done" }));
    await withStatus(
      repo,
      { slug: "067-runtime-recovery", missionId: "01KQ47E813PE1WDF9CF3G8K447", wps: done },
      seededStatus(done),
    );
    // 062: no lanes.json, mixed lanes, two WP files never seeded (absent from status.json).
    const mixed: SynthWp[] = [
      { id: "WP01", lane: "approved" },
      { id: "WP02", lane: "in_progress", actor: "opencode" },
      { id: "WP03", lane: "claimed", actor: "opencode" },
      { id: "WP04" },
      { id: "WP05", lane: null },
      { id: "WP06", lane: null },
    ];
    await withStatus(
      repo,
      {
        slug: "062-fix-doctrine",
        missionId: "01KN7ZFYJ0NQ9H8RKZBE2XPFYZ",
        wps: mixed,
        lanes: null,
      },
      seededStatus(mixed),
    );
    // 064: a legacy lanes.json (doctor reads the log, not lanes.json).
    const legacy: SynthWp[] = ["WP01", "WP02"].map((id) => ({ id, lane: "approved" }));
    await withStatus(repo, {
      slug: "064-identity-cutover",
      missionId: "01KQ47E80QJG8GTVGDCV67RW7M",
      wps: legacy,
      editLanes: (doc) => {
        doc.feature_slug = doc.mission_slug;
        delete doc.mission_slug;
      },
    }, seededStatus(legacy));
    // 2026-08: a non-lane line and annotations (not counted as events).
    const august: SynthWp[] = [{ id: "WP01", lane: "done" }, { id: "WP02", lane: "blocked" }];
    await withStatus(repo, {
      slug: "feature-alias-removal-01KW0N87",
      missionId: "01KW0N87000000000000000000",
      wps: august,
      extraLines: [
        eventLine({ event_id: "01KW0N87000000000000000001", event_type: "WPCreated", payload: {} }),
        annotationLine("WP01", "2026-01-01T00:00:59.000000+00:00", "01KW0N87000000000000000002", {
          note: "verified",
        }),
      ],
    }, seededStatus(august));
    // No status.json at all: nothing to compare.
    await writeMission(repo, {
      slug: "charter-sole-door-01KZ3WAA",
      missionId: "01KZ3WAA000000000000000000",
      wps: [{ id: "WP01", lane: "done" }],
    });
    // rc3: status.json still lists WP1..WP5, whose annotations are gone from the log.
    const rc3: SynthWp[] = ["WP01", "WP02", "WP03", "WP04", "WP05"].map((id) => ({
      id,
      lane: "done",
    }));
    const stale = seededStatus(rc3);
    for (const p of ["WP1", "WP2", "WP3", "WP4", "WP5"]) {
      Object.assign(stale.work_packages, {
        [p]: { actor: "user", force_count: 0, lane: "uninitialized", last_event_id: null },
      });
    }
    await withStatus(
      repo,
      { slug: "rc3-lane-allocation-01M0GGX8", missionId: "01M0GGX8F4B9QVRS6Z001SXNNS", wps: rc3 },
      stale,
    );

    const r = await doctorOp({}, ctxFor(repo));
    assert.equal(r.checked.missions, 7);
    assert.deepEqual(r.problems.map((p) => [p.code, p.path]), [
      ["STATUS_JSON_DISAGREES", "kitty-specs/rc3-lane-allocation-01M0GGX8/status.json"],
    ]);
    const diffs = r.problems[0]!.evidence.differences as {
      wp_id: string;
      status_json_lane: string;
      log_lane: null;
    }[];
    assert.deepEqual(diffs.map((d) => [d.wp_id, d.status_json_lane, d.log_lane]), [
      ["WP1", "uninitialized", null],
      ["WP2", "uninitialized", null],
      ["WP3", "uninitialized", null],
      ["WP4", "uninitialized", null],
      ["WP5", "uninitialized", null],
    ]);
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});
