/**
 * `keel mcp`: a Model Context Protocol server on stdio.
 *
 * @module
 */

import { type CliContext, command, type Outcome } from "../define.ts";

/** The `cmd` tag. */
export const tag = "mcp";

/** The parser. */
export const parser = command(
  "mcp",
  "Serve the Model Context Protocol on stdio (tools over the same core).",
  {},
);

/**
 * Run the MCP server until stdin closes.
 *
 * @param _args Parsed arguments.
 * @param ctx CLI context.
 * @returns Exit 0 and nothing to print.
 */
export async function run(_args: Record<string, unknown>, ctx: CliContext): Promise<Outcome> {
  const { runMcp } = await import("../../rpc/mod.ts");
  await runMcp(ctx.op);
  return { json: null, text: "", exit: 0 };
}
