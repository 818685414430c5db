/**
 * Parity with the recorded answers of the real spec-kitty
 * (`../shared/fixtures/spec-kitty/recorded/spec-kitty-3.2.6rc3.json`, see its
 * README): every recorded mission state is rebuilt the way it was recorded —
 * one git repository per variant holding every mission under `kitty-specs/`,
 * committed on `main`, each `meta.json` `target_branch` created as a branch at
 * `main`, `main` checked out, the event log cut to the recorded number of
 * lines — and keel's answers are compared with spec-kitty's:
 *
 * - `next --json`: every key spec-kitty prints, value for value, except
 *   `timestamp` (keel's added keys are not compared);
 * - `merge --dry-run --json`: a `lanes.json` error is keel's
 *   `LANES_JSON_MISSING` / `LANES_JSON_INVALID`; blocked or not, the review
 *   blockers with every key spec-kitty prints, and `mission_slug`,
 *   `target_branch`, `diagnostic_code`; keel's item-7 refusals
 *   (`LANE_BRANCH_MISSING`, `TARGET_BRANCH_NOT_CHECKED_OUT`, which spec-kitty's
 *   dry-run does not check) are left out;
 * - `review --mode lightweight`: the verdict, the number of findings, the WPs
 *   not done with their lanes (in order), the WPs with a blocking review
 *   verdict, and the dead-code diagnostic code (spec-kitty's console text is
 *   parsed; its BLE001 gate, specific to its own source tree, passes in every
 *   recorded state and keel has no such gate);
 * - and keel with itself: `mission status` and `mission list` name the same
 *   WP, reason and warnings as `next` (one selection call).
 *
 * @module
 */

import { join } from "node:path";
import type { OpContext } from "../core/context.ts";
import { isKeelError } from "../core/errors.ts";
import { mergeOp } from "../core/gates/merge_op.ts";
import { reviewOp } from "../core/gates/review_op.ts";
import { missionListOp, missionStatusOp, nextOp } from "../core/mission/mod.ts";
import { gitWith } from "../testing/git.ts";
import { copyDir } from "../testing/mission.ts";
import { fixedClock } from "../core/util/mod.ts";

/** One recorded state and how keel differs from it. */
export interface RecordedStateParity {
  mission: string;
  variant: string;
  /** One line per difference (empty: keel agrees). */
  differences: string[];
}

/** The result of {@link checkRecordedAnswers}. */
export interface RecordedParity {
  /** The recorded file. */
  file: string;
  /** Every state compared. */
  states: RecordedStateParity[];
  /** States with at least one difference. */
  failed: number;
}

interface RecordedCommand {
  exit: number;
  json: Record<string, unknown> | null;
  stdout_tail: string | null;
}

interface RecordedEntry {
  mission: string;
  variant: string;
  event_lines: number;
  next: RecordedCommand;
  merge_dry_run: RecordedCommand;
  review_lightweight: RecordedCommand;
}

/** The item-7 refusals: keel's dry-run checks them, spec-kitty's does not. */
const ITEM7_CODES = new Set(["LANE_BRANCH_MISSING", "TARGET_BRANCH_NOT_CHECKED_OUT"]);

/** The recorded file under a `spec-kitty` fixtures folder. */
export function recordedFile(fixturesRoot: string): string {
  return join(fixturesRoot, "recorded", "spec-kitty-3.2.6rc3.json");
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: "keel parity",
  GIT_AUTHOR_EMAIL: "parity@keel.invalid",
  GIT_COMMITTER_NAME: "keel parity",
  GIT_COMMITTER_EMAIL: "parity@keel.invalid",
  GIT_TERMINAL_PROMPT: "0",
};

const _git = gitWith(GIT_ENV);

/** Build one variant's repository (every mission of the entries, logs cut). */
async function _buildRepo(
  kittySpecs: string,
  entries: RecordedEntry[],
  repo: string,
): Promise<void> {
  const targets = new Set<string>();
  for (const e of entries) {
    const dest = join(repo, "kitty-specs", e.mission);
    await copyDir(join(kittySpecs, e.mission), dest);
    const logPath = join(dest, "status.events.jsonl");
    const text = await Deno.readTextFile(logPath);
    const lines = text.split("\n");
    if (lines.at(-1) === "") lines.pop();
    if (lines.length !== e.event_lines) {
      await Deno.writeTextFile(logPath, lines.slice(0, e.event_lines).join("\n") + "\n");
    }
    const meta = JSON.parse(await Deno.readTextFile(join(dest, "meta.json")));
    if (typeof meta.target_branch === "string" && meta.target_branch !== "main") {
      targets.add(meta.target_branch);
    }
  }
  await _git(repo, "init", "-q");
  await _git(repo, "add", "-A");
  await _git(repo, "commit", "-qm", "missions");
  for (const t of targets) await _git(repo, "branch", t, "main");
}

function _same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function _compareNext(e: RecordedEntry, keel: Record<string, unknown>, out: string[]): void {
  const theirs = e.next.json;
  if (theirs === null) {
    out.push(`next: spec-kitty printed no JSON (exit ${e.next.exit})`);
    return;
  }
  for (const [key, value] of Object.entries(theirs)) {
    if (key === "timestamp") continue;
    if (!(key in keel)) out.push(`next.${key}: missing in keel`);
    else if (!_same(keel[key], value)) {
      out.push(
        `next.${key}: spec-kitty ${JSON.stringify(value)}, keel ${JSON.stringify(keel[key])}`,
      );
    }
  }
}

async function _compareMerge(e: RecordedEntry, ctx: OpContext, out: string[]): Promise<void> {
  const theirs = e.merge_dry_run.json ?? {};
  let result: Record<string, unknown>;
  try {
    result = await mergeOp({ mission: e.mission, dryRun: true }, ctx) as unknown as Record<
      string,
      unknown
    >;
  } catch (error) {
    if (!isKeelError(error)) throw error;
    const err = typeof theirs.error === "string" ? theirs.error : "";
    const want = /is required for/.test(err)
      ? "LANES_JSON_MISSING"
      : /corrupt or malformed/.test(err)
      ? "LANES_JSON_INVALID"
      : null;
    if (want !== error.code) {
      out.push(`merge: keel ${error.code}, spec-kitty ${want ?? `exit ${e.merge_dry_run.exit}`}`);
    }
    return;
  }
  if (typeof theirs.error === "string") {
    out.push(`merge: spec-kitty refused (${theirs.error}), keel answered`);
    return;
  }
  const blockers = ((result.blockers ?? []) as Record<string, unknown>[])
    .filter((b) => !ITEM7_CODES.has(String(b.diagnostic_code)));
  const theirBlockers = (theirs.blockers ?? []) as Record<string, unknown>[];
  if (theirs.blocked !== true) {
    if (blockers.length > 0) {
      out.push(
        `merge: spec-kitty not blocked, keel blocked by ${
          blockers.map((b) => `${b.diagnostic_code} ${b.branch_or_work_package}`).join(", ")
        }`,
      );
    }
    return;
  }
  for (const key of ["mission_slug", "target_branch", "diagnostic_code"]) {
    if (!_same(result[key], theirs[key])) {
      out.push(
        `merge.${key}: spec-kitty ${JSON.stringify(theirs[key])}, keel ${
          JSON.stringify(result[key])
        }`,
      );
    }
  }
  if (blockers.length !== theirBlockers.length) {
    out.push(`merge.blockers: spec-kitty ${theirBlockers.length}, keel ${blockers.length}`);
  }
  theirBlockers.forEach((tb, i) => {
    const kb = blockers[i] ?? {};
    for (const [key, value] of Object.entries(tb)) {
      if (!_same(kb[key], value)) {
        out.push(
          `merge.blockers[${i}].${key}: spec-kitty ${JSON.stringify(value)}, keel ${
            JSON.stringify(kb[key])
          }`,
        );
      }
    }
  });
}

/** What spec-kitty's lightweight review printed, parsed from its console text. */
export interface ParsedReview {
  verdict: string | null;
  findings: number | null;
  not_done: [string, string][];
  blocking_review: string[];
  dead_code: string | null;
}

/**
 * Parse spec-kitty's lightweight review console output (wrapped at ~80 columns).
 *
 * @param tail The recorded stdout tail.
 * @returns The parsed facts.
 */
export function parseReviewConsole(tail: string): ParsedReview {
  const flat = tail.replace(/\s*\n\s*/g, " ");
  const verdict = /Verdict: (\w+)\s+\((\d+) finding/.exec(flat);
  const notDone: [string, string][] = [];
  const lines = tail.split("\n");
  const start = lines.findIndex((l) => /WP lane check: \d+ WP\(s\) not in done/.test(l));
  if (start >= 0) {
    for (const l of lines.slice(start + 1)) {
      const m = /^\s+(WP\d+): (\w+)\s*$/.exec(l);
      if (!m) break;
      notDone.push([m[1]!, m[2]!]);
    }
  }
  const blocking = [...flat.matchAll(/(WP\d+) is lane '\w+', but/g)].map((m) => m[1]!);
  const dead = /Dead-code scan: missing baseline_merge_commit/.test(flat)
    ? "LIGHTWEIGHT_REVIEW_MISSING_BASELINE"
    : /MISSION_REVIEW_DEAD_CODE_UNDETERMINABLE/.test(flat)
    ? "MISSION_REVIEW_DEAD_CODE_UNDETERMINABLE"
    : null;
  return {
    verdict: verdict ? verdict[1]! : null,
    findings: verdict ? Number(verdict[2]) : null,
    not_done: notDone,
    blocking_review: blocking,
    dead_code: dead,
  };
}

async function _compareReview(e: RecordedEntry, ctx: OpContext, out: string[]): Promise<void> {
  const theirs = parseReviewConsole(e.review_lightweight.stdout_tail ?? "");
  const r = await reviewOp({ mission: e.mission, mode: "lightweight" }, ctx);
  const ours: ParsedReview = {
    verdict: r.verdict,
    findings: r.findings.length,
    not_done: r.findings.filter((f) => f.type === "wp_not_done").map((
      f,
    ) => [String(f.evidence.wp_id), String(f.evidence.lane)]),
    blocking_review: r.findings
      .filter((f) =>
        f.type === "rejected_review_artifact" || f.type === "review_artifact_schema_invalid"
      )
      .map((f) => String(f.evidence.wp_id)),
    dead_code: r.findings.find((f) => f.type.startsWith("dead_code") && f.hard)?.code ?? null,
  };
  for (const key of Object.keys(theirs) as (keyof ParsedReview)[]) {
    if (!_same(ours[key], theirs[key])) {
      out.push(
        `review.${key}: spec-kitty ${JSON.stringify(theirs[key])}, keel ${
          JSON.stringify(ours[key])
        }`,
      );
    }
  }
  const exit = r.verdict === "fail" ? 1 : 0;
  if (exit !== e.review_lightweight.exit) {
    out.push(`review exit: spec-kitty ${e.review_lightweight.exit}, keel ${exit}`);
  }
}

/**
 * Compare keel with every recorded spec-kitty answer.
 *
 * @param fixturesRoot The `spec-kitty` fixtures folder (holding `kitty-specs/` and `recorded/`).
 * @returns Every state with its differences.
 */
export async function checkRecordedAnswers(fixturesRoot: string): Promise<RecordedParity> {
  const file = recordedFile(fixturesRoot);
  const entries = JSON.parse(await Deno.readTextFile(file)) as RecordedEntry[];
  const kittySpecs = join(fixturesRoot, "kitty-specs");
  const byVariant = new Map<string, RecordedEntry[]>();
  for (const e of entries) byVariant.set(e.variant, [...(byVariant.get(e.variant) ?? []), e]);
  const states: RecordedStateParity[] = [];
  for (const [variant, group] of byVariant) {
    const repo = await Deno.makeTempDir({ prefix: `keel-recorded-${variant}-` });
    try {
      await _buildRepo(kittySpecs, group, repo);
      const ctx: OpContext = {
        cwd: repo,
        clock: fixedClock("2026-11-23T10:59:32Z", 1),
        env: {},
        gitBackend: "auto",
      };
      const list = await missionListOp({}, ctx);
      for (const e of group) {
        const differences: string[] = [];
        const next = await nextOp({ mission: e.mission }, ctx);
        _compareNext(e, next as unknown as Record<string, unknown>, differences);
        const status = await missionStatusOp({ mission: e.mission }, ctx);
        const listed = list.missions.find((m) => m.mission_slug === e.mission);
        const sel = (wp: unknown, reason: unknown, warnings: unknown) =>
          JSON.stringify({ wp, reason, warnings });
        const fromNext = sel(next.wp_id, next.selection_reason, next.warnings);
        const fromStatus = sel(
          status.next.wp_id,
          status.next.selection_reason,
          status.next.warnings,
        );
        const fromList = sel(listed?.next_wp_id, listed?.selection_reason, listed?.warnings);
        if (next.mission_state === "implement" && fromStatus !== fromNext) {
          differences.push(`mission status ${fromStatus} differs from next ${fromNext}`);
        }
        if (fromList !== fromStatus) {
          differences.push(`mission list ${fromList} differs from mission status ${fromStatus}`);
        }
        await _compareMerge(e, ctx, differences);
        await _compareReview(e, ctx, differences);
        states.push({ mission: e.mission, variant, differences });
      }
    } finally {
      await Deno.remove(repo, { recursive: true });
    }
  }
  return { file, states, failed: states.filter((s) => s.differences.length > 0).length };
}
