/**
 * Fixture run reports for the retrospective and trust tests: valid
 * run_report.json files written straight into `.keel/runs/<id>/`.
 *
 * @module
 */

import { RunReport } from "../schemas/run_report.ts";
import type { DriftCode } from "../schemas/codes.ts";
import { ulid } from "../core/util/ulid.ts";

/** What a fixture run says. */
export interface FixtureRun {
  /** Minutes after 2026-01-01T00:00Z at which the run started. */
  minute: number;
  domain: string;
  contract?: string;
  allowed?: string[];
  findings?: RunReport["findings"];
  deviations?: RunReport["deviations"];
  commits?: { sha: string; subject: string; files: string[] }[];
  rework?: string[];
  defects?: string[];
  /** Minutes from proposal to approval (all three artifacts); null = no timestamps. */
  latency?: number | null;
  source?: { mission: string; wp_id: string };
  state?: "running" | "finished";
  tests?: RunReport["tests"];
}

const T0 = Date.parse("2026-01-01T00:00:00Z");

function _digest(n: number, minute: number): string {
  return `${n}${minute}`.padStart(64, "0");
}

function _iso(minute: number): string {
  return new Date(T0 + minute * 60_000).toISOString();
}

/**
 * Build a valid run report.
 *
 * @param run The fixture.
 * @returns The report (validated against the schema).
 */
export function fixtureReport(run: FixtureRun): RunReport {
  const started = run.minute;
  const latency = run.latency === undefined ? 30 : run.latency;
  const approval = {
    state: "approved" as const,
    by: "maintainer",
    at: _iso(started - 5),
    digest: "a".repeat(64),
    checklist: [],
    proposed_at: latency === null ? null : _iso(started - 5 - latency),
  };
  const findings = run.findings ?? [];
  const deviations = run.deviations ?? [];
  const open = findings.filter((f) =>
    f.severity === "error" &&
    !deviations.some((d) => d.finding_id === f.id && d.code === f.code)
  );
  const state = run.state ?? "finished";
  const report = {
    $schema: "../../schemas/run_report.schema.json",
    schema_version: 1,
    run_id: ulid(T0 + started * 60_000),
    contract: run.contract ?? `${run.domain}-work`,
    state,
    digests: {
      intent: _digest(1, run.minute),
      tests: _digest(2, run.minute),
      plan: _digest(3, run.minute),
    },
    contract_snapshot: {
      intent: {
        schema_version: 1,
        goal: `Improve the ${run.domain} code`,
        constraints: ["Keep the public API"],
        allowed_files: run.allowed ?? ["src/**"],
        forbidden_files: ["secrets/**"],
        risk_level: "low",
        domain: run.domain,
        ...(run.source ? { source: run.source } : {}),
        approval,
      },
      tests: {
        schema_version: 1,
        tests: [{ id: "unit", command: "deno test", required: true, gate: "finish" }],
        approval,
      },
      plan: {
        schema_version: 1,
        units: [{
          id: "U1",
          summary: "The change",
          files: run.allowed ?? ["src/**"],
          tests: ["unit"],
          depends_on: [],
        }],
        approval,
      },
    },
    meta: {
      branch: "main",
      worktree: "/tmp/x",
      base_commit: null,
      session_id: "s",
      agent: "agent",
      host: "h",
      pid: 1,
      started_at: _iso(started),
      finished_at: state === "finished" ? _iso(started + 10) : null,
      keel_version: "0.1.0",
    },
    tests: run.tests ?? [],
    commits: (run.commits ?? []).map((c) => ({ ...c, unit: "U1", matched_by: "files" })),
    files: [],
    findings,
    deviations,
    ...(run.rework ? { rework: run.rework.map((note) => ({ note, at: _iso(started + 20) })) } : {}),
    ...(run.defects
      ? { defects: run.defects.map((note) => ({ note, at: _iso(started + 30) })) }
      : {}),
    verdict: state === "finished" ? (open.length ? "drifted" : "aligned") : null,
  };
  return RunReport.parse(report);
}

/**
 * Write fixture runs into `<root>/.keel/runs/`.
 *
 * @param root Repository root.
 * @param runs Fixtures.
 * @returns The reports written, in the given order.
 */
export async function writeRuns(root: string, runs: FixtureRun[]): Promise<RunReport[]> {
  const out: RunReport[] = [];
  for (const r of runs) {
    const report = fixtureReport(r);
    const dir = `${root}/.keel/runs/${report.run_id}`;
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(`${dir}/run_report.json`, JSON.stringify(report, null, 2) + "\n");
    out.push(report);
  }
  return out;
}

/** A finding, shortly. */
export function finding(
  id: string,
  code: DriftCode,
  evidence: Record<string, unknown> = {},
  severity: "error" | "warning" | "info" = "error",
): RunReport["findings"][number] {
  return { id, code, severity, message: `${code} (${id})`, evidence };
}
