/**
 * SARIF 2.1.0 for a run's drift findings, for code-scanning views: one
 * result per finding (rule id = finding code, level from severity), a
 * physical location for findings about a file, accepted deviations as
 * suppressions, and rules that carry each code's documentation.
 *
 * The shape is declared here without a dependency; a test assigns the
 * output to the `Log` type of the npm package `@types/sarif`, so the
 * type checker holds it to the SARIF type definitions.
 *
 * @module
 */

import type { RunReport } from "../../schemas/run_report.ts";
import { DRIFT_CODE_ORDER, DRIFT_SEVERITY } from "../drift/mod.ts";
import { driftRuleDoc } from "./drift_rules.ts";
import { acceptanceFor } from "./view_facts.ts";

/** A SARIF message. */
export interface SarifMessage {
  text: string;
}

/** A SARIF reporting descriptor (a rule). */
export interface SarifRule {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  help: SarifMessage;
  defaultConfiguration: { level: SarifLevel };
}

/** A SARIF level. */
export type SarifLevel = "error" | "warning" | "note" | "none";

/** A SARIF result. */
export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifMessage;
  locations?: {
    physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } };
  }[];
  partialFingerprints?: Record<string, string>;
  suppressions?: { kind: "external"; status: "accepted"; justification: string }[];
  properties: Record<string, unknown>;
}

/** A SARIF log with one run. */
export interface SarifLog {
  $schema: string;
  version: "2.1.0";
  runs: {
    tool: { driver: { name: string; version: string; rules: SarifRule[] } };
    automationDetails: { id: string };
    results: SarifResult[];
    properties: Record<string, unknown>;
  }[];
}

const LEVEL: Record<string, SarifLevel> = { error: "error", warning: "warning", info: "note" };

/**
 * SARIF 2.1.0 of a run's findings.
 *
 * @param report A run report.
 * @param options `version`: keel's version (the tool driver's).
 * @returns The SARIF log.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sarifUri } from "./render_sarif.ts";
 * assert.equal(sarifUri("docs/my file.md"), "docs/my%20file.md");
 * ```
 */
export function renderSarif(report: RunReport, options: { version: string }): SarifLog {
  const codes: string[] = [...DRIFT_CODE_ORDER];
  for (const f of report.findings) if (!codes.includes(f.code)) codes.push(f.code);
  const severity = new Map<string, string>();
  for (const f of report.findings) if (!severity.has(f.code)) severity.set(f.code, f.severity);
  const rules: SarifRule[] = codes.map((code) => {
    const doc = driftRuleDoc(code);
    return {
      id: code,
      name: _pascal(code),
      shortDescription: { text: doc.short },
      fullDescription: { text: doc.full },
      help: { text: `${doc.short} ${doc.full}` },
      defaultConfiguration: { level: LEVEL[_defaultSeverity(code, severity)] ?? "warning" },
    };
  });
  const results: SarifResult[] = report.findings.map((f) => {
    const d = acceptanceFor(f, report.deviations);
    const path = typeof f.evidence.path === "string" ? f.evidence.path : null;
    const result: SarifResult = {
      ruleId: f.code,
      ruleIndex: codes.indexOf(f.code),
      level: LEVEL[f.severity] ?? "warning",
      message: { text: f.message },
      properties: {
        finding_id: f.id ?? null,
        accepted: d !== undefined,
        evidence: f.evidence,
      },
    };
    if (path !== null) {
      result.locations = [{
        physicalLocation: { artifactLocation: { uri: sarifUri(path), uriBaseId: "%SRCROOT%" } },
      }];
    }
    if (f.key !== undefined) result.partialFingerprints = { "keelFindingKey/v1": f.key };
    if (d !== undefined) {
      result.suppressions = [{
        kind: "external",
        status: "accepted",
        justification: `${d.why} (accepted by ${d.by})`,
      }];
    }
    return result;
  });
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [{
      tool: { driver: { name: "keel", version: options.version, rules } },
      automationDetails: { id: `keel/${report.contract}/${report.run_id}` },
      results,
      properties: {
        run_id: report.run_id,
        contract: report.contract,
        verdict: report.verdict,
        state: report.state,
      },
    }],
  };
}

/**
 * A repo-relative POSIX path as a SARIF `uri` (each segment percent-encoded).
 *
 * @param path Repo-relative path.
 * @returns The URI reference.
 */
export function sarifUri(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

function _pascal(code: string): string {
  return code.toLowerCase().split("_").map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");
}

function _defaultSeverity(code: string, seen: Map<string, string>): string {
  return Object.hasOwn(DRIFT_SEVERITY, code)
    ? DRIFT_SEVERITY[code as keyof typeof DRIFT_SEVERITY]
    : seen.get(code) ?? "warning";
}
