/**
 * The HTML report: one self-contained file. Inline CSS and SVG only, a
 * Content-Security-Policy that forbids every fetch, no script, system fonts,
 * light and dark by `prefers-color-scheme`, a print stylesheet, and a layout
 * that reflows to one column at narrow widths.
 *
 * @module
 */

import type { RunReport } from "../../schemas/run_report.ts";
import { escapeHtml as e } from "./escape.ts";
import { lineChartSvg } from "./line_chart.ts";
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

/** The Content-Security-Policy of every HTML report: nothing may be fetched. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const CSS = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#59636e;--line:#d1d9e0;
--card:#f6f8fa;--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--info:#0969da;--hl:#fff8c5;--hlb:#d4a72c}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;
--card:#151b23;--ok:#3fb950;--bad:#f85149;--warn:#d29922;--info:#4493f8;--hl:#2e2a10;--hlb:#bb8009}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,
"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.2rem 0 .6rem;overflow-wrap:anywhere}
h2{font-size:1.15rem;margin:1.6rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
h3{font-size:1rem;margin:1rem 0 .4rem}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em}
.muted{color:var(--muted)}
.meta{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;margin:.4rem 0;padding:0;list-style:none}
.meta li{overflow-wrap:anywhere}
.verdict{display:inline-block;font-weight:700;letter-spacing:.04em;padding:.25rem .7rem;
border-radius:.4rem;border:2px solid currentColor;margin:.2rem 0}
.verdict-aligned,.st-passed,.sc-allowed,.lvl-high-trust{color:var(--ok)}
.verdict-drifted,.st-failed,.st-error,.sev-error,.sc-forbidden,.sc-outside,.lvl-low-trust{color:var(--bad)}
.verdict-none,.st-not_run,.st-skipped,.sev-info,.lvl-insufficient-data{color:var(--muted)}
.sev-warning,.lvl-medium-trust{color:var(--warn)}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid var(--line)}
th{font-weight:600;color:var(--muted);white-space:nowrap}
td{overflow-wrap:break-word;word-break:normal}
tr.accepted td{opacity:.75}
.ev{margin:0;padding:0;list-style:none;font-size:.85rem}
.timeline{list-style:none;margin:0;padding:0 0 0 1rem;border-left:3px solid var(--line)}
.timeline>li{position:relative;margin:0 0 .8rem;padding-left:.6rem}
.timeline>li::before{content:"";position:absolute;left:-1.55rem;top:.35rem;width:.75rem;height:.75rem;
border-radius:50%;background:var(--ok)}
.timeline>li.missing::before,.timeline>li.unplanned::before{background:var(--bad)}
.timeline ul{margin:.2rem 0 0;padding-left:1rem}
.badge{display:inline-block;font-size:.78rem;padding:.05rem .45rem;border-radius:1rem;
border:1px solid currentColor;white-space:nowrap}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:.6rem}
figure{margin:0;padding:.5rem;background:var(--card);border:1px solid var(--line);border-radius:.4rem}
figcaption{font-size:.85rem;color:var(--muted)}
svg.chart{max-width:100%;height:auto;display:block}
svg .axis{stroke:var(--line);stroke-width:1}
svg .line{stroke:var(--info);stroke-width:2}
svg .dot{fill:var(--info)}
svg .label{fill:var(--fg);font-size:11px;font-family:system-ui,sans-serif}
main[data-view=mission]{max-width:none}
.board{display:grid;grid-template-columns:repeat(var(--lanes),minmax(8rem,1fr));gap:.5rem;
overflow-x:auto;padding-bottom:.5rem}
@media (max-width:1100px){.board{grid-template-columns:repeat(auto-fill,minmax(11rem,1fr))}}
.stop{display:inline-block;font-size:.7rem;font-weight:700;color:#fff;background:var(--bad);
border-radius:.25rem;padding:0 .3rem;margin-right:.25rem;letter-spacing:.03em}
.lane{background:var(--card);border:1px solid var(--line);border-radius:.4rem;padding:.4rem;min-width:0}
.lane h2{font-size:.9rem;margin:0 0 .4rem;border:0;text-transform:uppercase;letter-spacing:.03em}
.card{background:var(--bg);border:1px solid var(--line);border-radius:.35rem;padding:.45rem;
margin:0 0 .45rem;font-size:.88rem;break-inside:avoid;overflow-wrap:anywhere}
.card .blocker{font-weight:400;font-size:.82rem}
.card h3{margin:0 0 .2rem;font-size:.92rem}
.card p{margin:.15rem 0}
.card.next{border:2px solid var(--hlb);background:var(--hl)}
.card.blocked-merge{border-left:5px solid var(--bad)}
.blocker{color:var(--bad);font-weight:600}
.empty{color:var(--muted);font-size:.85rem;margin:0}
footer{margin-top:2rem;font-size:.8rem;color:var(--muted)}
@media (max-width:640px){main{padding:.6rem}.board{grid-template-columns:1fr}
table,tbody,tr,td{display:block;width:100%}thead{display:none}
tr{border:1px solid var(--line);border-radius:.35rem;margin:0 0 .5rem;padding:.2rem .4rem}
td{border:0;padding:.15rem 0 .15rem 6.4rem;overflow-wrap:anywhere;position:relative;min-height:1.5rem}
td::before{content:attr(data-label);position:absolute;left:0;top:.3rem;width:6rem;font-size:.72rem;
color:var(--muted);text-transform:uppercase;letter-spacing:.03em}}
@media print{:root{--bg:#fff;--fg:#000;--card:#fff;--line:#999;--hl:#fff;--muted:#333}
main{max-width:none;padding:0}.scroll,.board{overflow:visible}
.board{grid-template-columns:repeat(3,1fr)}.stop{color:#000;border:1px solid #000}section,tr,figure{break-inside:avoid}
a{color:inherit;text-decoration:none}}
`.replace(/\n/g, "");

/**
 * Render a report view as one self-contained HTML document.
 *
 * @param view The view.
 * @param options `generatedAt`: when (shown in the footer); `version`: keel's version.
 * @returns The HTML text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderHtml } from "./render_html.ts";
 * import { trustScope } from "../trust/mod.ts";
 * import { DEFAULT_TRUST_CONFIG } from "../contract/mod.ts";
 * const overall = trustScope("overall", [], { window: 10, config: DEFAULT_TRUST_CONFIG });
 * const html = renderHtml({
 *   kind: "history", runs: [], series: [], notes: [],
 *   trust: { schema_version: 1, computed_at: "2026-01-01T00:00:00.000Z", window: 10, min_runs: 3,
 *     thresholds: {}, worktrees: ["."], domains: [], notes: [], overall },
 * }, { generatedAt: "2026-01-01T00:00:00.000Z", version: "0.1.0" });
 * assert.match(html, /^<!doctype html>/);
 * assert.ok(html.includes(`content="default-src 'none'`));
 * assert.ok(html.includes('data-level="insufficient-data"'));
 * assert.ok(html.includes('<p class="empty">No runs yet.</p>'));
 * ```
 */
export function renderHtml(
  view: ReportView,
  options: { generatedAt: string; version: string },
): string {
  const { title, body } = view.kind === "run"
    ? _run(view)
    : view.kind === "history"
    ? _history(view)
    : _mission(view);
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`,
    '<meta name="color-scheme" content="light dark">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${e(title)}</title>`,
    `<style>${CSS}</style></head>`,
    `<body><main class="report" data-view="${view.kind}">`,
    body,
    `<footer>keel ${e(options.version)} · generated ${e(options.generatedAt)} · ` +
    `one self-contained file: no scripts, nothing fetched.</footer>`,
    "</main></body></html>",
    "",
  ].join("\n");
}

function _table(head: string[], rows: string[], cls: string): string {
  // Each cell carries its column's name, shown as a label when narrow screens stack the rows.
  const labelled = rows.map((row) => {
    let i = 0;
    return row.replace(/<td(?=[ >])/g, () => `<td data-label="${e(head[i++] ?? "")}"`);
  });
  return `<div class="scroll"><table class="${cls}"><thead><tr>${
    head.map((h) => `<th scope="col">${e(h)}</th>`).join("")
  }</tr></thead><tbody>${labelled.join("\n")}</tbody></table></div>`;
}

/** A code, breakable after its underscores. */
function _code(code: string): string {
  return e(code).replace(/_/g, "_<wbr>");
}

function _verdictBadge(v: RunReport["verdict"]): string {
  const name = v ?? "none";
  const text = v === null ? "NOT ANALYSED" : v.toUpperCase();
  return `<p class="verdict verdict-${name}" data-verdict="${name}">${text}</p>`;
}

function _run(view: RunView): { title: string; body: string } {
  const r = view.report;
  const a = r.analysis;
  const snap = r.contract_snapshot;
  const out: string[] = [];
  out.push(`<h1>Run <span class="mono">${e(r.run_id)}</span></h1>`);
  out.push(_verdictBadge(r.verdict));
  const errors = r.findings.filter((f) => f.severity === "error");
  const open = errors.filter((f) => acceptanceFor(f, r.deviations) === undefined);
  out.push(
    `<p class="summary">${r.findings.length} finding(s): ${errors.length} error(s), ` +
      `${open.length} not accepted.${
        r.state === "running" ? " The run is still active: this is a preview." : ""
      }</p>`,
  );
  out.push(
    `<ul class="meta"><li>contract <b>${e(r.contract)}</b></li><li>domain <b>${
      e(snap.intent.domain)
    }</b></li><li>state <b>${r.state}</b></li><li>agent <b>${e(r.meta.agent ?? "—")}</b></li>` +
      `<li>branch <b>${e(r.meta.branch ?? "—")}</b></li><li>started ${e(r.meta.started_at)}</li>` +
      `<li>finished ${e(r.meta.finished_at ?? "—")}</li>` +
      (a
        ? `<li>range <span class="mono">${e(shortSha(a.base_commit))}..${
          e(shortSha(a.head))
        }</span></li>`
        : "") +
      `</ul>`,
  );

  // Contract
  out.push(`<section id="contract"><h2>Contract</h2>`);
  out.push(`<p class="goal"><b>Goal.</b> ${e(snap.intent.goal)}</p>`);
  out.push(
    snap.intent.constraints.length === 0
      ? `<p class="muted">No constraints.</p>`
      : `<ul class="constraints">${
        snap.intent.constraints.map((c) => `<li>${e(c)}</li>`).join("")
      }</ul>`,
  );
  out.push(
    `<ul class="meta"><li>risk <b>${e(snap.intent.risk_level)}</b></li>` +
      `<li>allowed <span class="mono">${
        e(snap.intent.allowed_files.join(", ") || "—")
      }</span></li>` +
      `<li>forbidden <span class="mono">${
        e(snap.intent.forbidden_files.join(", ") || "—")
      }</span></li></ul></section>`,
  );

  // Timeline
  out.push(`<section id="timeline"><h2>Plan against commits</h2>`);
  const bySha = new Map(r.commits.map((c) => [c.sha, c]));
  const summary = new Map(snap.plan.units.map((u) => [u.id, u.summary]));
  const units = a?.units ?? snap.plan.units.map((u) => ({
    id: u.id,
    commits: [] as string[],
    status: "missing" as const,
  }));
  const items: string[] = [];
  for (const u of units) {
    const commits = u.commits.map((sha) => {
      const c = bySha.get(sha);
      return `<li class="commit" data-sha="${e(sha)}"><span class="mono">${
        e(shortSha(sha))
      }</span> ${e(cut(c?.subject ?? "", 90))} <span class="badge">${
        e(c?.matched_by ?? "—")
      }</span></li>`;
    });
    items.push(
      `<li class="unit ${u.status}" data-unit="${e(u.id)}" data-status="${u.status}"><b>${
        e(u.id)
      }</b> <span class="badge ${u.status === "landed" ? "st-passed" : "st-failed"}">${
        u.status === "landed" ? "landed" : "MISSING"
      }</span> <span class="muted">${e(summary.get(u.id) ?? "")}</span>` +
        (commits.length ? `<ul>${commits.join("")}</ul>` : "") + `</li>`,
    );
  }
  const unplanned = r.commits.filter((c) => c.unit === null && !c.keel_only && c.files.length > 0);
  for (const c of unplanned) {
    items.push(
      `<li class="unit unplanned commit" data-sha="${e(c.sha)}" data-status="unplanned">` +
        `<b>UNPLANNED</b> <span class="mono">${e(shortSha(c.sha))}</span> ${
          e(cut(c.subject, 90))
        } <span class="muted mono">${e(cut(c.files.join(", "), 160))}</span></li>`,
    );
  }
  out.push(
    items.length
      ? `<ol class="timeline">${items.join("\n")}</ol>`
      : `<p class="empty">No units.</p>`,
  );
  out.push(
    `<p class="muted">${r.commits.length} commit(s), ${unplanned.length} unplanned. ` +
      `Matching rule: a Keel-Unit trailer (trailer), else the unit whose globs match most files ` +
      `(files).</p></section>`,
  );

  // Tests
  const tests = testRows(r);
  out.push(`<section id="tests"><h2>Tests</h2>`);
  out.push(
    tests.length === 0 ? `<p class="empty">No tests planned or recorded.</p>` : _table(
      ["test", "kind", "gate", "result", "provenance", "exit", "command"],
      tests.map((t) =>
        `<tr class="test" data-test="${
          e(t.test_id)
        }" data-status="${t.status}" data-kind="${t.kind}">` +
        `<td class="mono">${e(t.test_id)}</td><td>${t.kind}</td><td>${e(t.gate ?? "—")}</td>` +
        `<td class="st-${t.status}">${t.status.replace("_", " ")}</td><td>${e(t.provenance)}</td>` +
        `<td>${t.exit_code ?? "—"}</td><td class="mono">${e(cut(t.command ?? "—", 120))}</td></tr>`
      ),
      "tests",
    ),
  );
  out.push(`</section>`);

  // Findings
  out.push(`<section id="findings"><h2>Findings</h2>`);
  out.push(
    r.findings.length === 0 ? `<p class="empty">No findings.</p>` : _table(
      ["id", "severity", "code", "message", "evidence", "accepted"],
      r.findings.map((f, i) => {
        const d = acceptanceFor(f, r.deviations);
        const ev = evidencePairs(f.evidence).map(([k, v]) =>
          `<li><b>${e(k)}</b>: <span class="mono">${e(v)}</span></li>`
        ).join("");
        return `<tr class="finding${d ? " accepted" : ""}" data-id="${e(f.id ?? `#${i + 1}`)}" ` +
          `data-code="${e(f.code)}" data-severity="${f.severity}" data-accepted="${!!d}">` +
          `<td class="mono">${
            e(f.id ?? "—")
          }</td><td class="sev-${f.severity}">${f.severity}</td>` +
          `<td class="mono">${_code(f.code)}</td><td>${e(f.message)}</td>` +
          `<td><ul class="ev">${ev}</ul></td><td>${
            d ? `accepted by <b>${e(d.by)}</b>: ${e(d.why)}` : "—"
          }</td></tr>`;
      }),
      "findings",
    ),
  );
  out.push(`</section>`);

  // Files
  out.push(`<section id="files"><h2>Files touched</h2>`);
  out.push(
    r.files.length === 0 ? `<p class="empty">No files touched.</p>` : _table(
      ["file", "scope", "how"],
      r.files.map((f) => {
        const sc = fileScope(f);
        const cls = sc === "allowed" ? "allowed" : sc === "forbidden" ? "forbidden" : "outside";
        return `<tr class="file" data-path="${e(f.path)}" data-scope="${cls}">` +
          `<td class="mono">${e(f.path)}</td><td class="sc-${cls}">${
            sc === "allowed" ? "✓ allowed" : `✗ ${sc}`
          }</td><td>${e((f.sources ?? [f.source]).join(", "))}</td></tr>`;
      }),
      "files",
    ),
  );
  out.push(`</section>`);

  // Approvals
  out.push(`<section id="approvals"><h2>Approvals</h2>`);
  const arts = [
    ["intent", snap.intent.approval, r.digests.intent],
    ["tests", snap.tests.approval, r.digests.tests],
    ["plan", snap.plan.approval, r.digests.plan],
  ] as const;
  out.push(_table(
    ["artifact", "approved by", "at", "digest at run start"],
    arts.map(([name, ap, digest]) =>
      `<tr class="approval" data-artifact="${name}"><td>${name}</td><td>${
        e(ap.by ?? "—")
      }</td><td>${e(ap.at ?? "—")}</td><td class="mono">${e(digest)}</td></tr>`
    ),
    "approvals",
  ));
  out.push(`</section>`);
  return { title: `keel run ${r.run_id} — ${r.verdict ?? "not analysed"}`, body: out.join("\n") };
}

function _history(view: HistoryView): { title: string; body: string } {
  const t = view.trust;
  const out: string[] = [];
  out.push(`<h1>Run history and trust</h1>`);
  out.push(
    `<p class="summary">${view.runs.length} run(s), ${t.overall.runs_available} finished. ` +
      `Metrics over the latest ${t.window} finished run(s) per scope; a level needs at least ` +
      `${t.min_runs} runs.</p>`,
  );
  const seriesOf = new Map(view.series.map((s) => [s.scope, s]));
  for (const scope of [...t.domains, t.overall]) {
    const s = seriesOf.get(scope.scope);
    out.push(
      `<section class="scope" data-scope="${e(scope.scope)}"><h2>${e(scope.scope)} ` +
        `<span class="badge lvl-${scope.delegation.level}" data-level="${scope.delegation.level}">${scope.delegation.level}</span></h2>`,
    );
    out.push(
      `<p><b>Why.</b> ${e(scope.delegation.reason)}</p><p><b>Next run.</b> ${
        e(scope.delegation.means)
      }</p>`,
    );
    out.push(`<div class="charts">`);
    for (const name of METRIC_NAMES) {
      const values = s?.metrics[name] ?? [];
      const rate = name !== "rollback_or_revert_count" && name !== "approval_latency_minutes";
      out.push(
        `<figure class="metric" data-metric="${name}"><figcaption>${METRIC_LABELS[name]}: <b>${
          e(formatMetric(name, scope.metrics[name]))
        }</b></figcaption>${
          lineChartSvg(values, {
            title: `${scope.scope}: ${METRIC_LABELS[name]} after each of ${values.length} run(s)`,
            ...(rate ? { yMax: 1 } : {}),
            format: (v) => formatMetric(name, v),
          })
        }</figure>`,
      );
    }
    out.push(`</div></section>`);
  }
  out.push(`<section id="runs"><h2>Runs</h2>`);
  out.push(
    view.runs.length === 0 ? `<p class="empty">No runs yet.</p>` : _table(
      ["run", "contract", "domain", "verdict", "agent", "started", "findings"],
      [...view.runs].reverse().map((r) => {
        const v = r.state === "running" ? "running" : r.verdict ?? "none";
        const codes = r.findings.map((f) =>
          `<span class="mono sev-${f.severity}">${e(f.code)}${
            f.accepted ? " (accepted)" : ""
          }</span>`
        ).join(", ");
        return `<tr class="run" data-run="${e(r.run_id)}" data-verdict="${v}">` +
          `<td class="mono">${e(r.run_id)}</td><td>${e(r.contract)}</td><td>${e(r.domain)}</td>` +
          `<td class="verdict-${r.verdict ?? "none"}">${v}</td><td>${e(r.agent ?? "—")}</td>` +
          `<td>${e(r.started_at)}</td><td>${codes || "—"}</td></tr>`;
      }),
      "runs",
    ),
  );
  out.push(`</section>`);
  const notes = [...t.notes, ...view.notes];
  if (notes.length) {
    out.push(`<ul class="notes">${notes.map((n) => `<li>${e(n)}</li>`).join("")}</ul>`);
  }
  return { title: "keel history", body: out.join("\n") };
}

function _mission(view: MissionView): { title: string; body: string } {
  const s = view.status;
  const out: string[] = [];
  const name = s.friendly_name || s.mission_slug;
  out.push(`<h1>${e(name)}</h1>`);
  out.push(
    `<ul class="meta"><li>mission <span class="mono">${e(s.mission_slug)}</span></li>` +
      `<li>state <b>${e(s.mission_state)}</b></li>` +
      (s.progress
        ? `<li>progress <b>${
          Math.round(s.progress.weighted_percentage)
        }% (${s.progress.done_wps}/${s.progress.total_wps} done)</b></li>`
        : "") +
      `<li>${s.wps.length} WP(s)</li></ul>`,
  );
  out.push(
    s.next.wp_id
      ? `<p class="next-pick" data-next="${e(s.next.wp_id)}">Next: <b>${
        e(s.next.wp_id)
      }</b> is what <code>keel next</code> would pick (highlighted).</p>`
      : `<p class="next-pick" data-next="">Next: none — ${
        e(s.next.selection_reason ?? "nothing claimable")
      }.</p>`,
  );
  const blockersOf = new Map<string, typeof view.blockers>();
  for (const b of view.blockers) blockersOf.set(b.wp_id, [...(blockersOf.get(b.wp_id) ?? []), b]);
  out.push(
    view.blockers.length
      ? `<p class="blocker">Merge is blocked by ${view.blockers.length} review-artifact blocker(s), marked <span class="stop">BLOCKS MERGE</span> on their cards.</p>`
      : `<p class="muted">No review-artifact blocker would stop merge.</p>`,
  );
  if (view.merge_note) out.push(`<p class="muted">${e(view.merge_note)}</p>`);
  const lanes = boardLanes(view);
  out.push(`<div class="board" style="--lanes:${lanes.length}">`);
  for (const lane of lanes) {
    const wps = s.wps.filter((w) => w.lane === lane);
    out.push(
      `<section class="lane" data-lane="${e(lane)}"><h2>${e(lane.replace("_", " "))} ` +
        `<span class="muted">${wps.length}</span></h2>`,
    );
    if (wps.length === 0) out.push(`<p class="empty">—</p>`);
    for (const w of wps) {
      const isNext = s.next.wp_id === w.wp_id;
      const bs = blockersOf.get(w.wp_id) ?? [];
      const deps = w.dependencies.length === 0
        ? "none"
        : w.dependencies.map((d) => `${e(d.wp_id)}${d.satisfied ? " ✓" : ` (${e(d.lane)})`}`)
          .join(", ");
      out.push(
        `<article class="card${isNext ? " next" : ""}${bs.length ? " blocked-merge" : ""}" ` +
          `data-wp="${e(w.wp_id)}"${isNext ? ' data-next="true"' : ""}${
            bs.length ? ` data-blockers="${bs.map((b) => e(b.diagnostic_code)).join(" ")}"` : ""
          }>` +
          `<h3><span class="mono">${e(w.wp_id)}</span> ${e(w.title)}${
            isNext ? ' <span class="badge">next</span>' : ""
          }</h3>` +
          `<p>agent: <b>${e(w.holder ?? "—")}</b></p>` +
          `<p>depends on: ${deps}</p>` +
          `<p>review cycles: ${view.review_cycles[w.wp_id] ?? 0}${
            w.review.verdict ? ` · last verdict ${e(w.review.verdict)}` : ""
          }</p>` +
          bs.map((b) =>
            `<p class="blocker" data-code="${
              e(b.diagnostic_code)
            }"><span class="stop">BLOCKS MERGE</span> ${_code(b.diagnostic_code)}: ${
              e(cut(b.message, 200))
            }</p>`
          ).join("") +
          `</article>`,
      );
    }
    out.push(`</section>`);
  }
  out.push(`</div>`);
  return { title: `keel mission ${s.mission_slug}`, body: out.join("\n") };
}
