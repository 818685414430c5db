/**
 * Small text renderers shared by the commands (they live in `core/text`, so
 * the MCP server prints the same text).
 *
 * @module
 */
export { type FindingLike, renderFindings, renderTable } from "../core/text/mod.ts";
