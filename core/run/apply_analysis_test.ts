import assert from "node:assert/strict";
import type { RunReport } from "../../schemas/run_report.ts";
import { applyAnalysis, type RunFacts } from "./apply_analysis.ts";

const approval = { state: "approved" as const, by: "me", at: null, digest: null, checklist: [] };
const D = { intent: "a".repeat(64), tests: "b".repeat(64), plan: "c".repeat(64) };

function report(): RunReport {
  return {
    schema_version: 1,
    run_id: "01ARZ3NDEKTSV4RRFFQ69G5FAV",
    contract: "default",
    state: "finished",
    digests: D,
    contract_snapshot: {
      intent: {
        schema_version: 1,
        goal: "g",
        constraints: [],
        allowed_files: ["src/**"],
        forbidden_files: [],
        risk_level: "low",
        domain: "x",
        approval,
      },
      tests: { schema_version: 1, tests: [], approval },
      plan: { schema_version: 1, units: [], approval },
    },
    meta: {
      branch: "main",
      worktree: "/r",
      base_commit: "b".repeat(40),
      session_id: "s",
      agent: null,
      host: "h",
      pid: 1,
      started_at: "2026-01-01T00:00:00.000Z",
      finished_at: "2026-01-01T00:00:00.000Z",
      keel_version: "0",
    },
    tests: [],
    commits: [],
    files: [],
    findings: [],
    deviations: [],
    verdict: null,
  };
}

function facts(untracked: string[]): RunFacts {
  return {
    commits: [],
    worktree: { staged: [], unstaged: [], untracked },
    head: "c".repeat(40),
    baseIsAncestor: true,
    range: "x",
    gitBackend: "cli",
    currentDigests: D,
    artifactPaths: { intent: "i", tests: "t", plan: "p" },
  };
}

Deno.test("applyAnalysis() moves accepted deviations to their finding when ids are renumbered", () => {
  const now = new Date("2026-01-02T00:00:00.000Z");
  const first = applyAnalysis(report(), facts(["docs/b.md"]), { now });
  assert.deepEqual(first.findings.map((f) => [f.id, f.key]), [
    ["F1", "SCOPE_FILE_OUTSIDE_ALLOWED:docs/b.md"],
    ["F2", "WORKTREE_UNCOMMITTED:"],
  ]);
  assert.equal(first.verdict, "drifted");
  first.deviations.push({
    finding_id: "F1",
    code: "SCOPE_FILE_OUTSIDE_ALLOWED",
    why: "notes",
    by: "me",
    at: now.toISOString(),
  });
  const again = applyAnalysis(first, facts(["docs/a.md", "docs/b.md"]), { now });
  assert.deepEqual(again.findings.map((f) => f.key), [
    "SCOPE_FILE_OUTSIDE_ALLOWED:docs/a.md",
    "SCOPE_FILE_OUTSIDE_ALLOWED:docs/b.md",
    "WORKTREE_UNCOMMITTED:",
  ]);
  assert.deepEqual(again.deviations.map((d) => [d.finding_id, d.finding_key]), [
    ["F2", "SCOPE_FILE_OUTSIDE_ALLOWED:docs/b.md"],
  ]);
  assert.equal(again.verdict, "drifted");
  const fixed = applyAnalysis(again, facts(["docs/b.md"]), { now });
  assert.deepEqual(fixed.deviations.map((d) => d.finding_id), ["F1"]);
  assert.equal(fixed.verdict, "aligned");
  assert.equal(fixed.analysis?.analyzed_at, now.toISOString());
});
