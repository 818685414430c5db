/**
 * The mission review report, `kitty-specs/<mission>/mission-review-report.md`,
 * in spec-kitty's format: YAML frontmatter with the verdict and every gate's
 * result, then a `## Findings` list.
 *
 * @module
 */

import { stringify } from "yaml";

/** A gate as recorded in the report. */
export interface ReportGate {
  /** `gate_1`, `gate_2`. */
  id: string;
  /** `wp_lane_check`, `dead_code_scan`. */
  name: string;
  /** How the gate ran. */
  command: string;
  /** 0 when the gate passed or was skipped, 1 when it failed. */
  exit_code: number;
  /** `pass`, `fail` or `skipped`. */
  result: "pass" | "fail" | "skipped";
}

/** A finding as listed in the report body. */
export interface ReportFinding {
  /** The finding type (`dead_code`, `wp_not_done`, …). */
  type: string;
  /** Its diagnostic code. */
  code: string;
  /** One line. */
  message: string;
}

/** What the report says. */
export interface ReviewReportInput {
  /** `pass`, `pass_with_notes` or `fail`. */
  verdict: string;
  /** Tags carried by the verdict (`LEGACY_MISSION_DEAD_CODE_SKIP`). */
  verdict_tags: readonly string[];
  /** `lightweight` or `post-merge`. */
  mode: string;
  /** ISO time of the review. */
  reviewed_at: string;
  /** Every gate. */
  gates: readonly ReportGate[];
  /** Every finding. */
  findings: readonly ReportFinding[];
  /** `not_applicable` in lightweight mode; whether `issue-matrix.md` exists otherwise. */
  issue_matrix_present: boolean | "not_applicable";
}

/**
 * Render the report's Markdown.
 *
 * @param input The review.
 * @returns The file's text (ends with a newline).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderReviewReport } from "./review_report.ts";
 * const text = renderReviewReport({
 *   verdict: "pass", verdict_tags: [], mode: "lightweight", reviewed_at: "2026-01-01T00:00:00Z",
 *   gates: [], findings: [], issue_matrix_present: "not_applicable",
 * });
 * assert(text.startsWith("---\nverdict: pass\n") && text.includes("No findings."));
 * ```
 */
export function renderReviewReport(input: ReviewReportInput): string {
  const front: Record<string, unknown> = {
    verdict: input.verdict,
    mode: input.mode,
    reviewed_at: input.reviewed_at,
    findings: input.findings.length,
  };
  if (input.verdict_tags.length > 0) front.verdict_tags = [...input.verdict_tags];
  front.gates_recorded = input.gates.map((g) => ({
    id: g.id,
    name: g.name,
    command: g.command,
    exit_code: g.exit_code,
    result: g.result,
  }));
  front.issue_matrix_present = input.issue_matrix_present;
  front.mission_exception_present = "not_applicable";
  const yaml = stringify(front, { lineWidth: 0 });
  const body = input.findings.length === 0
    ? "No findings."
    : input.findings.map((f) => `- **${f.type}** \`${f.code}\`: ${_oneLine(f.message)}`).join(
      "\n",
    );
  return `---\n${yaml}---\n\n## Findings\n\n${body}\n`;
}

function _oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
