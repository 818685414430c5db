import assert from "node:assert/strict";
import {
  laneBranchCandidates,
  laneBranchName,
  lanesInMergeOrder,
  readLanesManifest,
} from "./lanes_manifest.ts";

const BASE = {
  version: 1,
  mission_slug: "demo-01KQH03Y",
  mission_branch: "kitty/mission-demo-01KQH03Y",
  target_branch: "main",
  computed_at: "2026-05-01T00:00:00+00:00",
  computed_from: "dependency_graph+ownership",
};

async function _read(value: unknown): Promise<ReturnType<typeof readLanesManifest>> {
  const dir = await Deno.makeTempDir();
  try {
    if (value !== undefined) {
      await Deno.writeTextFile(
        `${dir}/lanes.json`,
        typeof value === "string" ? value : JSON.stringify(value),
      );
    }
    return await readLanesManifest(dir, "kitty-specs/demo-01KQH03Y");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("readLanesManifest() reads lanes and refuses missing, corrupt and legacy files", async (t) => {
  await t.step("lanes with defaults, merge order by parallel_group then lane_id", async () => {
    const m = await _read({
      ...BASE,
      lanes: [
        { lane_id: "lane-c", wp_ids: ["WP05"], parallel_group: 1 },
        { lane_id: "lane-b", wp_ids: ["WP03", "WP04"] },
        { lane_id: "lane-planning", wp_ids: ["WP00"], parallel_group: 0 },
        { lane_id: "lane-a", wp_ids: ["WP01"], parallel_group: 0, depends_on_lanes: [] },
      ],
    });
    assert.equal(m.path, "kitty-specs/demo-01KQH03Y/lanes.json");
    assert.deepEqual(lanesInMergeOrder(m.lanes).map((l) => l.lane_id), [
      "lane-a",
      "lane-b",
      "lane-planning",
      "lane-c",
    ]);
    assert.deepEqual(m.lanes[1], {
      lane_id: "lane-b",
      wp_ids: ["WP03", "WP04"],
      parallel_group: 0,
      depends_on_lanes: [],
      write_scope: [],
    });
  });
  await t.step("LANES_JSON_MISSING", async () => {
    await assert.rejects(_read(undefined), (e: { code: string; data: { path: string } }) => {
      assert.equal(e.code, "LANES_JSON_MISSING");
      assert.equal(e.data.path, "kitty-specs/demo-01KQH03Y/lanes.json");
      return true;
    });
  });
  await t.step("LANES_JSON_INVALID with the reason", async () => {
    const cases: [unknown, RegExp][] = [
      ["{ nope", /not valid JSON/],
      [[1, 2], /not a JSON object/],
      [{ ...BASE, feature_slug: "x", lanes: [] }, /legacy 'feature_slug'/],
      [{ ...BASE, lanes: undefined }, /missing key\(s\): lanes/],
      [{ ...BASE, lanes: [{ wp_ids: [] }] }, /lanes\[0\]\.lane_id is missing/],
      [{ ...BASE, lanes: [{ lane_id: "lane-a", wp_ids: "WP01" }] }, /wp_ids is not a list/],
    ];
    for (const [value, reason] of cases) {
      await assert.rejects(_read(value), (e: { code: string; data: { reason: string } }) => {
        assert.equal(e.code, "LANES_JSON_INVALID");
        assert.match(e.data.reason, reason);
        return true;
      });
    }
  });
});

Deno.test("lane branch names follow spec-kitty's naming", () => {
  const modern = { ...BASE, path: "", lanes: [] };
  assert.equal(laneBranchName(modern, "lane-a"), "kitty/mission-demo-01KQH03Y-lane-a");
  assert.equal(laneBranchName(modern, "lane-planning"), "main");
  assert.deepEqual(laneBranchCandidates(modern, "lane-b", "01KQH03YSS4H9PQVJ5YCTGZYMR"), [
    "kitty/mission-demo-01KQH03Y-lane-b",
  ]);
  const legacy = {
    ...modern,
    mission_slug: "067-runtime-recovery",
    mission_branch: "kitty/mission-067-runtime-recovery",
  };
  assert.deepEqual(laneBranchCandidates(legacy, "lane-a", "01KQ47E813PE1WDF9CF3G8K447"), [
    "kitty/mission-067-runtime-recovery-lane-a",
    "kitty/mission-runtime-recovery-01KQ47E8-lane-a",
  ]);
  assert.deepEqual(laneBranchCandidates(legacy, "lane-a", null), [
    "kitty/mission-067-runtime-recovery-lane-a",
  ]);
});
