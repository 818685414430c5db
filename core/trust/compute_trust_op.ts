/**
 * `keel trust` / `trust/compute`: measure every domain and the whole over
 * their latest finished runs, decide delegation levels, and write
 * `.keel/trust_metrics.json` atomically.
 *
 * @module
 */

import { join, relative } from "node:path";
import { z } from "zod";
import { parseParams } from "../params.ts";
import type { RunReport } from "../../schemas/run_report.ts";
import { jsonSchemaOf } from "../../schemas/mod.ts";
import { type KeelLayout, locateKeel } from "../contract/layout.ts";
import type { OpContext } from "../context.ts";
import { worktreeLayouts } from "../retro/worktrees.ts";
import { listRunIds, loadRunReport } from "../run/run_store.ts";
import { ensureKeelGitignore } from "../contract/init_op.ts";
import { atomicWriteJson } from "../store/atomic_write.ts";
import { loadTrustConfig, type ResolvedTrustConfig } from "./config.ts";
import { delegationFor } from "./delegation.ts";
import { measureScope } from "./measure_scope.ts";
import { gitRevertFinder, type RevertFinder } from "./reverts.ts";
import { countRejectedReviewCycles } from "./review_rejections.ts";
import { type RunFacts, runFacts } from "./run_facts.ts";
import { type ScopeMetrics, TRUST_METRICS_SCHEMA_VERSION, TrustMetrics } from "./trust_metrics.ts";

/** Params of {@link computeTrustOp}. */
export const ComputeTrustParams = z.strictObject({
  window: z.number().int().min(1).max(1000).optional().describe(
    "Latest N finished runs per scope (default: config trust.window, else 10).",
  ),
  allWorktrees: z.boolean().optional().describe("Read the runs of every worktree."),
});

/** Ports of {@link computeTrustOp} (tests pass fakes). */
export interface ComputeTrustPorts {
  /** Finds reverting commits; default: `git log --all` in the worktree. */
  revertFinder?: RevertFinder;
}

/**
 * Compute trust metrics and delegation levels, and write trust_metrics.json.
 *
 * @param params `{window?, allWorktrees?}`.
 * @param ctx Operation context.
 * @param ports Optional ports.
 * @returns The trust_metrics.json document.
 * @throws {KeelError} CONFIG_INVALID (exit 3) for a bad `.keel/config.json`.
 */
export async function computeTrustOp(
  params: z.input<typeof ComputeTrustParams>,
  ctx: OpContext,
  ports: ComputeTrustPorts = {},
): Promise<TrustMetrics> {
  params = parseParams(ComputeTrustParams, params);
  const gathered = await gatherTrustFacts(params, ctx, ports);
  const checked = trustDocument(gathered, { now: ctx.clock.now() });
  const layout = gathered.layout;
  await atomicWriteJson(
    join(layout.keelDir, "schemas", "trust_metrics.schema.json"),
    jsonSchemaOf("trust_metrics"),
  );
  // Derived and timestamped: kept out of git so parallel lanes never conflict on it.
  await ensureKeelGitignore(layout);
  await atomicWriteJson(join(layout.keelDir, "trust_metrics.json"), checked);
  return checked;
}

/** What {@link gatherTrustFacts} found: the facts of every finished run, and the settings. */
export interface GatheredTrustFacts {
  /** The layout trust is computed for. */
  layout: KeelLayout;
  /** The trust settings (`.keel/config.json`). */
  config: ResolvedTrustConfig;
  /** The window in effect. */
  window: number;
  /** The worktrees whose runs were read. */
  layouts: KeelLayout[];
  /** One entry per finished run. */
  facts: RunFacts[];
  /** What could not be measured, and why. */
  notes: string[];
}

/**
 * The facts of every finished run that trust is computed from (reads run
 * reports, git history and spec-kitty review cycles; writes nothing).
 *
 * @param params `{window?, allWorktrees?}`.
 * @param ctx Operation context.
 * @param ports Optional ports.
 * @returns The facts and the settings in effect.
 * @throws {KeelError} CONFIG_INVALID (exit 3) for a bad `.keel/config.json`.
 */
export async function gatherTrustFacts(
  params: z.input<typeof ComputeTrustParams>,
  ctx: OpContext,
  ports: ComputeTrustPorts = {},
): Promise<GatheredTrustFacts> {
  const layout = locateKeel(ctx.cwd);
  const config = await loadTrustConfig(layout);
  const window = params.window ?? config.window;
  const layouts = params.allWorktrees === true ? await worktreeLayouts(layout) : [layout];
  const notes: string[] = [];
  const found = await _finishedRuns(layouts, notes, layout);
  const finder = ports.revertFinder ??
    gitRevertFinder(layout.root, { backend: ctx.gitBackend });
  const reviews = new Map<string, Promise<number>>();
  const allShas = [...new Set(found.flatMap(({ report }) => report.commits.map((c) => c.sha)))];
  const reverts = await finder(allShas);
  const gitMissing = reverts === null && allShas.length > 0;
  const facts: RunFacts[] = [];
  for (const { report, where } of found) {
    const source = report.contract_snapshot.intent.source;
    let reviewRejections = 0;
    if (source) {
      const k = `${where.root}\u0000${source.mission}\u0000${source.wp_id}`;
      if (!reviews.has(k)) reviews.set(k, countRejectedReviewCycles(where.root, source));
      reviewRejections = await reviews.get(k)!;
    }
    const shas = report.commits.map((c) => c.sha);
    facts.push(runFacts(report, {
      reverted: reverts === null
        ? (shas.length === 0 ? [] : null)
        : shas.filter((s) => reverts.has(s)),
      reviewRejections,
    }));
  }
  if (gitMissing) {
    notes.push("Git history is not available here, so rollback_or_revert_count is unknown (null).");
  }
  return { layout, config, window, layouts, facts, notes };
}

/**
 * The trust_metrics.json document of gathered facts. Pure.
 *
 * @param gathered From {@link gatherTrustFacts}.
 * @param options `now`: the time stamped as `computed_at`.
 * @returns The document, checked against its schema.
 */
export function trustDocument(
  gathered: GatheredTrustFacts,
  options: { now: Date },
): TrustMetrics {
  const { config, window, layouts, facts, layout } = gathered;
  const domains = [...new Set(facts.map((f) => f.domain))].sort();
  const doc: TrustMetrics = {
    $schema: "./schemas/trust_metrics.schema.json",
    schema_version: TRUST_METRICS_SCHEMA_VERSION,
    computed_at: options.now.toISOString(),
    window,
    min_runs: config.min_runs,
    thresholds: config.thresholds,
    worktrees: layouts.map((l) => relative(layout.root, l.root) || "."),
    overall: trustScope("overall", facts, gathered),
    domains: domains.map((d) => trustScope(d, facts.filter((f) => f.domain === d), gathered)),
    notes: [...gathered.notes],
  };
  return TrustMetrics.parse(doc);
}

/**
 * One scope's metrics and delegation level. Pure.
 *
 * @param name The scope (a domain, or `overall`).
 * @param facts The scope's runs.
 * @param settings The window and the trust settings.
 * @returns The scope.
 */
export function trustScope(
  name: string,
  facts: readonly RunFacts[],
  settings: { window: number; config: ResolvedTrustConfig },
): ScopeMetrics {
  const m = measureScope(name, facts, { window: settings.window });
  return { ...m, delegation: delegationFor(m, settings.config) };
}

async function _finishedRuns(
  layouts: KeelLayout[],
  notes: string[],
  here: KeelLayout,
): Promise<{ report: RunReport; where: KeelLayout }[]> {
  const byId = new Map<string, { report: RunReport; where: KeelLayout }>();
  for (const l of layouts) {
    for (const id of listRunIds(l)) {
      let report: RunReport;
      try {
        report = await loadRunReport(l, id);
      } catch {
        const rel = relative(here.root, l.root);
        notes.push(`Skipped run ${id}${rel ? ` in ${rel}` : ""}: its report cannot be read.`);
        continue;
      }
      if (report.state !== "finished") continue;
      const prev = byId.get(id);
      if (prev === undefined || _facts(report) > _facts(prev.report)) {
        byId.set(id, { report, where: l });
      }
    }
  }
  return [...byId.values()];
}

/** How much a copy of a report records (the richer copy of a run wins). */
function _facts(r: RunReport): number {
  return r.deviations.length + (r.rework?.length ?? 0) + (r.defects?.length ?? 0);
}
