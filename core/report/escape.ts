/**
 * Escaping for the report formats: HTML text and attributes, and the cells
 * of a GitHub-flavoured Markdown table.
 *
 * @module
 */

const HTML: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escape text for HTML element content and quoted attribute values.
 *
 * @param text Any text.
 * @returns The text with `& < > " '` replaced by entities.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { escapeHtml } from "./escape.ts";
 * assert.equal(escapeHtml(`<a href="x">&'</a>`), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML[c]!);
}

/**
 * Make text safe for one cell of a Markdown table (and for inline text):
 * line breaks become spaces, and characters Markdown or HTML would act on
 * (`| \ * _ ` + "`" + ` [ ] < > &`) are escaped.
 *
 * @param text Any text.
 * @returns One line of inert Markdown.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { escapeMd } from "./escape.ts";
 * assert.equal(escapeMd("a|b\n<i>*x*</i>"), "a\\|b &lt;i&gt;\\*x\\*&lt;/i&gt;");
 * ```
 */
export function escapeMd(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\|*_`[\]]/g, (c) => `\\${c}`);
}

/**
 * Code-span text for Markdown: backticks inside are replaced so the span
 * cannot be closed early, and pipes are escaped for table cells.
 *
 * @param text Any text.
 * @returns A Markdown code span.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mdCode } from "./escape.ts";
 * assert.equal(mdCode("src/a|b.ts"), "`src/a\\|b.ts`");
 * ```
 */
export function mdCode(text: string): string {
  return "`" + text.replace(/\r\n|\r|\n/g, " ").replace(/`/g, "'").replace(/\|/g, "\\|") + "`";
}
