/**
 * Lane workspaces on the real spec-kitty missions: path, branch and base
 * commit are spec-kitty's for every lane.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { openMission, prepareWorkspace } from "../core/mission/mod.ts";
import { git, laneRepo } from "../testing/git.ts";
import { copyMission, FIXTURES_DIR } from "./fixtures.ts";

/** A git repository on `main` with local identity, `.worktrees/` ignored. */
async function repo(): Promise<string> {
  const dir = await laneRepo("keel-conformance-ws-");
  await Deno.writeTextFile(join(dir, "README.md"), "# r\n");
  return dir;
}

async function rev(cwd: string, ref: string): Promise<string> {
  return (await git(cwd, "rev-parse", ref)).trim();
}

Deno.test({
  name: "fixture lanes: path, branch and base commit are spec-kitty's for every lane",
  fn: async () => {
    let lanesChecked = 0;
    const missions: string[] = [];
    for (
      const entry of [...Deno.readDirSync(FIXTURES_DIR)].sort((a, b) => a.name < b.name ? -1 : 1)
    ) {
      if (!entry.isDirectory) continue;
      const meta = JSON.parse(await Deno.readTextFile(join(FIXTURES_DIR, entry.name, "meta.json")));
      let lanes: Record<string, unknown>;
      try {
        lanes = JSON.parse(await Deno.readTextFile(join(FIXTURES_DIR, entry.name, "lanes.json")));
      } catch {
        continue;
      }
      if (!("mission_slug" in lanes) || meta.coordination_branch || lanes.planning_commit_sha) {
        continue;
      }
      missions.push(entry.name);
      const root = await repo();
      try {
        await copyMission(entry.name, root);
        await git(root, "add", "-A");
        await git(root, "commit", "-qm", "fixture");
        const target = String(lanes.target_branch);
        if (target !== "main") await git(root, "branch", target, "main");
        const tip = await rev(root, target);
        const mission = await openMission(root, entry.name);
        const missionBranch = String(lanes.mission_branch);
        const ordered = [
          ...(lanes.lanes as { lane_id: string; wp_ids: string[]; parallel_group: number }[]),
        ]
          .sort((a, b) => a.parallel_group - b.parallel_group || (a.lane_id < b.lane_id ? -1 : 1));
        for (const lane of ordered) {
          const ws = await prepareWorkspace({ mission, wpId: lane.wp_ids[0]! });
          if (lane.lane_id === "lane-planning") {
            assert.equal(ws.path, ".");
            continue;
          }
          assert.equal(ws.path, `.worktrees/${entry.name}-${lane.lane_id}`, entry.name);
          assert.equal(ws.branch, `${missionBranch}-${lane.lane_id}`, entry.name);
          assert.equal(ws.branch, `kitty/mission-${entry.name}-${lane.lane_id}`, entry.name);
          assert.equal(ws.base_branch, missionBranch);
          assert.equal(ws.base_commit, tip);
          assert.equal(await rev(join(root, ws.path), "HEAD"), tip);
          lanesChecked++;
        }
      } finally {
        await Deno.remove(root, { recursive: true });
      }
    }
    assert.deepEqual(missions, [
      "067-runtime-recovery-and-audit-safety",
      "feature-alias-removal-01KW0N87",
      "private-teamspace-ingress-safeguards-01KQH03Y",
      "read-side-seam-primary-primitive-closure-01KYKMMT",
      "workflow-parity-988-989-991-01KRKTT5",
    ]);
    assert.equal(lanesChecked, 5 + 6 + 1 + 9 + 3);
  },
});
