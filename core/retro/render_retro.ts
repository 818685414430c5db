/**
 * The end-of-run summary in Markdown: what was asked, what was approved,
 * what happened, each delta with its evidence, accepted deviations.
 *
 * @module
 */

import type { Finding, RunReport } from "../../schemas/run_report.ts";
import { approvalLatencyMinutes } from "./approval_latency.ts";
import { describeDelta } from "./lessons_from_report.ts";
import { acceptanceOf, openErrors } from "./verdict.ts";

/**
 * Render a run's retrospective. Pure: the same report gives the same text.
 *
 * @param report A run report.
 * @returns Markdown, ending in a newline.
 */
export function renderRetro(report: RunReport): string {
  const snap = report.contract_snapshot;
  const intent = snap.intent;
  const open = openErrors(report.findings, report.deviations);
  const out: string[] = [];
  out.push(`# Retrospective: run ${report.run_id}`);
  out.push("");
  out.push(
    `Contract \`${report.contract}\`, domain **${intent.domain}**, risk ${intent.risk_level}.`,
  );
  out.push(_verdictLine(report, open.length));
  out.push("");

  out.push("## What was asked");
  out.push("");
  out.push(`**Goal:** ${intent.goal}`);
  out.push("");
  if (intent.constraints.length > 0) {
    out.push("**Constraints:**");
    for (const c of intent.constraints) out.push(`- ${c}`);
    out.push("");
  }
  out.push(
    `**Scope:** may touch ${_codes(intent.allowed_files)}` +
      (intent.forbidden_files.length ? `; must not touch ${_codes(intent.forbidden_files)}` : "") +
      ".",
  );
  if (intent.source) {
    out.push(`**From:** spec-kitty mission \`${intent.source.mission}\`, ${intent.source.wp_id}.`);
  }
  out.push("");
  out.push(
    `**Plan:** ${snap.plan.units.length} unit(s); **tests:** ${snap.tests.tests.length} ` +
      `planned (${snap.tests.tests.filter((t) => t.required).length} required).`,
  );
  out.push("");
  out.push("| Unit | Summary | Files | Tests |");
  out.push("|---|---|---|---|");
  for (const u of snap.plan.units) {
    out.push(`| ${u.id} | ${_cell(u.summary)} | ${_codes(u.files)} | ${u.tests.join(", ")} |`);
  }
  out.push("");

  out.push("## What was approved");
  out.push("");
  out.push("| Artifact | Approved by | At | Proposed at | Digest |");
  out.push("|---|---|---|---|---|");
  const approvals = [
    ["intent", snap.intent.approval, report.digests.intent],
    ["tests", snap.tests.approval, report.digests.tests],
    ["plan", snap.plan.approval, report.digests.plan],
  ] as const;
  for (const [name, a, digest] of approvals) {
    out.push(
      `| ${name} | ${a.by ?? "—"} | ${a.at ?? "—"} | ${a.proposed_at ?? "—"} | ` +
        `\`${digest.slice(0, 12)}\` |`,
    );
  }
  const minutes = approvalLatencyMinutes([
    snap.intent.approval,
    snap.tests.approval,
    snap.plan.approval,
  ]);
  // Printed to a tenth of a minute; the measure itself is not rounded.
  const latency = minutes === null ? null : Math.round(minutes * 10) / 10;
  if (latency !== null) {
    out.push("");
    out.push(`Approval latency: ${latency} min from the first draft to the last approval.`);
  }
  out.push("");

  out.push("## What happened");
  out.push("");
  const m = report.meta;
  out.push(
    `Started ${m.started_at}` +
      (m.finished_at ? `, finished ${m.finished_at}` : ", still running") +
      ` on branch \`${m.branch ?? "(detached)"}\` from \`${
        (m.base_commit ?? "(none)").slice(0, 12)
      }\`` +
      (m.agent ? ` by agent ${m.agent}` : "") + ".",
  );
  out.push("");
  out.push(`**Commits (${report.commits.length}):**`);
  if (report.commits.length === 0) out.push("- none");
  for (const c of report.commits) {
    const unit = c.unit ? `unit ${c.unit} (by ${c.matched_by ?? "?"})` : "no unit";
    out.push(`- \`${c.sha.slice(0, 12)}\` ${c.subject} — ${unit}`);
  }
  out.push("");
  const plannedIds = snap.tests.tests.map((t) => t.id);
  out.push("**Tests:**");
  for (const id of plannedIds) {
    const rec = [...report.tests].reverse().find((t) => t.test_id === id);
    const req = snap.tests.tests.find((t) => t.id === id)!;
    out.push(
      `- ${id}${req.required ? " (required)" : ""}: ${rec ? rec.status : "not run"}` +
        (rec ? ` — ${_source(rec)}` : "") +
        (rec?.evidence ? `, evidence \`${rec.evidence}\`` : "") +
        (rec?.sha256 ? ` (sha256 \`${rec.sha256.slice(0, 12)}\`)` : ""),
    );
  }
  const unplanned = report.tests.filter((t) => !plannedIds.includes(t.test_id));
  for (const t of unplanned.filter((t) => t.source !== "junit")) {
    out.push(`- ${t.test_id} (unplanned): ${t.status} — ${_source(t)}`);
  }
  const junit = unplanned.filter((t) => t.source === "junit");
  const summarised = (report.imports ?? []).reduce((n, i) => n + (i.unplanned?.total ?? 0), 0);
  if (junit.length + summarised > 0) {
    const bad = junit.filter((t) => t.status === "failed" || t.status === "error").length +
      (report.imports ?? []).reduce(
        (n, i) => n + (i.unplanned ? i.unplanned.failed + i.unplanned.error : 0),
        0,
      );
    out.push(
      `- +${junit.length + summarised} unplanned JUnit testcase(s), ` +
        (bad === 0 ? "none failed" : `${bad} failed or errored`),
    );
  }
  out.push("");
  const outside = report.files.filter((f) => !f.in_scope || f.forbidden);
  out.push(
    `**Files touched (${report.files.length}):** ${report.files.length - outside.length} in scope` +
      (outside.length
        ? `, ${outside.length} outside: ${
          outside.map((f) => `\`${f.path}\`${f.forbidden ? " (forbidden)" : ""}`).join(", ")
        }`
        : "") +
      ".",
  );
  out.push("");

  out.push("## Deltas (planned vs actual)");
  out.push("");
  if (report.findings.length === 0) out.push("None: the run did what was planned.");
  for (const f of report.findings) {
    const acc = acceptanceOf(f, report.deviations);
    const state = acc
      ? `${f.severity}, accepted`
      : f.severity === "error"
      ? "error, open"
      : `${f.severity}, does not block`;
    const { planned, actual } = describeDelta(f, report);
    out.push(`### ${f.id ?? "—"} ${f.code} (${state})`);
    out.push("");
    out.push(f.message);
    out.push("");
    if (planned !== null) out.push(`- Planned: ${planned}`);
    if (actual !== null) out.push(`- Actual: ${actual}`);
    const ev = _evidence(f);
    if (ev !== "") out.push(`- Evidence: ${ev}`);
    if (acc) out.push(`- Accepted by ${acc.by} at ${acc.at}: ${acc.why}`);
    out.push("");
  }

  out.push("## Accepted deviations");
  out.push("");
  if (report.deviations.length === 0) out.push("None.");
  for (const d of report.deviations) {
    out.push(`- **${d.finding_id}** ${d.code} — accepted by ${d.by} at ${d.at}: "${d.why}"`);
  }
  return out.join("\n").replace(/\n+$/, "") + "\n";
}

function _verdictLine(report: RunReport, open: number): string {
  if (report.state !== "finished" || report.verdict === null) {
    return "Verdict: **none yet** — the run has not finished.";
  }
  const acc = report.deviations.length;
  const accText = acc ? `, ${acc} accepted deviation(s)` : "";
  return report.verdict === "aligned"
    ? `Verdict: **aligned** — no open error finding${accText}.`
    : `Verdict: **drifted** — ${open} open error finding(s)${accText}.`;
}

function _codes(xs: readonly string[]): string {
  return xs.length ? xs.map((x) => `\`${x}\``).join(", ") : "(nothing)";
}

/** Where a recorded result came from, in words. */
function _source(t: RunReport["tests"][number]): string {
  if (t.source === "exec") {
    return `exec \`${(t.command ?? []).join(" ")}\`` +
      (t.exit_code === null || t.exit_code === undefined ? "" : ` exit ${t.exit_code}`);
  }
  if (t.source === "junit") return "junit";
  return "manual (self-reported)";
}

function _cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

function _evidence(f: Finding): string {
  return Object.entries(f.evidence).map(([k, v]) => {
    const value = typeof v === "string" ? v : JSON.stringify(v);
    return `${k} \`${value.length > 200 ? value.slice(0, 197) + "…" : value}\``;
  }).join(", ");
}
