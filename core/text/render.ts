/**
 * Small text renderers shared by the human texts of every operation.
 *
 * @module
 */

/** A finding as the renderers see it. */
export interface FindingLike {
  id?: string | undefined;
  code: string;
  severity: string;
  message: string;
  location?: string | undefined;
}

const MARK: Record<string, string> = { error: "✗", warning: "!", info: "·" };

/**
 * Findings as lines: `✗ CODE  message  (location)`.
 *
 * @param findings The findings.
 * @returns The text (empty when there are none).
 */
export function renderFindings(findings: readonly FindingLike[]): string {
  return findings.map((f) => {
    const id = f.id ? `[${f.id}] ` : "";
    const loc = f.location ? `  (${f.location})` : "";
    return `  ${MARK[f.severity] ?? "-"} ${id}${f.code}: ${f.message}${loc}`;
  }).join("\n");
}

/**
 * A simple aligned table.
 *
 * @param rows Rows of cells; the first row is the header.
 * @returns The table text.
 */
export function renderTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  }
  return rows.map((row) =>
    row.map((cell, i) => i === row.length - 1 ? cell : cell.padEnd(widths[i]!)).join("  ")
      .trimEnd()
  ).join("\n");
}
