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
  sha256?: string | null | undefined;
  command?: readonly string[] | null | undefined;
  contract_command?: readonly string[] | null | undefined;
}

/**
 * `run exec`.
 *
 * @param r `{run_id, record}`.
 * @returns The text.
 */
export function execText(r: { run_id: string; record: TestRecordLike }): string {
  const rec = r.record;
  const cc = rec.contract_command;
  const differs = cc && JSON.stringify(cc) !== JSON.stringify(rec.command);
  return `Test ${rec.test_id}${rec.planned ? "" : " (unplanned)"}: ${rec.status} ` +
    `(${rec.reason ?? "exit code 0"}, ${rec.duration_ms} ms)` +
    `${rec.output_truncated ? ", output truncated" : ""} — evidence ` +
    `.keel/runs/${r.run_id}/${rec.evidence}` +
    (rec.sha256 ? ` (sha256 ${rec.sha256.slice(0, 12)})` : "") +
    (differs
      ? `\n  note: ran ${JSON.stringify(rec.command)}, not the contract's ` +
        `${JSON.stringify(cc)} (TEST_COMMAND_MISMATCH at finish)`
      : "");
}

/**
 * `run list`.
 *
 * @param r `{runs}`.
 * @returns The text.
 */
export function runListText(r: {
  runs: readonly {
    run_id: string;
    contract: string;
    state: string;
    verdict: string | null;
    agent: string | null;
    started_at: string | null;
    finished_at: string | null;
    problem?: string;
  }[];
}): string {
  if (r.runs.length === 0) return "No runs yet.";
  return renderTable([
    ["RUN", "CONTRACT", "STATE", "VERDICT", "AGENT", "STARTED", "FINISHED"],
    ...r.runs.map((x) => [
      x.run_id,
      x.contract,
      x.state,
      x.verdict ?? "-",
      x.agent ?? "-",
      x.started_at ?? "-",
      x.finished_at ?? (x.problem ?? "-"),
    ]),
  ]);
}

/**
 * `verify`.
 *
 * @param r The verification result.
 * @returns The text.
 */
export function verifyText(r: {
  run_id: string;
  ok: boolean;
  sealed: boolean;
  checked: { evidence_files: number; commits: number; artifacts: number };
  problems: readonly { code: string; message: string }[];
}): string {
  const c = r.checked;
  const what = `${c.evidence_files} evidence file(s), ${c.commits} commit(s), ` +
    `${c.artifacts} artifact snapshot(s)${
      r.sealed ? ", the report's seal" : " (no seal: older run)"
    }`;
  return r.ok ? `Run ${r.run_id} verified: ${what} unchanged.` : [
    `Run ${r.run_id} FAILED verification (${r.problems.length} problem(s); checked ${what}):`,
    ...r.problems.map((p) => `  error[${p.code}]: ${p.message}`),
  ].join("\n");
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
    const junitOnly = (id: string) => {
      const recs = r.tests.filter((x) => x.test_id === id);
      return recs.length > 0 && recs.every((x) => x.source === "junit");
    };
    const shown = a.tests.filter((t) => t.planned || !junitOnly(t.test_id));
    const collapsed = a.tests.filter((t) => !t.planned && junitOnly(t.test_id));
    out.push(_indent(renderTable(shown.map((t) => [
      t.status === "passed" ? "✓" : t.status === "not_run" || t.status === "skipped" ? "-" : "✗",
      t.test_id,
      t.status.replace("_", " "),
      t.planned ? `${t.required ? "required" : "optional"}, ${t.gate} gate` : "unplanned",
      _provenance(r, t),
    ]))));
    const summaries = (r.imports ?? []).flatMap((i) => i.unplanned ? [i.unplanned] : []);
    const more = collapsed.length + summaries.reduce((n, u) => n + u.total, 0);
    if (more > 0) {
      const bad = collapsed.filter((t) => t.status === "failed" || t.status === "error").length +
        summaries.reduce((n, u) => n + u.failed + u.error, 0);
      out.push(
        `  +${more} unplanned JUnit testcase(s), ` +
          (bad === 0 ? "none failed" : `${bad} failed or errored`) + " (--json for all)",
      );
    }
  }
  const pre = r.files.filter((f) => f.preexisting);
  const outside = r.files.filter((f) => !f.preexisting && (!f.in_scope || f.forbidden));
  out.push(
    "",
    `Files: ${r.files.length - pre.length} touched, ${outside.length} out of scope` +
      (outside.length ? ":" : ""),
  );
  for (const f of outside.slice(0, MAX_COMMITS)) {
    out.push(
      `  ✗ ${f.path}  (${f.forbidden ? "forbidden" : "outside allowed_files"}; ` +
        `${(f.sources ?? [f.source]).join(", ")})`,
    );
  }
  if (outside.length > MAX_COMMITS) out.push(`  … and ${outside.length - MAX_COMMITS} more`);
  if (pre.length > 0) {
    out.push(
      `  pre-existing (dirty before the run started, unchanged, not blamed): ` +
        pre.slice(0, 5).map((f) => f.path).join(", ") +
        (pre.length > 5 ? ` and ${pre.length - 5} more` : ""),
    );
  }
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

/** Where a test's deciding result came from: exec (command), junit, or manual. */
function _provenance(r: RunReport, t: NonNullable<RunReport["analysis"]>["tests"][number]): string {
  if (t.status === "not_run") return "";
  const last = r.tests.findLast((x) => x.test_id === t.test_id);
  if (!last) return "";
  if (last.source === "exec") {
    return `exec \`${(last.command ?? []).join(" ")}\`` +
      (last.exit_code === null || last.exit_code === undefined ? "" : ` exit ${last.exit_code}`);
  }
  if (last.source === "junit") return "junit";
  return "manual (self-reported)";
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
