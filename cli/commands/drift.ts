/**
 * `keel drift [--run ID] [--reanalyze] [--contract NAME]`: a run's findings
 * again, and the run summary shared with `keel run finish`.
 *
 * @module
 */

import type { RunReport } from "../../schemas/run_report.ts";
import { type CliContext, command, contractOption, flag, option, type Outcome } from "../define.ts";
import { renderFindings, renderTable } from "../render.ts";

/** The `cmd` tag. */
export const tag = "drift";

/** The parser. */
export const parser = command(
  "drift",
  "Show a run's drift findings again (latest run by default).",
  {
    run: option("--run", "ID", "Run id (default: the latest run).", { complete: "run" }),
    contract: contractOption(),
    reanalyze: flag(
      "--reanalyze",
      "Re-check a finished run: analyse its recorded range again (refused if it differs).",
    ),
  },
);

type DriftArgs = {
  cmd: "drift";
  run: string | undefined;
  contract: string | undefined;
  reanalyze: boolean;
};

/**
 * Run the command: exit 0 when the run is aligned, 1 when drifted.
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns The outcome.
 */
export async function run(args: DriftArgs, ctx: CliContext): Promise<Outcome> {
  const { driftOp } = await import("../../core/run/mod.ts");
  const r = await driftOp({
    ...(args.run === undefined ? {} : { run: args.run }),
    ...(args.contract === undefined ? {} : { contract: args.contract }),
    ...(args.reanalyze ? { reanalyze: true } : {}),
  }, ctx.op);
  return { json: r, text: renderRunSummary(r), exit: r.verdict === "aligned" ? 0 : 1 };
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
export function renderRunSummary(r: RunReport): string {
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
