/**
 * `keel mcp`: a Model Context Protocol server on stdio.
 *
 * @module
 */

import { type CliContext, command, type Outcome } from "../define.ts";
import { absoluteRoots, rootOption } from "./serve.ts";

/** The `cmd` tag. */
export const tag = "mcp";

/** The parser. */
export const parser = command(
  "mcp",
  "Serve the Model Context Protocol on stdio (tools over the same core).",
  { roots: rootOption() },
);

/**
 * Run the MCP server until stdin closes.
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns Exit 0 and nothing to print.
 */
export async function run(
  args: { roots: readonly string[] },
  ctx: CliContext,
): Promise<Outcome> {
  const { runMcp } = await import("../../rpc/mod.ts");
  await runMcp(ctx.op, { roots: absoluteRoots(args.roots, ctx.op.cwd) });
  return { json: null, text: "", exit: 0 };
}
