/**
 * A synthetic spec-kitty mission for the report tests: ten WPs spread over
 * the nine lanes, one WP the selection picks next, and a done WP whose latest
 * review cycle rejects it (a merge blocker).
 *
 * @module
 */

import { writeFile } from "./helpers.ts";

/** Lanes each WP walks through, in order (the last is where it ends). */
export const MISSION_WALKS: Record<string, { lanes: string[]; actor?: string; deps?: string[] }> = {
  WP01: { lanes: ["claimed", "in_progress", "for_review", "in_review", "approved", "done"] },
  WP02: { lanes: ["claimed", "in_progress", "for_review", "in_review", "approved"] },
  WP03: { lanes: ["claimed", "in_progress", "for_review"], actor: "codex" },
  WP04: { lanes: ["claimed", "in_progress"], actor: "claude" },
  WP05: { lanes: [], deps: ["WP01"] },
  WP06: { lanes: [], deps: ["WP04"] },
  WP07: { lanes: ["claimed", "in_progress", "blocked"], actor: "claude" },
  WP08: { lanes: ["canceled"] },
  WP09: { lanes: ["claimed"], actor: "gemini" },
  WP10: { lanes: ["claimed", "in_progress", "for_review", "in_review"], actor: "reviewer-bot" },
};

export const MISSION_SLUG = "042-report-board";

/** Write the synthetic mission: meta, WP files, events, lanes.json, review cycles. */
export async function writeBoardMission(root: string): Promise<void> {
  const dir = `kitty-specs/${MISSION_SLUG}`;
  await writeFile(
    root,
    `${dir}/meta.json`,
    JSON.stringify(
      {
        friendly_name: "Report board",
        mission_id: "01KR0000000000000000000042",
        mission_slug: MISSION_SLUG,
        mission_type: "software-dev",
        slug: MISSION_SLUG,
        target_branch: "main",
        topology: "lanes",
        created_at: "2026-05-01T00:00:00+00:00",
      },
      null,
      2,
    ) + "\n",
  );
  const events: string[] = [];
  let n = 0;
  const push = (wp: string, from: string, to: string, actor: string, force: boolean) => {
    n++;
    events.push(JSON.stringify({
      actor,
      at: `2026-05-01T10:${String(Math.floor(n / 60)).padStart(2, "0")}:${
        String(n % 60).padStart(2, "0")
      }.000000+00:00`,
      event_id: `01KR${String(n).padStart(22, "0")}`,
      evidence: null,
      execution_mode: "worktree",
      force,
      from_lane: from,
      mission_slug: MISSION_SLUG,
      reason: force ? "canonical bootstrap" : null,
      review_ref: null,
      review_result: to === "approved" && wp === "WP02"
        ? { verdict: "approved", reviewer: "maintainer", reference: "review-cycle-1" }
        : null,
      to_lane: to,
      wp_id: wp,
    }));
  };
  for (const [wp, walk] of Object.entries(MISSION_WALKS)) {
    await writeFile(
      root,
      `${dir}/tasks/${wp}-work.md`,
      `---\nwork_package_id: ${wp}\ntitle: Build part ${wp.slice(2)}\ndependencies: [${
        (walk.deps ?? []).join(", ")
      }]\n---\n\n# ${wp}\n`,
    );
    push(wp, "planned", "planned", "finalize-tasks", true);
    let from = "planned";
    for (const lane of walk.lanes) {
      push(wp, from, lane, walk.actor ?? "agent", lane === "canceled" || lane === "blocked");
      from = lane;
    }
  }
  await writeFile(root, `${dir}/status.events.jsonl`, events.join("\n") + "\n");
  await writeFile(root, `${dir}/tasks.md`, "# Tasks\n");
  await writeFile(
    root,
    `${dir}/lanes.json`,
    JSON.stringify(
      {
        version: 1,
        mission_slug: MISSION_SLUG,
        mission_id: "01KR0000000000000000000042",
        mission_branch: `kitty/mission-${MISSION_SLUG}`,
        target_branch: "main",
        lanes: [{
          lane_id: "lane-a",
          wp_ids: Object.keys(MISSION_WALKS),
          write_scope: ["src/**"],
          predicted_surfaces: [],
          depends_on_lanes: [],
          parallel_group: 0,
        }],
        computed_at: "2026-05-01T00:00:00+00:00",
        computed_from: "dependency_graph+ownership",
        planning_artifact_wps: [],
      },
      null,
      2,
    ),
  );
  // WP01 is done but its latest review cycle rejects it: merge must refuse.
  await writeFile(
    root,
    `${dir}/tasks/WP01-work/review-cycle-1.md`,
    "---\ncycle_number: 1\nwp_id: WP01\nverdict: approved\n---\n\nGood.\n",
  );
  await writeFile(
    root,
    `${dir}/tasks/WP01-work/review-cycle-2.md`,
    "---\ncycle_number: 2\nwp_id: WP01\nverdict: rejected\n---\n\nNot yet.\n",
  );
  await writeFile(
    root,
    `${dir}/tasks/WP02-work/review-cycle-1.md`,
    "---\ncycle_number: 1\nwp_id: WP02\nverdict: approved\n---\n\nGood.\n",
  );
}
