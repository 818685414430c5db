/**
 * The Markdown report (GitHub-flavoured): tables and a collapsed
 * `<details>` section, for pull-request descriptions and CI step summaries.
 * Kept under GitHub's 65,536-character summary limit: a longer document is
 * cut at a line and says so.
 *
 * @module
 */

import { escapeMd as m, mdCode as c } from "./escape.ts";
import {
  type HistoryView,
  METRIC_NAMES,
  type MissionView,
  type ReportView,
  type RunView,
} from "./report_views.ts";
import {
  acceptanceFor,
  boardLanes,
  cut,
  evidencePairs,
  fileScope,
  formatMetric,
  METRIC_LABELS,
  shortSha,
  testRows,
} from "./view_facts.ts";

/** The most characters a Markdown report has (GitHub's step summary allows 65,536 bytes). */
export const MD_LIMIT = 65_000;

/** A rendered Markdown report. */
export interface MarkdownReport {
  text: string;
  /** The full document was longer than the limit and was cut. */
  trimmed: boolean;
}

/**
 * Render a view as GitHub-flavoured Markdown.
 *
 * @param view The view.
 * @param options `limit`: maximum characters (default {@link MD_LIMIT}).
 * @returns The text and whether it was cut.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { trimMarkdown } from "./render_md.ts";
 * const long = ["| a |", "| - |", ...Array.from({ length: 100 }, (_, i) => `| ${i} |`)].join("\n");
 * const r = trimMarkdown(long, 300);
 * assert.ok(r.trimmed && r.text.length <= 300);
 * assert.match(r.text, /Trimmed/);
 * ```
 */
export function renderMarkdown(view: ReportView, options: { limit?: number } = {}): MarkdownReport {
  const text = view.kind === "run"
    ? _run(view)
    : view.kind === "history"
    ? _history(view)
    : _mission(view);
  return trimMarkdown(text, options.limit ?? MD_LIMIT);
}

/**
 * Cut Markdown to at most `limit` characters at a line boundary, closing an
 * open `<details>` and ending with a note saying how much was left out.
 *
 * @param text The Markdown.
 * @param limit Maximum characters.
 * @returns The text and whether it was cut.
 */
export function trimMarkdown(text: string, limit: number): MarkdownReport {
  if (text.length <= limit) return { text, trimmed: false };
  const lines = text.split("\n");
  const total = lines.length;
  const note = (left: number) =>
    `\n\n> **Trimmed:** ${left} of ${total} lines were left out to stay under ${limit} ` +
    "characters. The whole report: `keel report --format html`.\n";
  const kept: string[] = [];
  let size = 0;
  let open = 0;
  for (const line of lines) {
    const closing = open > 0 ? "\n\n</details>" : "";
    if (size + line.length + 1 + closing.length + note(total).length > limit) break;
    kept.push(line);
    size += line.length + 1;
    if (/^<details>/.test(line)) open++;
    if (/^<\/details>/.test(line)) open--;
  }
  let out = kept.join("\n");
  if (open > 0) out += "\n\n</details>";
  out += note(total - kept.length);
  return { text: out, trimmed: true };
}

function _row(cells: string[]): string {
  return `| ${cells.join(" | ")} |`;
}

function _table(head: string[], rows: string[][]): string {
  return [_row(head), _row(head.map(() => "---")), ...rows.map(_row)].join("\n");
}

function _verdict(v: RunViewVerdict): string {
  return v === "aligned" ? "✅ ALIGNED" : v === "drifted" ? "❌ DRIFTED" : "NOT ANALYSED";
}
type RunViewVerdict = RunView["report"]["verdict"];

function _run(view: RunView): string {
  const r = view.report;
  const a = r.analysis;
  const snap = r.contract_snapshot;
  const out: string[] = [];
  out.push(`## keel run ${c(r.run_id)}: ${_verdict(r.verdict)}`, "");
  const errors = r.findings.filter((f) => f.severity === "error");
  const open = errors.filter((f) => acceptanceFor(f, r.deviations) === undefined);
  out.push(
    `contract **${m(r.contract)}** · domain **${m(snap.intent.domain)}** · ${r.state}` +
      ` · agent ${m(r.meta.agent ?? "—")} · branch ${m(r.meta.branch ?? "—")}` +
      (a ? ` · range ${c(`${shortSha(a.base_commit)}..${shortSha(a.head)}`)}` : ""),
    "",
    `${r.findings.length} finding(s): ${errors.length} error(s), ${open.length} not accepted.` +
      (r.state === "running" ? " The run is still active: this is a preview." : ""),
    "",
    `> **Goal.** ${m(snap.intent.goal)}`,
    "",
  );
  if (snap.intent.constraints.length) {
    out.push("**Constraints**", "", ...snap.intent.constraints.map((x) => `- ${m(x)}`), "");
  }
  out.push("### Findings", "");
  if (r.findings.length === 0) out.push("No findings.", "");
  else {
    out.push(
      _table(
        ["id", "severity", "code", "message", "accepted"],
        r.findings.map((f) => {
          const d = acceptanceFor(f, r.deviations);
          return [
            m(f.id ?? "—"),
            f.severity,
            c(f.code),
            m(cut(f.message, 300)),
            d ? `by ${m(d.by)}: ${m(cut(d.why, 200))}` : "—",
          ];
        }),
      ),
      "",
    );
  }
  out.push("### Plan against commits", "");
  const bySha = new Map(r.commits.map((x) => [x.sha, x]));
  const rows: string[][] = [];
  for (const u of a?.units ?? []) {
    if (u.commits.length === 0) rows.push([c(u.id), "❌ missing", "—", "—", "—"]);
    for (const sha of u.commits) {
      const cm = bySha.get(sha);
      rows.push([
        c(u.id),
        "✅ landed",
        c(shortSha(sha)),
        m(cut(cm?.subject ?? "", 80)),
        cm?.matched_by ?? "—",
      ]);
    }
  }
  for (const cm of r.commits.filter((x) => x.unit === null && !x.keel_only && x.files.length > 0)) {
    rows.push(["—", "❌ unplanned", c(shortSha(cm.sha)), m(cut(cm.subject, 80)), "—"]);
  }
  out.push(
    rows.length ? _table(["unit", "status", "commit", "subject", "rule"], rows) : "No units.",
    "",
  );
  out.push("### Tests", "");
  const tests = testRows(r);
  out.push(
    tests.length
      ? _table(
        ["test", "kind", "result", "provenance", "exit"],
        tests.map((t) => [
          c(t.test_id),
          t.kind,
          `${
            t.status === "passed"
              ? "✅"
              : t.status === "failed" || t.status === "error"
              ? "❌"
              : "➖"
          } ${t.status.replace("_", " ")}`,
          t.provenance,
          t.exit_code === null ? "—" : `${t.exit_code}`,
        ]),
      )
      : "No tests planned or recorded.",
    "",
  );
  const outside = r.files.filter((f) => fileScope(f) !== "allowed");
  out.push("### Files outside scope", "");
  out.push(
    outside.length
      ? _table(
        ["file", "scope", "how"],
        outside.map((f) => [
          c(f.path),
          `❌ ${fileScope(f)}`,
          m((f.sources ?? [f.source]).join(", ")),
        ]),
      )
      : `None (${r.files.length} file(s) touched, all allowed).`,
    "",
  );
  out.push(
    "<details>",
    `<summary>Evidence, all ${r.files.length} file(s), approvals</summary>`,
    "",
  );
  if (r.findings.length) {
    out.push(
      _table(
        ["id", "code", "evidence"],
        r.findings.map((f) => [
          m(f.id ?? "—"),
          c(f.code),
          evidencePairs(f.evidence, 120).map(([k, v]) => `**${m(k)}**: ${m(v)}`).join("<br>"),
        ]),
      ),
      "",
    );
  }
  if (r.files.length) {
    out.push(
      _table(["file", "scope"], r.files.map((f) => [c(f.path), fileScope(f)])),
      "",
    );
  }
  out.push(
    _table(["artifact", "approved by", "at", "digest at run start"], [
      [
        "intent",
        m(snap.intent.approval.by ?? "—"),
        snap.intent.approval.at ?? "—",
        c(r.digests.intent),
      ],
      [
        "tests",
        m(snap.tests.approval.by ?? "—"),
        snap.tests.approval.at ?? "—",
        c(r.digests.tests),
      ],
      ["plan", m(snap.plan.approval.by ?? "—"), snap.plan.approval.at ?? "—", c(r.digests.plan)],
    ]),
    "",
    "</details>",
    "",
  );
  return out.join("\n");
}

function _history(view: HistoryView): string {
  const t = view.trust;
  const out: string[] = ["## keel history and trust", ""];
  out.push(
    `${view.runs.length} run(s), ${t.overall.runs_available} finished. Metrics over the latest ` +
      `${t.window} finished run(s) per scope.`,
    "",
  );
  out.push(
    _table(
      ["scope", "runs", ...METRIC_NAMES.map((n) => METRIC_LABELS[n]), "level"],
      [...t.domains, t.overall].map((s) => [
        m(s.scope),
        `${s.runs}`,
        ...METRIC_NAMES.map((n) => formatMetric(n, s.metrics[n])),
        `**${s.delegation.level}**`,
      ]),
    ),
    "",
  );
  for (const s of [...t.domains, t.overall]) {
    out.push(`- **${m(s.scope)}**: ${s.delegation.level}. ${m(s.delegation.reason)}`);
  }
  out.push("", "<details>", `<summary>All ${view.runs.length} run(s)</summary>`, "");
  out.push(
    view.runs.length
      ? _table(
        ["run", "contract", "domain", "verdict", "started", "findings"],
        [...view.runs].reverse().map((r) => [
          c(r.run_id),
          m(r.contract),
          m(r.domain),
          r.state === "running" ? "running" : r.verdict ?? "—",
          r.started_at,
          r.findings.map((f) => `${c(f.code)}${f.accepted ? " (accepted)" : ""}`).join(", ") ||
          "—",
        ]),
      )
      : "No runs yet.",
    "",
    "</details>",
    "",
  );
  return out.join("\n");
}

function _mission(view: MissionView): string {
  const s = view.status;
  const out: string[] = [`## ${m(s.friendly_name || s.mission_slug)}`, ""];
  out.push(
    `mission ${c(s.mission_slug)} · state **${m(s.mission_state)}** · ${s.wps.length} WP(s)`,
    "",
    s.next.wp_id
      ? `**Next:** ${c(s.next.wp_id)} is what \`keel next\` would pick (⭐ below).`
      : `**Next:** none (${m(s.next.selection_reason ?? "nothing claimable")}).`,
    "",
  );
  const blockersOf = new Map<string, string[]>();
  for (const b of view.blockers) {
    blockersOf.set(b.wp_id, [...(blockersOf.get(b.wp_id) ?? []), b.diagnostic_code]);
  }
  out.push(
    view.blockers.length
      ? `⛔ Merge is blocked by ${view.blockers.length} review-artifact blocker(s).`
      : "No review-artifact blocker would stop merge.",
    "",
  );
  if (view.merge_note) out.push(`> ${m(view.merge_note)}`, "");
  const lanes = boardLanes(view).filter((l) => s.wps.some((w) => w.lane === l));
  out.push(
    _table(
      ["lane", "WP", "title", "agent", "depends on", "review cycles", "marks"],
      lanes.flatMap((lane) =>
        s.wps.filter((w) => w.lane === lane).map((w) => [
          lane,
          c(w.wp_id),
          m(cut(w.title, 80)),
          m(w.holder ?? "—"),
          w.dependencies.map((d) => `${m(d.wp_id)}${d.satisfied ? " ✓" : ""}`).join(", ") || "—",
          `${view.review_cycles[w.wp_id] ?? 0}`,
          [
            ...(s.next.wp_id === w.wp_id ? ["⭐ next"] : []),
            ...(blockersOf.get(w.wp_id) ?? []).map((code) => `⛔ ${c(code)}`),
          ].join(" ") || "—",
        ])
      ),
    ),
    "",
  );
  if (view.blockers.length) {
    out.push("<details>", "<summary>Blockers</summary>", "");
    for (const b of view.blockers) {
      out.push(`- ${c(b.wp_id)} ${c(b.diagnostic_code)}: ${m(b.message)}`);
    }
    out.push("", "</details>", "");
  }
  return out.join("\n");
}
