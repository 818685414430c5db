/**
 * Each WP's latest keel run, for `keel review --mission`: runs are found in
 * the main checkout's `.keel/runs/` and in each lane worktree's
 * (`.worktrees/<slug>-<lane>`, when it is a real folder), and belong to a WP
 * by their `meta.mission` stamp (`implement --run`) or, failing that, their
 * contract's `intent.source` (`init --from-wp`).
 *
 * @module
 */

import { join } from "node:path";
import type { RunReport } from "../../schemas/mod.ts";
import type { KeelLayout } from "../contract/mod.ts";
import { LANE_ID, laneOfWp, type Mission, workspacePathFor } from "../mission/mod.ts";
import { listRunIds, loadRunReport } from "../run/mod.ts";

/** A WP's latest run. */
export interface WpRunView {
  wp_id: string;
  /** The WP's lane in lanes.json, or null. */
  lane_id: string | null;
  /** The WP's lane in the event log (`done`, `approved`, …), or `genesis`. */
  status_lane: string;
  /** `aligned`, `drifted` (findings not accepted), `running` (not finished), or `not run`. */
  run_status: "aligned" | "drifted" | "running" | "not run";
  /** The latest run, or null. */
  run: {
    run_id: string;
    contract: string;
    state: string;
    verdict: "aligned" | "drifted" | null;
    started_at: string;
    finished_at: string | null;
    /** Repository-relative folder whose `.keel/runs/` holds it (`.` or the lane worktree). */
    found_in: string;
  } | null;
}

function _wpOf(report: RunReport, slug: string): string | null {
  const stamp = report.meta.mission;
  if (stamp !== undefined) return stamp.slug === slug ? stamp.wp_id : null;
  const source = report.contract_snapshot.intent.source;
  return source !== undefined && source.mission === slug ? source.wp_id : null;
}

async function _isDir(path: string): Promise<boolean> {
  try {
    const info = await Deno.lstat(path);
    return info.isDirectory && !info.isSymlink;
  } catch {
    return false;
  }
}

/**
 * The latest run of every WP of a mission (WPs in file order).
 *
 * @param mission The mission.
 * @returns One entry per WP with an id.
 */
export async function wpRunsOf(mission: Mission): Promise<WpRunView[]> {
  const places = new Set<string>(["."]);
  if (mission.lanes.status === "ok") {
    for (const lane of mission.lanes.manifest.lanes) {
      if (!LANE_ID.test(lane.lane_id)) continue; // never a path outside .worktrees
      const p = workspacePathFor(mission.slug, mission.missionId, lane);
      if (p !== null && p !== "." && await _isDir(join(mission.repoRoot, p))) places.add(p);
    }
  }
  const latest = new Map<string, { report: RunReport; found_in: string }>();
  for (const place of places) {
    const root = join(mission.repoRoot, place);
    const layout: KeelLayout = { root, keelDir: join(root, ".keel"), inGit: true };
    let ids: string[];
    try {
      ids = listRunIds(layout);
    } catch {
      continue;
    }
    for (const id of ids) {
      let report: RunReport;
      try {
        report = await loadRunReport(layout, id);
      } catch {
        continue; // an unreadable report is not this view's to judge
      }
      const wp = _wpOf(report, mission.slug);
      if (wp === null) continue;
      const seen = latest.get(wp);
      const newer = seen === undefined ||
        report.meta.started_at > seen.report.meta.started_at ||
        (report.run_id === seen.report.run_id && seen.report.verdict === null &&
          report.verdict !== null);
      if (newer) latest.set(wp, { report, found_in: place });
    }
  }
  return mission.wps.filter((w) => w.id !== null).map((w) => {
    const wpId = w.id!;
    const lane = laneOfWp(mission.lanes, wpId);
    const states = mission.snapshot.work_packages;
    const hit = latest.get(wpId);
    const r = hit?.report;
    return {
      wp_id: wpId,
      lane_id: lane?.lane_id ?? null,
      status_lane: Object.hasOwn(states, wpId) ? states[wpId]!.lane : "genesis",
      run_status: r === undefined ? "not run" : r.verdict === null ? "running" : r.verdict,
      run: r === undefined ? null : {
        run_id: r.run_id,
        contract: r.contract,
        state: r.state,
        verdict: r.verdict,
        started_at: r.meta.started_at,
        finished_at: r.meta.finished_at,
        found_in: hit!.found_in,
      },
    };
  });
}
