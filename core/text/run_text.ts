/**
 * The human text of the run operations: start, test evidence, the run
 * summary of finish and drift. The CLI prints it; MCP tools return it.
 *
 * @module
 */

import type { RunReport } from "../../schemas/run_report.ts";
import { renderFindings, renderTable } from "./render.ts";

/**
 * `run start`.
 *
 * @param r The new run report.
 * @returns The text.
 */
export function runStartText(r: RunReport): string {
  const m = r.meta;
  return [
    `Run ${r.run_id} started on contract "${r.contract}".`,
    `  branch ${m.branch ?? "(detached)"} at ${m.base_commit?.slice(0, 12) ?? "(no commit)"}`,
    `  worktree ${m.worktree}`,
    `  session ${m.session_id}${m.agent ? `, agent ${m.agent}` : ""}`,
  ].join("\n");
}

/** A recorded test as the texts read it. */
export interface TestRecordLike {
  test_id: string;
  planned: boolean;
  status: string;
  reason?: string | null | undefined;
  duration_ms?: number | null | undefined;
  output_truncated?: boolean | undefined;
  evidence?: string | null | undefined;
}

/**
 * `run exec`.
 *
 * @param r `{run_id, record}`.
 * @returns The text.
 */
export function execText(r: { run_id: string; record: TestRecordLike }): string {
  const rec = r.record;
  return `Test ${rec.test_id}${rec.planned ? "" : " (unplanned)"}: ${rec.status} ` +
    `(${rec.reason ?? "exit code 0"}, ${rec.duration_ms} ms)` +
    `${rec.output_truncated ? ", output truncated" : ""} — evidence ` +
    `.keel/runs/${r.run_id}/${rec.evidence}`;
}

/**
 * `run record`.
 *
 * @param r `{run_id, record}`.
 * @returns The text.
 */
export function recordText(r: { run_id: string; record: TestRecordLike }): string {
  return `Recorded ${r.record.test_id}${r.record.planned ? "" : " (unplanned)"}: ` +
    `${r.record.status} in run ${r.run_id}.`;
}

const MAX_COMMITS = 20;

/**
 * The run summary a maintainer reads in ten seconds: planned against actual
 * units, commits with their unit and rule, tests, out-of-scope files,
 * findings and the verdict.
 *
 * @param r A run report with an analysis.
 * @returns The text.
 */
export function runSummaryText(r: RunReport): string {
  const out: string[] = [];
  const a = r.analysis;
  const verdict = r.verdict === null ? "not analysed" : r.verdict.toUpperCase();
  out.push(
    `Run ${r.run_id} · contract "${r.contract}" · ${r.state}` +
      `${r.state === "running" ? " (preview, not written)" : ""} · ${verdict}`,
  );
  if (!a) return out.join("\n");
  out.push(`  range ${_range(a)} · git ${a.git_backend}`);
  const landed = a.units.filter((u) => u.status === "landed").length;
  out.push(
    "",
    `Units: ${a.units.length} planned, ${landed} landed, ${a.units.length - landed} missing`,
  );
  if (a.units.length > 0) {
    const summary = new Map(r.contract_snapshot.plan.units.map((u) => [u.id, u.summary]));
    out.push(_indent(renderTable(a.units.map((u) => [
      u.status === "landed" ? "✓" : "✗",
      u.id,
      u.status === "landed" ? `${u.commits.length} commit(s)` : "MISSING",
      _cut(summary.get(u.id) ?? "", 60),
    ]))));
  }
  const unplanned = r.commits.filter((c) => c.unit === null && !c.keel_only && c.files.length > 0)
    .length;
  out.push("", `Commits: ${r.commits.length}${unplanned ? ` (${unplanned} unplanned)` : ""}`);
  if (r.commits.length > 0) {
    const shown = r.commits.slice(0, MAX_COMMITS);
    out.push(_indent(renderTable(shown.map((c) => [
      c.sha.slice(0, 8),
      c.unit ?? (c.keel_only ? "(.keel)" : c.files.length === 0 ? "(empty)" : "UNPLANNED"),
      c.matched_by ?? "-",
      _cut(c.subject, 60),
    ]))));
    if (r.commits.length > MAX_COMMITS) {
      out.push(`  … and ${r.commits.length - MAX_COMMITS} more (--json for all)`);
    }
  }
  out.push("", "Tests:");
  if (a.tests.length === 0) out.push("  (none planned or recorded)");
  else {
    out.push(_indent(renderTable(a.tests.map((t) => [
      t.status === "passed" ? "✓" : t.status === "not_run" || t.status === "skipped" ? "-" : "✗",
      t.test_id,
      t.status.replace("_", " "),
      t.planned ? `${t.required ? "required" : "optional"}, ${t.gate} gate` : "unplanned",
    ]))));
  }
  const outside = r.files.filter((f) => !f.in_scope || f.forbidden);
  out.push(
    "",
    `Files: ${r.files.length} touched, ${outside.length} out of scope` +
      (outside.length ? ":" : ""),
  );
  for (const f of outside.slice(0, MAX_COMMITS)) {
    out.push(
      `  ✗ ${f.path}  (${f.forbidden ? "forbidden" : "outside allowed_files"}; ` +
        `${(f.sources ?? [f.source]).join(", ")})`,
    );
  }
  if (outside.length > MAX_COMMITS) out.push(`  … and ${outside.length - MAX_COMMITS} more`);
  const accepted = new Set(r.deviations.map((d) => `${d.finding_id} ${d.code}`));
  out.push("", `Findings: ${r.findings.length === 0 ? "none" : r.findings.length}`);
  if (r.findings.length > 0) {
    out.push(renderFindings(r.findings.map((f) => ({
      ...f,
      message: accepted.has(`${f.id} ${f.code}`) ? `${f.message} [accepted]` : f.message,
    }))));
  }
  out.push("");
  if (r.verdict === "aligned") out.push("Verdict: aligned.");
  else if (r.verdict === "drifted") {
    const open = r.findings.filter((f) =>
      f.severity === "error" && !accepted.has(`${f.id} ${f.code}`)
    );
    out.push(
      `Verdict: drifted — ${open.length} error finding(s) not accepted (${
        open.map((f) => f.id).join(", ")
      }). Fix them, or accept with \`keel deviation accept ID --why TEXT --by WHO\`.`,
    );
  }
  return out.join("\n");
}

function _range(a: NonNullable<RunReport["analysis"]>): string {
  const short = (s: string | null) => (s ? s.slice(0, 8) : "(none)");
  return `${short(a.base_commit)}..${short(a.head)}` +
    (a.base_is_ancestor ? "" : " (base not an ancestor of HEAD)");
}

function _indent(text: string): string {
  return text.split("\n").map((l) => `  ${l}`).join("\n");
}

function _cut(s: string, n: number): string {
  return [...s].length <= n ? s : [...s].slice(0, n - 1).join("") + "…";
}
