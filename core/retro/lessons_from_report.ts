/**
 * The lessons of one finished run: one normalized record per finding
 * (plan-vs-actual delta), with what was planned, what happened, the paths
 * involved and whether the delta was accepted.
 *
 * @module
 */

import type { Finding, RunReport } from "../../schemas/run_report.ts";
import { canonicalJson, sha256Hex } from "../util/mod.ts";
import { normalizeRepoPath } from "../util/mod.ts";
import { type Lesson, LESSON_SCHEMA_VERSION } from "../lessons/mod.ts";
import { acceptanceOf } from "./verdict.ts";

/** Options of {@link lessonsFromReport}. */
export interface LessonsFromReportOptions {
  /** When the records are written (ISO). */
  recordedAt: string;
}

/**
 * The lesson records of a run, one per finding, in finding order. A run that
 * has not finished has none.
 *
 * @param report A run report.
 * @param options The recording time.
 * @returns The records.
 *
 * @example
 * ```ts ignore
 * const lessons = await lessonsFromReport(report, { recordedAt: new Date().toISOString() });
 * ```
 */
export async function lessonsFromReport(
  report: RunReport,
  options: LessonsFromReportOptions,
): Promise<Lesson[]> {
  if (report.state !== "finished") return [];
  const intent = report.contract_snapshot.intent;
  const out: Lesson[] = [];
  for (const f of report.findings) {
    const deviation = acceptanceOf(f, report.deviations);
    const { planned, actual } = describeDelta(f, report);
    out.push({
      schema_version: LESSON_SCHEMA_VERSION,
      key: await lessonKey(report.run_id, f),
      run: report.run_id,
      contract: report.contract,
      domain: intent.domain,
      finding_id: f.id ?? null,
      code: f.code,
      severity: f.severity,
      message: f.message,
      planned,
      actual,
      paths: findingPaths(f),
      accepted: deviation !== undefined,
      rationale: deviation?.why ?? null,
      accepted_by: deviation?.by ?? null,
      time: report.meta.finished_at ?? report.meta.started_at,
      recorded_at: options.recordedAt,
      source: intent.source ? { mission: intent.source.mission, wp_id: intent.source.wp_id } : null,
    });
  }
  return out;
}

/**
 * The stable key of a finding's lesson: sha256 over the run id and the
 * finding's identity (its `key` when the analysis set one, else its code and
 * canonical evidence), first 24 hex digits. Renumbering findings (F1, F2, …)
 * does not change it.
 *
 * @param runId The run.
 * @param finding The finding.
 * @returns The key.
 */
export async function lessonKey(runId: string, finding: Finding): Promise<string> {
  const identity = finding.key ?? `${finding.code}\u0000${canonicalJson(finding.evidence)}`;
  return (await sha256Hex(`${runId}\u0000${identity}`)).slice(0, 24);
}

/**
 * The repository paths a finding names in its evidence (`path`, `paths`,
 * `file`, `files`, at any depth), normalised, sorted and unique.
 *
 * @param finding A finding.
 * @returns The paths.
 */
export function findingPaths(finding: Finding): string[] {
  const out = new Set<string>();
  _collectPaths(finding.evidence, out, 0);
  return [...out].sort();
}

/**
 * What the contract planned and what the run did, in words, for one finding.
 * Evidence fields `planned`/`actual` win when the analysis wrote them.
 *
 * @param finding The finding.
 * @param report Its run report (for the contract snapshot).
 * @returns Planned and actual (null when there is nothing to say).
 */
export function describeDelta(
  finding: Finding,
  report: RunReport,
): { planned: string | null; actual: string | null } {
  const ev = finding.evidence;
  const given = { planned: _text(ev.planned), actual: _text(ev.actual) };
  if (given.planned !== null && given.actual !== null) return given;
  const snap = report.contract_snapshot;
  const paths = findingPaths(finding);
  const unitId = _text(ev.unit) ?? _text(ev.unit_id);
  const unit = snap.plan.units.find((u) => u.id === unitId);
  const testId = _text(ev.test_id) ?? _text(ev.test);
  const sha = _text(ev.sha) ?? _first(ev.shas) ?? _first(ev.commits);
  const commit = report.commits.find((c) => sha !== null && c.sha.startsWith(sha));
  const commitText = commit
    ? `commit ${commit.sha.slice(0, 12)} "${commit.subject}"`
    : sha
    ? `commit ${sha.slice(0, 12)}`
    : "a commit";
  const list = (xs: readonly string[]) => (xs.length ? xs.join(", ") : "(none)");
  let derived: { planned: string | null; actual: string | null };
  switch (finding.code) {
    case "SCOPE_FILE_OUTSIDE_ALLOWED":
      derived = {
        planned: `allowed_files: ${list(snap.intent.allowed_files)}`,
        actual: `touched ${list(paths)}`,
      };
      break;
    case "SCOPE_FILE_FORBIDDEN":
      derived = {
        planned: `forbidden_files: ${list(snap.intent.forbidden_files)}`,
        actual: `touched ${list(paths)}`,
      };
      break;
    case "PLAN_UNIT_MISSING":
      derived = {
        planned: unit ? `unit ${unit.id}: ${unit.summary}` : `unit ${unitId ?? "?"}`,
        actual: "no commit matched the unit",
      };
      break;
    case "PLAN_COMMIT_UNPLANNED":
      derived = { planned: "no plan unit for this change", actual: commitText };
      break;
    case "PLAN_COMMIT_OUTSIDE_UNIT":
      derived = {
        planned: unit ? `unit ${unit.id} files: ${list(unit.files)}` : "files of its unit",
        actual: `${commitText} touched ${list(paths)}`,
      };
      break;
    case "PLAN_UNIT_OUT_OF_ORDER":
      derived = {
        planned: unit
          ? `unit ${unit.id} after ${list(unit.depends_on)}`
          : "units in dependency order",
        actual: finding.message,
      };
      break;
    case "TEST_REQUIRED_NOT_RUN":
      derived = { planned: `required test ${testId ?? "?"} runs`, actual: "not run" };
      break;
    case "TEST_REQUIRED_FAILED": {
      const rec = [...report.tests].reverse().find((t) => t.test_id === testId);
      derived = {
        planned: `required test ${testId ?? "?"} passes`,
        actual: rec ? `${rec.status}` : "failed",
      };
      break;
    }
    case "TEST_UNPLANNED":
      derived = { planned: "not in the test contract", actual: `ran ${testId ?? "a test"}` };
      break;
    default:
      derived = { planned: null, actual: finding.message };
  }
  return { planned: given.planned ?? derived.planned, actual: given.actual ?? derived.actual };
}

const _PATH_KEYS = new Set(["path", "paths", "file", "files", "from", "to"]);

function _collectPaths(value: unknown, out: Set<string>, depth: number): void {
  if (depth > 4 || value === null || typeof value !== "object") return;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (_PATH_KEYS.has(k)) {
      if (typeof v === "string" && v !== "") out.add(normalizeRepoPath(v));
      else if (Array.isArray(v)) {
        for (const x of v) {
          if (typeof x === "string" && x !== "") out.add(normalizeRepoPath(x));
          else _collectPaths(x, out, depth + 1);
        }
      } else _collectPaths(v, out, depth + 1);
    } else if (typeof v === "object") _collectPaths(v, out, depth + 1);
  }
}

function _text(v: unknown): string | null {
  return typeof v === "string" && v !== "" ? v : null;
}

function _first(v: unknown): string | null {
  return Array.isArray(v) ? _text(v[0]) : null;
}
