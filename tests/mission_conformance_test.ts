import assert from "node:assert/strict";
import { join } from "node:path";
import { reduceEvents } from "../core/mission/mod.ts";
import { writeMission } from "../testing/mission.ts";
import { checkMission } from "../scripts/conformance.ts";

const MID = "01KTESTAAAAAAAAAAAAAAAAAAA";

Deno.test("conformance: status.json match, stale cache, reducer mismatch", async () => {
  const root = await Deno.makeTempDir({ prefix: "keel-conf-" });
  try {
    const dir = await writeMission(root, {
      slug: "c-01KTESTA",
      missionId: MID,
      wps: [{ id: "WP01" }, { id: "WP02", lane: "done" }],
    });
    const ks = join(root, "kitty-specs");
    const snap = reduceEvents(await Deno.readTextFile(join(dir, "status.events.jsonl")));
    const write = (v: unknown) =>
      Deno.writeTextFile(join(dir, "status.json"), JSON.stringify(v, null, 2) + "\n");
    await write(snap);
    const ok = await checkMission(ks, "c-01KTESTA");
    assert.equal(ok.status_json, "match");
    assert.deepEqual(ok.violations, []);
    assert.deepEqual(ok.next, {
      wp_id: "WP01",
      selection_reason: null,
      mission_state: "implement",
    });
    assert.deepEqual(ok.implement, { wp_id: "WP01", refused: null });
    // The check ran implement on a copy: the real log is untouched.
    assert.equal(
      reduceEvents(await Deno.readTextFile(join(dir, "status.events.jsonl"))).work_packages.WP01!
        .lane,
      "planned",
    );

    await write({
      ...snap,
      work_packages: { ...snap.work_packages, WP7: { lane: "uninitialized", actor: "x" } },
    });
    const stale = await checkMission(ks, "c-01KTESTA");
    assert.equal(stale.status_json, "stale");
    assert.deepEqual(stale.differences, ["WP7"]);
    assert.deepEqual(stale.violations, []);

    await write({
      ...snap,
      work_packages: {
        ...snap.work_packages,
        WP02: { ...snap.work_packages.WP02!, lane: "approved" },
      },
    });
    const bad = await checkMission(ks, "c-01KTESTA");
    assert.equal(bad.status_json, "mismatch");
    assert.deepEqual(bad.differences, ["WP02"]);
    assert.equal(bad.violations.length, 1);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
