/**
 * The trust settings in `.keel/config.json` (key `trust`): the window, the
 * minimum number of runs before a level is given, and the thresholds of each
 * delegation level. Every field is optional; missing ones take the defaults.
 *
 * @module
 */

import { join } from "../util/mod.ts";
import { z } from "zod";
import type { KeelLayout } from "../layout/mod.ts";
import { KeelError } from "../errors.ts";
import { safeReadTextFile } from "../store/mod.ts";

/** The metrics a delegation level is decided from. */
export const LEVEL_METRICS = [
  "plan_drift_rate",
  "test_gate_failure_rate",
  "review_churn_rate",
  "rollback_or_revert_count",
  "post_merge_defect_rate",
] as const;

/** One of {@link LEVEL_METRICS}. */
export type LevelMetric = typeof LEVEL_METRICS[number];

const Bound = z.number().min(0);

/** Thresholds of one metric. */
export const MetricThreshold = z.strictObject({
  high_max: Bound.describe("high-trust needs the metric at or below this."),
  low_min: Bound.describe("The metric at or above this makes the domain low-trust."),
});

/** Thresholds of one metric's type. */
export type MetricThreshold = z.infer<typeof MetricThreshold>;

/** The defaults, documented in docs/drift-loop.md (trust metrics). */
export const DEFAULT_TRUST_CONFIG = {
  window: 10,
  min_runs: 3,
  thresholds: {
    plan_drift_rate: { high_max: 0.1, low_min: 0.4 },
    test_gate_failure_rate: { high_max: 0.1, low_min: 0.3 },
    review_churn_rate: { high_max: 0.2, low_min: 0.5 },
    rollback_or_revert_count: { high_max: 0, low_min: 2 },
    post_merge_defect_rate: { high_max: 0, low_min: 0.2 },
  },
} as const satisfies ResolvedTrustConfig;

/** The `trust` block of config.json (every field optional). */
export const TrustConfigInput = z.strictObject({
  window: z.number().int().min(1).max(1000).optional().describe(
    "How many of the latest finished runs each scope looks at (default 10).",
  ),
  min_runs: z.number().int().min(1).optional().describe(
    "Fewer runs than this in a scope is insufficient-data (default 3).",
  ),
  thresholds: z.strictObject(
    Object.fromEntries(LEVEL_METRICS.map((m) => [m, MetricThreshold.partial().optional()])) as {
      [K in LevelMetric]: z.ZodOptional<ReturnType<typeof MetricThreshold.partial>>;
    },
  ).optional().describe("Per metric: high_max and low_min."),
});

/** config.json: other keys belong to other features and are kept as they are. */
export const KeelConfig = z.looseObject({
  trust: TrustConfigInput.optional(),
  approvers: z.array(z.string().min(1)).optional().describe(
    "Who may approve: `name` (matches --by) or `name <email>` (also needs that git user.email).",
  ),
});

/** A validated config.json. */
export type KeelConfig = z.infer<typeof KeelConfig>;

/** The settings with every default filled in. */
export interface ResolvedTrustConfig {
  window: number;
  min_runs: number;
  thresholds: Record<LevelMetric, MetricThreshold>;
}

/**
 * Read `.keel/config.json` and resolve the trust settings. A missing file
 * gives the defaults.
 *
 * @param layout Where .keel is.
 * @returns The settings.
 * @throws {KeelError} CONFIG_INVALID (exit 3) for bad JSON, a wrong field, or
 *   a threshold whose high_max is not below its low_min.
 */
export async function loadTrustConfig(layout: KeelLayout): Promise<ResolvedTrustConfig> {
  const config = await readKeelConfig(layout);
  return config === null ? structuredClone(DEFAULT_TRUST_CONFIG) : _resolveTrust(config, _DISPLAY);
}

const _DISPLAY = ".keel/config.json";

/**
 * `.keel/config.json`, read through the safe reader and validated: the one
 * reader of the file (trust thresholds, approvers).
 *
 * @param layout Where .keel is.
 * @returns The config, or `null` when there is none.
 * @throws {KeelError} CONFIG_INVALID (exit 3) for bad JSON or a wrong field; a
 *   refused path (symlink, special file) keeps its own code.
 */
export async function readKeelConfig(layout: KeelLayout): Promise<KeelConfig | null> {
  let text: string;
  try {
    text = await safeReadTextFile(join(layout.keelDir, "config.json"));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new KeelError("CONFIG_INVALID", `Cannot parse ${_DISPLAY}: ${(error as Error).message}`, {
      data: { path: _DISPLAY, issues: [{ path: "", message: (error as Error).message }] },
    });
  }
  return parseKeelConfig(raw, _DISPLAY);
}

/**
 * Validate a parsed config.json.
 *
 * @param raw The parsed file.
 * @param display The path shown in errors.
 * @returns The config.
 * @throws {KeelError} CONFIG_INVALID `{path, issues}`.
 */
export function parseKeelConfig(raw: unknown, display = _DISPLAY): KeelConfig {
  const parsed = KeelConfig.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      path: i.path.map(String).join("."),
      message: i.message,
    }));
    throw new KeelError(
      "CONFIG_INVALID",
      `${display} is invalid: ` +
        issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; "),
      { data: { path: display, issues } },
    );
  }
  return parsed.data;
}

/**
 * Validate a parsed config.json and fill in the defaults.
 *
 * @param raw The parsed file.
 * @param display The path shown in errors.
 * @returns The settings.
 * @throws {KeelError} CONFIG_INVALID.
 */
export function resolveTrustConfig(
  raw: unknown,
  display = _DISPLAY,
): ResolvedTrustConfig {
  return _resolveTrust(parseKeelConfig(raw, display), display);
}

function _resolveTrust(config: KeelConfig, display: string): ResolvedTrustConfig {
  const t = config.trust ?? {};
  const thresholds = {} as Record<LevelMetric, MetricThreshold>;
  const issues: { path: string; message: string }[] = [];
  for (const m of LEVEL_METRICS) {
    const given = t.thresholds?.[m] ?? {};
    const th = {
      high_max: given.high_max ?? DEFAULT_TRUST_CONFIG.thresholds[m].high_max,
      low_min: given.low_min ?? DEFAULT_TRUST_CONFIG.thresholds[m].low_min,
    };
    if (th.high_max >= th.low_min) {
      issues.push({
        path: `trust.thresholds.${m}`,
        message: `high_max (${th.high_max}) must be below low_min (${th.low_min})`,
      });
    }
    thresholds[m] = th;
  }
  if (issues.length > 0) {
    throw new KeelError(
      "CONFIG_INVALID",
      `${display} is invalid: ` + issues.map((i) => `${i.path}: ${i.message}`).join("; "),
      { data: { path: display, issues } },
    );
  }
  return {
    window: t.window ?? DEFAULT_TRUST_CONFIG.window,
    min_runs: t.min_runs ?? DEFAULT_TRUST_CONFIG.min_runs,
    thresholds,
  };
}
