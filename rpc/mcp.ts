/**
 * `keel mcp`: a Model Context Protocol server on stdio over the same method
 * table as the JSON-RPC server. A few tools with short descriptions (agents
 * pay for every token); each maps to one RPC method, returns the method's
 * result as `structuredContent` plus a short text, and reports keel errors
 * and invalid arguments as tool errors (`isError: true`). The MCP SDK is
 * loaded only when this server starts.
 *
 * @module
 */

import type { OpContext } from "../core/context.ts";
import { VERSION } from "../core/version.ts";
import { DEFAULT_MAX_FRAME_BYTES } from "./framing.ts";
import { METHODS } from "./methods.ts";
import type { MethodTable } from "./method_table.ts";
import { rpcJsonSchema } from "./openrpc.ts";
import type { RpcResponse } from "./protocol.ts";
import { createRpcServer, type RpcServer } from "./server.ts";

/** One MCP tool: the RPC method it calls, and params fixed by the tool. */
export interface McpToolDef {
  /** The RPC method. */
  method: string;
  /** The tool description shown to the agent. */
  description: string;
  /** Params the tool always passes (hidden from its input schema). */
  fixed?: Record<string, unknown>;
}

/** The MCP tools; a tool is listed only when its method is served. */
export const MCP_TOOLS: Readonly<Record<string, McpToolDef>> = {
  mission_next: {
    method: "mission/next",
    description: "Next claimable WP of a mission: wp_id, or selection_reason when none.",
  },
  mission_status: { method: "mission/status", description: "A mission's WPs by lane." },
  mission_implement: {
    method: "mission/implement",
    description: "Claim a WP for an agent (the one mission_next names when wp is omitted).",
  },
  mission_review: { method: "mission/review", description: "Mission review verdict." },
  mission_merge_dry_run: {
    method: "mission/merge",
    description: "Merge preview with the real merge's gates (blockers[]).",
    fixed: { dryRun: true },
  },
  contract_validate: {
    method: "contract/validate",
    description: "Validate a contract's intent, tests and plan; findings.",
  },
  contract_status: {
    method: "contract/status",
    description: "Approval state per artifact and the active run.",
  },
  run_report: { method: "run/report", description: "A run's report: planned vs actual, findings." },
  run_list: {
    method: "run/list",
    description: "Every run: contract, state, verdict, agent, times.",
  },
  run_verify: {
    method: "run/verify",
    description: "Re-check a finished run: evidence sha256s, commits, seal.",
  },
  report_render: {
    method: "report/render",
    description: "A run, history or mission as a document (html, md or sarif) in `text`.",
  },
};

/** A tool as listed by `tools/list`. */
export interface McpToolListing {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/** The result of `tools/call`. */
export interface McpToolResult {
  [key: string]: unknown;
  content: { type: "text"; text: string }[];
  structuredContent: Record<string, unknown>;
  isError?: boolean;
}

/**
 * The tool listing for a method table.
 *
 * @param server The RPC server (to load method schemas).
 * @param methods The method table.
 * @returns Tools whose method exists, with JSON input schemas.
 */
export async function listMcpTools(
  server: RpcServer,
  methods: MethodTable = METHODS,
): Promise<McpToolListing[]> {
  const out: McpToolListing[] = [];
  for (const [name, tool] of Object.entries(MCP_TOOLS)) {
    if (!Object.hasOwn(methods, tool.method)) continue;
    const m = await server.load(tool.method)!;
    const schema = rpcJsonSchema(m.params, "input");
    const fixed = Object.keys(tool.fixed ?? {});
    if (fixed.length > 0) {
      const props = { ...(schema.properties as Record<string, unknown> | undefined) };
      for (const k of fixed) delete props[k];
      schema.properties = props;
      if (Array.isArray(schema.required)) {
        schema.required = (schema.required as string[]).filter((k) => !fixed.includes(k));
      }
    }
    out.push({ name, description: tool.description, inputSchema: { type: "object", ...schema } });
  }
  return out;
}

/**
 * Call a tool.
 *
 * @param server The RPC server.
 * @param name Tool name.
 * @param args Tool arguments.
 * @returns The tool result, or `null` for an unknown tool.
 */
export async function callMcpTool(
  server: RpcServer,
  name: string,
  args: Record<string, unknown> | undefined,
): Promise<McpToolResult | null> {
  const tool = Object.hasOwn(MCP_TOOLS, name) ? MCP_TOOLS[name]! : undefined;
  if (tool === undefined || server.load(tool.method) === undefined) return null;
  const response = await server.call(tool.method, { ...(args ?? {}), ...(tool.fixed ?? {}) });
  return _toolResult(response);
}

function _toolResult(response: RpcResponse): McpToolResult {
  if ("result" in response) {
    const r = response.result;
    const structured = r !== null && typeof r === "object" && !Array.isArray(r)
      ? r as Record<string, unknown>
      : { result: r };
    return { content: [{ type: "text", text: _brief(structured) }], structuredContent: structured };
  }
  const data = response.error.data as { code?: string } | undefined;
  const code = data?.code ?? (response.error.code === -32602 ? "INVALID_PARAMS" : "ERROR");
  const error = { rpc_code: response.error.code, message: response.error.message, ...(data ?? {}) };
  return {
    content: [{ type: "text", text: `${code}: ${response.error.message}` }],
    structuredContent: { error: { ...error, code } },
    isError: true,
  };
}

function _brief(result: Record<string, unknown>): string {
  const json = JSON.stringify(result);
  if (json.length <= 400) return json;
  const scalars = Object.entries(result)
    .filter(([, v]) => v === null || typeof v !== "object")
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `${scalars.join(" ").slice(0, 300)} (full result in structuredContent)`;
}

/**
 * Serve MCP on stdin/stdout until stdin closes; tool calls in flight finish
 * first. A line over the frame limit (4 MiB) ends the session cleanly.
 *
 * @param ctx The operation context every tool call runs with.
 */
export async function runMcp(ctx: OpContext): Promise<void> {
  const [{ Server }, { StdioServerTransport }, types, { default: process }] = await Promise.all([
    import("@modelcontextprotocol/sdk/server/index.js"),
    import("@modelcontextprotocol/sdk/server/stdio.js"),
    import("@modelcontextprotocol/sdk/types.js"),
    import("node:process"),
  ]);
  const rpc = createRpcServer({ ctx, methods: METHODS });
  const server = new Server(
    { name: "keel", version: VERSION },
    {
      capabilities: { tools: { listChanged: false } },
      instructions: "keel: mission readiness and contract checks for this repository.",
    },
  );
  const inFlight = new Set<Promise<unknown>>();
  server.setRequestHandler(types.ListToolsRequestSchema, async () => ({
    tools: await listMcpTools(rpc),
  }));
  server.setRequestHandler(
    types.CallToolRequestSchema,
    async (request: { params: { name: string; arguments?: Record<string, unknown> } }) => {
      const p = callMcpTool(rpc, request.params.name, request.params.arguments);
      inFlight.add(p);
      try {
        const result = await p;
        if (result === null) {
          throw new types.McpError(
            types.ErrorCode.InvalidParams,
            `Unknown tool: ${request.params.name}`,
          );
        }
        return result;
      } finally {
        inFlight.delete(p);
      }
    },
  );
  const transport = new StdioServerTransport(undefined, undefined, {
    maxBufferSize: DEFAULT_MAX_FRAME_BYTES,
  });
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
  });
  await server.connect(transport);
  const ended = new Promise<void>((resolve) => process.stdin.once("end", () => resolve()));
  await Promise.race([ended, closed]);
  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  await new Promise((resolve) => setTimeout(resolve, 10));
  await server.close();
}
