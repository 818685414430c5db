/**
 * The human text of deviation and lessons operations.
 *
 * @module
 */

import type { AcceptDeviationResult, ListLessonsResult } from "../retro/mod.ts";

/**
 * `deviation accept`.
 *
 * @param r The result.
 * @returns The text.
 */
export function deviationAcceptText(r: AcceptDeviationResult): string {
  const d = r.deviation;
  const more = (r.accepted ?? []).slice(1);
  return [
    r.already_accepted
      ? `${d.finding_id} (${d.code}) was already accepted by ${d.by} at ${d.at}: "${d.why}"`
      : `Accepted ${d.finding_id} (${d.code}) in run ${r.run_id}, by ${d.by}: "${d.why}"`,
    ...more.map((a) =>
      a.already_accepted
        ? `${a.finding_id} (${a.code}) was already accepted`
        : `Accepted ${a.finding_id} (${a.code}), same rationale`
    ),
    r.verdict_before === r.verdict
      ? `Verdict: ${r.verdict ?? "none yet"}` +
        (r.open_errors.length ? ` (open errors: ${r.open_errors.join(", ")})` : "")
      : `Verdict: ${r.verdict_before} → ${r.verdict}` +
        (r.open_errors.length ? ` (open errors: ${r.open_errors.join(", ")})` : ""),
  ].join("\n");
}

/**
 * `lessons`.
 *
 * @param r The result.
 * @returns The text (problems are not included: the CLI warns on stderr).
 */
export function lessonsText(r: ListLessonsResult): string {
  const filters = [
    r.filters.domain ? `domain ${r.filters.domain}` : "",
    r.filters.code ? `code ${r.filters.code}` : "",
  ].filter((s) => s !== "").join(", ");
  const lines = [
    r.counts.lessons === 0
      ? `No lessons${filters ? ` for ${filters}` : ""} yet.`
      : `${r.counts.lessons} lesson(s) from ${r.counts.runs} run(s)${
        filters ? ` (${filters})` : ""
      }: ` +
        `${r.counts.open} open, ${r.counts.accepted} accepted.`,
  ];
  for (const l of r.lessons) {
    lines.push(
      `  ${l.accepted ? "✓" : l.severity === "error" ? "✗" : "·"} ${l.domain}  ${l.code}  ` +
        `run ${l.run} (${l.contract})${l.finding_id ? ` ${l.finding_id}` : ""}`,
    );
    if (l.planned !== null) lines.push(`      planned: ${l.planned}`);
    if (l.actual !== null) lines.push(`      actual:  ${l.actual}`);
    if (l.accepted) lines.push(`      accepted by ${l.accepted_by ?? "?"}: "${l.rationale ?? ""}"`);
  }
  if (r.sources.length > 1) lines.push(`Read: ${r.sources.join(", ")}`);
  return lines.join("\n");
}
