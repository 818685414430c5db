import assert from "node:assert/strict";
import { marked } from "marked";
import type * as Sarif from "sarif-types";
import { type DriftFinding, RunReport } from "../../schemas/run_report.ts";
import { DRIFT_SEVERITY } from "../drift/mod.ts";
import { DRIFT_RULE_DOCS } from "./drift_rules.ts";
import { escapeHtml } from "./escape.ts";
import { renderHtml } from "./render_html.ts";
import { MD_LIMIT, renderMarkdown } from "./render_md.ts";
import { renderSarif } from "./render_sarif.ts";
import type { RunView } from "./report_views.ts";

const OPTS = { generatedAt: "2026-11-28T00:00:00.000Z", version: "0.1.0" };

function _fixture(name: string): RunReport {
  const url = new URL(`../../tests/fixtures/report/${name}.json`, import.meta.url);
  return RunReport.parse(JSON.parse(Deno.readTextFileSync(url)));
}

function _view(report: RunReport): RunView {
  return { kind: "run", report };
}

/** The drifted run with `n` findings (the fixture's four, repeated with new ids and paths). */
function _withFindings(n: number): RunReport {
  const r = _fixture("run_drifted");
  const base = r.findings;
  const findings: DriftFinding[] = Array.from({ length: n }, (_, i) => {
    const f = base[i % base.length]!;
    const path = `src/generated/module_${i}.ts`;
    return {
      ...f,
      id: `F${i + 1}`,
      key: `${f.code}:${i}`,
      message: `${f.message} (#${i + 1})`,
      evidence: f.code === "SCOPE_FILE_OUTSIDE_ALLOWED" ? { ...f.evidence, path } : f.evidence,
    };
  });
  return { ...r, findings, deviations: [] };
}

/** Cells of a Markdown table row (split on unescaped pipes). */
function _cells(line: string): number {
  return line.replace(/\\\|/g, "").split("|").length - 2;
}

Deno.test("renderHtml() run view: verdict, every unit, test, finding, file and approval", async (t) => {
  const r = _fixture("run_drifted");
  const html = renderHtml(_view(r), OPTS);
  await t.step("verdict at the top", () => {
    assert.ok(
      html.includes('<p class="verdict verdict-drifted" data-verdict="drifted">DRIFTED</p>'),
    );
    assert.ok(html.indexOf("data-verdict") < html.indexOf('id="contract"'));
  });
  await t.step("every planned unit, in order, with its commits and rule", () => {
    const units = [...html.matchAll(/data-unit="([^"]+)" data-status="([^"]+)"/g)].map((m) => [
      m[1],
      m[2],
    ]);
    assert.deepEqual(units, [["impl", "landed"], ["test", "missing"]]);
    const impl = r.commits.find((c) => c.unit === "impl")!;
    assert.ok(html.includes(`data-sha="${impl.sha}"`));
    assert.match(html, /Add wordFrequency <span class="badge">trailer<\/span>/);
    const unplanned = r.commits.find((c) => c.unit === null)!;
    assert.ok(html.includes(`class="unit unplanned commit" data-sha="${unplanned.sha}"`));
  });
  await t.step("every finding with severity, code and acceptance", () => {
    for (const f of r.findings) {
      const accepted = r.deviations.some((d) => d.finding_id === f.id);
      assert.ok(
        html.includes(
          `data-id="${f.id}" data-code="${f.code}" data-severity="${f.severity}" data-accepted="${accepted}"`,
        ),
        `${f.id} ${f.code}`,
      );
      assert.ok(html.includes(escapeHtml(f.message)), f.message);
    }
    assert.ok(
      html.includes("accepted by <b>maintainer</b>: Documenting the new function is welcome"),
    );
  });
  await t.step("tests with result and provenance", () => {
    assert.match(
      html,
      /data-test="frequency-exported" data-status="passed" data-kind="required">.*?<td data-label="provenance">executed<\/td><td data-label="exit">0<\/td>/,
    );
    assert.match(
      html,
      /data-test="frequency-tested" data-status="skipped" data-kind="required">.*?<td data-label="provenance">self-reported<\/td>/,
    );
  });
  await t.step("files marked allowed / outside scope", () => {
    assert.ok(html.includes('data-path="docs/usage.md" data-scope="outside"'));
    assert.ok(html.includes('data-path="src/stats.ts" data-scope="allowed"'));
  });
  await t.step("goal, constraints, approvals and digests", () => {
    assert.ok(html.includes(escapeHtml(r.contract_snapshot.intent.goal)));
    for (const c of r.contract_snapshot.intent.constraints) assert.ok(html.includes(escapeHtml(c)));
    for (const a of ["intent", "tests", "plan"] as const) {
      assert.match(
        html,
        new RegExp(`data-artifact="${a}"><td[^>]*>${a}</td><td[^>]*>maintainer</td>`),
      );
      assert.ok(html.includes(r.digests[a]));
    }
  });
  await t.step("a forbidden file is marked forbidden", () => {
    const f = renderHtml(_view(_fixture("run_forbidden")), OPTS);
    assert.ok(f.includes('data-path="README.md" data-scope="forbidden"'));
    assert.ok(f.includes("✗ forbidden"));
  });
  await t.step("an aligned run", () => {
    const a = renderHtml(_view(_fixture("run_aligned")), OPTS);
    assert.ok(a.includes('data-verdict="aligned">ALIGNED</p>'));
    assert.ok(a.includes('<p class="empty">No findings.</p>'));
  });
});

Deno.test("renderHtml() is self-contained: no scripts, no URLs, a CSP that forbids fetching", () => {
  const html = renderHtml(_view(_fixture("run_drifted")), OPTS);
  assert.ok(
    html.includes(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    ),
  );
  assert.ok(!/<script|<link|<img|<iframe|@import|url\(|@font-face/i.test(html));
  assert.ok(!/(https?:)?\/\/[\w.-]+\.[a-z]/i.test(html), "no URL anywhere");
  assert.ok(html.includes("prefers-color-scheme:dark"));
  assert.ok(html.includes("@media print"));
  assert.ok(html.includes("@media (max-width:640px)"));
  assert.ok(html.includes('<meta name="viewport" content="width=device-width, initial-scale=1">'));
});

Deno.test("renderHtml() escapes everything taken from the run", () => {
  const r = _fixture("run_drifted");
  const evil = `<img src=x onerror=alert(1)>"'&`;
  const bad: RunReport = {
    ...r,
    contract_snapshot: {
      ...r.contract_snapshot,
      intent: { ...r.contract_snapshot.intent, goal: evil, constraints: [evil] },
    },
    findings: r.findings.map((f) => ({ ...f, message: evil, evidence: { path: evil } })),
  };
  const html = renderHtml(_view(bad), OPTS);
  assert.ok(!html.includes("<img"));
  assert.ok(html.includes("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;"));
});

Deno.test("renderHtml() of a run with 50 findings is under 200 KB and shows all of them", () => {
  const r = _withFindings(50);
  const html = renderHtml(_view(r), OPTS);
  const bytes = new TextEncoder().encode(html).length;
  assert.ok(bytes < 200_000, `${bytes} bytes`);
  const ids = [...html.matchAll(/<tr class="finding" data-id="(F\d+)"/g)].map((m) => m[1]);
  assert.deepEqual(ids, Array.from({ length: 50 }, (_, i) => `F${i + 1}`));
});

Deno.test("renderMarkdown() run view: tables, a collapsed details section, every finding", () => {
  const r = _fixture("run_drifted");
  const md = renderMarkdown(_view(r));
  assert.equal(md.trimmed, false);
  assert.ok(md.text.startsWith("## keel run `" + r.run_id + "`: ❌ DRIFTED\n"));
  for (const f of r.findings) {
    assert.match(md.text, new RegExp(`^\\| ${f.id} \\| ${f.severity} \\| \`${f.code}\` \\|`, "m"));
  }
  assert.match(
    md.text,
    /^\| `impl` \| ✅ landed \| `[0-9a-f]{8}` \| Add wordFrequency \| trailer \|$/m,
  );
  assert.match(md.text, /^\| `test` \| ❌ missing \|/m);
  assert.match(md.text, /^\| — \| ❌ unplanned \| `[0-9a-f]{8}` \| Document wordFrequency \|/m);
  assert.match(md.text, /^\| `frequency-exported` \| required \| ✅ passed \| executed \| 0 \|$/m);
  assert.match(md.text, /^\| `docs\/usage.md` \| ❌ outside scope \| committed \|$/m);
  assert.match(md.text, /\n<details>\n<summary>[^<]+<\/summary>\n\n[\s\S]*\n<\/details>\n/);
  // Every table row has as many cells as its header (a CommonMark/GFM table renders whole).
  const lines = md.text.split("\n");
  let width = -1;
  for (const line of lines) {
    if (!line.startsWith("|")) {
      width = -1;
      continue;
    }
    if (width < 0) width = _cells(line);
    else assert.equal(_cells(line), width, line);
  }
});

Deno.test("renderMarkdown() stays under GitHub's limit and says when it trimmed", () => {
  const small = renderMarkdown(_view(_withFindings(50)));
  assert.equal(small.trimmed, false);
  assert.ok(small.text.length < MD_LIMIT);
  const big = renderMarkdown(_view(_withFindings(3000)));
  assert.equal(big.trimmed, true);
  assert.ok(big.text.length <= MD_LIMIT, `${big.text.length}`);
  assert.match(big.text, /> \*\*Trimmed:\*\* \d+ of \d+ lines were left out/);
  const opens = big.text.split("\n").filter((l) => l.startsWith("<details>")).length;
  const closes = big.text.split("\n").filter((l) => l.startsWith("</details>")).length;
  assert.equal(opens, closes);
});

Deno.test("renderSarif() is SARIF 2.1.0: one result per finding, rules documented", async (t) => {
  const r = _fixture("run_drifted");
  // Type-checked against the SARIF type definitions from npm (@types/sarif).
  const log: Sarif.Log = renderSarif(r, { version: "0.1.0" });
  const run = log.runs[0]!;
  await t.step("version and tool", () => {
    assert.equal(log.version, "2.1.0");
    assert.equal(run.tool.driver.name, "keel");
  });
  await t.step("one result per finding, rule id = code, level from severity", () => {
    assert.deepEqual(
      run.results!.map((x) => [x.ruleId, x.level]),
      r.findings.map((f) => [f.code, f.severity === "info" ? "note" : f.severity]),
    );
    for (const x of run.results!) {
      assert.equal(run.tool.driver.rules![x.ruleIndex!]!.id, x.ruleId);
    }
  });
  await t.step("a file finding has the file's physical location", () => {
    const scope = run.results!.find((x) => x.ruleId === "SCOPE_FILE_OUTSIDE_ALLOWED")!;
    assert.deepEqual(scope.locations, [{
      physicalLocation: { artifactLocation: { uri: "docs/usage.md", uriBaseId: "%SRCROOT%" } },
    }]);
    assert.deepEqual(scope.suppressions, [{
      kind: "external",
      status: "accepted",
      justification: "Documenting the new function is welcome (accepted by maintainer)",
    }]);
    const missing = run.results!.find((x) => x.ruleId === "PLAN_UNIT_MISSING")!;
    assert.equal(missing.locations, undefined);
  });
  await t.step("every drift code is a rule carrying its documentation", () => {
    const rules = run.tool.driver.rules!;
    assert.deepEqual(rules.map((x) => x.id), Object.keys(DRIFT_SEVERITY));
    for (const rule of rules) {
      const doc = DRIFT_RULE_DOCS[rule.id as keyof typeof DRIFT_RULE_DOCS];
      assert.equal(rule.shortDescription!.text, doc.short);
      assert.equal(rule.fullDescription!.text, doc.full);
      assert.equal(
        rule.defaultConfiguration!.level,
        DRIFT_SEVERITY[rule.id as keyof typeof DRIFT_SEVERITY],
      );
    }
  });
  await t.step("a path with spaces is percent-encoded", () => {
    const odd: RunReport = {
      ...r,
      findings: [{ ...r.findings[0]!, evidence: { path: "docs/my notes#1.md" } }],
    };
    const x = renderSarif(odd, { version: "0.1.0" }).runs[0]!.results[0]!;
    assert.equal(x.locations![0]!.physicalLocation.artifactLocation.uri, "docs/my%20notes%231.md");
  });
});

Deno.test("DRIFT_RULE_DOCS documents exactly the drift codes", () => {
  assert.deepEqual(Object.keys(DRIFT_RULE_DOCS).sort(), Object.keys(DRIFT_SEVERITY).sort());
});

Deno.test("renderMarkdown(): a GitHub-flavoured renderer (marked) makes real tables of it", async () => {
  const r = _fixture("run_drifted");
  const html = await marked.parse(renderMarkdown(_view(r)).text, { gfm: true, async: true });
  const tables = [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((m) => m[1]!);
  const findings = tables.find((t) => t.includes("<th>severity</th>"))!;
  const rows = [
    ...findings.matchAll(
      /<tr>\s*<td>(F\d)<\/td>\s*<td>(\w+)<\/td>\s*<td><code>(\w+)<\/code><\/td>/g,
    ),
  ]
    .map((m) => [m[1], m[2], m[3]]);
  assert.deepEqual(rows, r.findings.map((f) => [f.id, f.severity, f.code]));
  assert.ok(tables.length >= 6, `${tables.length} tables`);
  assert.match(html, /<details>\s*<summary>Evidence, all 2 file\(s\), approvals<\/summary>/);
});
