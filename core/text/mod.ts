/**
 * Human text: what the CLI prints for each operation's result, shared with
 * the MCP tools so a model that reads only `content` sees the same.
 *
 * @module
 */
export * from "./render.ts";
export * from "./run_text.ts";
export * from "./retro_text.ts";
export * from "./trust_text.ts";
export * from "./mission_text.ts";
export * from "./guard_text.ts";
export * from "./contract_text.ts";
export * from "./brief_text.ts";
