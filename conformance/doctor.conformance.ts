/**
 * `keel doctor` on the real spec-kitty missions.
 *
 * @module
 */

import assert from "node:assert/strict";
import { doctorOp } from "../core/doctor/mod.ts";
import { tempRepo } from "../tests/helpers.ts";
import { copyAllMissions, ctxFor } from "./fixtures.ts";

Deno.test({
  name: "keel doctor on the real spec-kitty missions: only the known-stale status.json is reported",
  fn: async () => {
    const repo = await tempRepo();
    try {
      await copyAllMissions(repo);
      const r = await doctorOp({}, ctxFor(repo));
      assert.equal(r.checked.missions, 9);
      assert.deepEqual(r.problems.map((p) => [p.code, p.path]), [
        [
          "STATUS_JSON_DISAGREES",
          "kitty-specs/rc3-lane-allocation-single-seam-01M0GGX8/status.json",
        ],
      ]);
      const diffs = r.problems[0]!.evidence.differences as { wp_id: string; log_lane: null }[];
      assert.deepEqual(diffs.map((d) => [d.wp_id, d.log_lane]), [
        ["WP1", null],
        ["WP2", null],
        ["WP3", null],
        ["WP4", null],
        ["WP5", null],
      ]);
    } finally {
      await Deno.remove(repo, { recursive: true });
    }
  },
});
