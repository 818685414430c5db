/**
 * The three report views, each gathered from the results the CLI and RPC
 * already return: a run is `driftOp`'s report, history is the trust facts
 * and metrics of `keel trust` plus the run reports, a mission is
 * `missionStatusOp`'s status plus the review-artifact gate `merge` runs.
 * Nothing is analysed a second time and nothing is written.
 *
 * @module
 */

import { join } from "node:path";
import type { RunReport } from "../../schemas/run_report.ts";
import { locateKeel } from "../layout/mod.ts";
import type { OpContext } from "../context.ts";
import {
  checkReviewArtifacts,
  readLanesManifest,
  type ReviewArtifactBlocker,
  reviewCycleDirs,
} from "../gates/mod.ts";
import { missionStatusOp, type MissionStatusResult, openMission } from "../mission/mod.ts";
import { acceptanceOf } from "../retro/mod.ts";
import { driftOp, listRunIds, loadRunReport } from "../run/mod.ts";
import {
  gatherTrustFacts,
  type Metrics,
  type RunFacts,
  trustDocument,
  type TrustMetrics,
  trustScope,
} from "../trust/mod.ts";

/** A run, as `keel drift` returns it. */
export interface RunView {
  kind: "run";
  report: RunReport;
}

/** One run in the history's run list. */
export interface HistoryRun {
  run_id: string;
  contract: string;
  domain: string;
  state: "running" | "finished";
  verdict: "aligned" | "drifted" | null;
  agent: string | null;
  started_at: string;
  finished_at: string | null;
  findings: { id: string; code: string; severity: string; accepted: boolean }[];
}

/** The names of the trust metrics, in the order the reports show them. */
export const METRIC_NAMES = [
  "plan_drift_rate",
  "test_gate_failure_rate",
  "review_churn_rate",
  "rollback_or_revert_count",
  "post_merge_defect_rate",
  "approval_latency_minutes",
] as const satisfies readonly (keyof Metrics)[];

/** A trust metric's name. */
export type MetricName = typeof METRIC_NAMES[number];

/** One scope's metrics as they stood after each of its finished runs. */
export interface HistorySeries {
  scope: string;
  /** The scope's finished runs, oldest first. */
  run_ids: string[];
  /** Per metric, its value measured over the window ending at each run. */
  metrics: Record<MetricName, (number | null)[]>;
}

/** Trust over time, delegation levels and the run list. */
export interface HistoryView {
  kind: "history";
  trust: TrustMetrics;
  /** Per domain, then overall. */
  series: HistorySeries[];
  /** Every run, oldest first. */
  runs: HistoryRun[];
  /** Runs that could not be read. */
  notes: string[];
}

/** A spec-kitty mission as a board. */
export interface MissionView {
  kind: "mission";
  status: MissionStatusResult;
  /** Review-artifact blockers that would stop `merge`. */
  blockers: ReviewArtifactBlocker[];
  /** Review-cycle files per WP id. */
  review_cycles: Record<string, number>;
  /** Why the merge gate could not be read in full (lanes.json missing or invalid), or null. */
  merge_note: string | null;
}

/** Any view. */
export type ReportView = RunView | HistoryView | MissionView;

/**
 * The run view: the report `keel drift` shows (stored for a finished run, a
 * preview analysis for a running one).
 *
 * @param params `{run?, contract?}`.
 * @param ctx Operation context.
 * @returns The view.
 * @throws {KeelError} RUN_NOT_FOUND, RUN_REPORT_INVALID, GIT_FAILED.
 */
export async function gatherRunView(
  params: { run?: string; contract?: string },
  ctx: OpContext,
): Promise<RunView> {
  return { kind: "run", report: await driftOp(params, ctx) };
}

/**
 * The history view: trust facts as `keel trust` gathers them (without
 * writing trust_metrics.json), each metric over time, and every run.
 *
 * @param params `{window?}`.
 * @param ctx Operation context.
 * @returns The view.
 * @throws {KeelError} CONFIG_INVALID.
 */
export async function gatherHistoryView(
  params: { window?: number },
  ctx: OpContext,
): Promise<HistoryView> {
  const gathered = await gatherTrustFacts(
    params.window === undefined ? {} : { window: params.window },
    ctx,
  );
  const trust = trustDocument(gathered, { now: ctx.clock.now() });
  const scopes = [...trust.domains.map((d) => d.scope), "overall"];
  const series = scopes.map((scope) =>
    historySeries(
      scope,
      scope === "overall" ? gathered.facts : gathered.facts.filter((f) => f.domain === scope),
      gathered,
    )
  );
  const layout = locateKeel(ctx.cwd);
  const runs: HistoryRun[] = [];
  const notes: string[] = [];
  for (const id of listRunIds(layout)) {
    let r: RunReport;
    try {
      r = await loadRunReport(layout, id);
    } catch {
      notes.push(`Skipped run ${id}: its report cannot be read.`);
      continue;
    }
    runs.push({
      run_id: r.run_id,
      contract: r.contract,
      domain: r.contract_snapshot.intent.domain,
      state: r.state,
      verdict: r.verdict,
      agent: r.meta.agent,
      started_at: r.meta.started_at,
      finished_at: r.meta.finished_at,
      findings: r.findings.map((f, i) => ({
        id: f.id ?? `#${i + 1}`,
        code: f.code,
        severity: f.severity,
        accepted: acceptanceOf(f, r.deviations) !== undefined,
      })),
    });
  }
  return { kind: "history", trust, series, runs, notes };
}

/**
 * One scope's metrics after each of its runs: the metrics `keel trust`
 * would have shown right after that run finished (same window). Pure.
 *
 * @param scope The scope's name.
 * @param facts The scope's runs.
 * @param settings Window and trust settings.
 * @returns The series.
 */
export function historySeries(
  scope: string,
  facts: readonly RunFacts[],
  settings: Parameters<typeof trustScope>[2],
): HistorySeries {
  const ordered = [...facts].sort((a, b) =>
    a.finished_at < b.finished_at
      ? -1
      : a.finished_at > b.finished_at
      ? 1
      : a.run_id < b.run_id
      ? -1
      : a.run_id > b.run_id
      ? 1
      : 0
  );
  const metrics = Object.fromEntries(
    METRIC_NAMES.map((m) => [m, [] as (number | null)[]]),
  ) as HistorySeries["metrics"];
  for (let k = 1; k <= ordered.length; k++) {
    const m = trustScope(scope, ordered.slice(0, k), settings).metrics;
    for (const name of METRIC_NAMES) metrics[name].push(m[name]);
  }
  return { scope, run_ids: ordered.map((f) => f.run_id), metrics };
}

/**
 * The mission view: `keel mission status` and the review-artifact gate over
 * the WPs `merge` would merge (every WP when lanes.json is missing or
 * invalid), with the review cycles of each WP.
 *
 * @param params `{mission}`: slug, mission_id or its prefix.
 * @param ctx Operation context.
 * @returns The view.
 * @throws {KeelError} USAGE (empty handle), KITTY_SPECS_NOT_FOUND, MISSION_NOT_FOUND,
 *   MISSION_AMBIGUOUS, MISSION_META_INVALID, EVENT_LOG_CORRUPT.
 */
export async function gatherMissionView(
  params: { mission: string },
  ctx: OpContext,
): Promise<MissionView> {
  const gm = await openMission(ctx.cwd, params.mission);
  const status = await missionStatusOp({ mission: params.mission }, ctx);
  let wpIds: string[] | undefined;
  let mergeNote: string | null = null;
  try {
    wpIds = (await readLanesManifest(gm.dir, gm.repoRelDir)).lanes.flatMap((l) => l.wp_ids);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== "LANES_JSON_MISSING" && code !== "LANES_JSON_INVALID") throw error;
    mergeNote = `${code}: ${(error as Error).message}`;
  }
  const gate = await checkReviewArtifacts(gm, wpIds === undefined ? {} : { wpIds });
  const tasks = join(gm.dir, "tasks");
  const reviewCycles: Record<string, number> = {};
  for (const wp of status.wps) {
    let n = 0;
    for (const dir of await reviewCycleDirs(tasks, wp.wp_id)) {
      try {
        for await (const e of Deno.readDir(join(tasks, dir))) {
          if (e.isFile && /^review-cycle-.*\.md$/.test(e.name)) n++;
        }
      } catch {
        // A folder that vanished or cannot be listed has no cycles to show.
      }
    }
    reviewCycles[wp.wp_id] = n;
  }
  return {
    kind: "mission",
    status,
    blockers: gate.blockers,
    review_cycles: reviewCycles,
    merge_note: mergeNote,
  };
}
