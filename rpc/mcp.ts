/**
 * `keel mcp`: a Model Context Protocol server on stdio over the same method
 * table as the JSON-RPC server, enough to drive a whole run: brief, run
 * start, test exec/record, drift preview, finish, deviation accept, lessons,
 * trust, and the spec-kitty next / implement / review / merge dry-run. Few
 * tools with short descriptions (agents pay for every token); each maps to
 * one RPC method and returns the CLI's human text as `content` (a model that
 * ignores `structuredContent` still reads the findings) and the method's
 * result as `structuredContent`. Keel errors and invalid arguments are tool
 * errors (`isError: true`) whose text names the code and every issue.
 * Contracts and run reports are resources; the brief is also a prompt.
 * Every tool takes an optional `repo` inside the server's `--root`s. The
 * MCP SDK is loaded only when this server starts.
 *
 * @module
 */

import type { OpContext } from "../core/context.ts";
import {
  deviationAcceptText,
  execText,
  guardCheckText,
  implementAnyText,
  mergeText,
  missionStatusText,
  nextText,
  recordText,
  relevantLessonsText,
  reviewWithRunsText,
  runListText,
  runStartText,
  runSummaryText,
  statusText,
  trustText,
  validateText,
  verifyText,
} from "../core/text/mod.ts";
import { VERSION } from "../core/version.ts";
import { DEFAULT_MAX_FRAME_BYTES } from "./framing.ts";
import { type MethodName, type MethodParams, type MethodResult, METHODS } from "./methods.ts";
import type { MethodTable } from "./method_table.ts";
import { rpcJsonSchema } from "./openrpc.ts";
import type { RpcResponse } from "./protocol.ts";
import { createRpcServer, type RpcServer } from "./server.ts";

/** One MCP tool of method `M`: the RPC method it calls, and params fixed by the tool. */
export interface McpToolOf<M extends MethodName> {
  /** The RPC method (a method the table does not hold fails type checking). */
  method: M;
  /** The tool description shown to the agent. */
  description: string;
  /** Params the tool always passes (hidden from its input schema). */
  fixed?: Partial<MethodParams<M>>;
  /** The human text of the method's result: what the CLI prints. */
  text: (result: MethodResult<M>) => string;
}

/** One MCP tool: for some method of the table, its text renders that method's result type. */
export type McpToolDef = { [M in MethodName]: McpToolOf<M> }[MethodName];

/** The MCP tools; a tool is listed only when its method is served. */
export const MCP_TOOLS: Readonly<Record<string, McpToolDef>> = {
  brief: {
    method: "brief/get",
    description: "The approved contract as instructions: scope, units, trailer, tests, lessons.",
    text: (r: { markdown: string }) => r.markdown,
  },
  run_start: {
    method: "run/start",
    description: "Start a run on an approved contract.",
    text: runStartText,
  },
  test_exec: {
    method: "run/exec",
    description: "Run a planned test (its contract command unless command is given) and record it.",
    text: execText,
  },
  test_record: {
    method: "run/recordTest",
    description: "Record a test run elsewhere (passed/failed/skipped).",
    text: recordText,
  },
  drift_preview: {
    method: "run/drift",
    description: "Findings of the active run so far (nothing written), or of a finished run.",
    text: runSummaryText,
  },
  run_finish: {
    method: "run/finish",
    description: "Finish the active run: drift analysis, findings, verdict.",
    text: runSummaryText,
  },
  deviation_accept: {
    method: "deviation/accept",
    description: "Accept a finding (findingId, why, by) as a deliberate deviation.",
    text: deviationAcceptText,
  },
  lessons: {
    method: "lessons/relevant",
    description: "Lessons earlier runs left on the paths a contract covers.",
    text: relevantLessonsText,
  },
  trust_level: {
    method: "trust/compute",
    description: "Trust metrics and delegation level per domain.",
    text: trustText,
  },
  guard_check: {
    method: "guard/check",
    description: "Whether paths are inside the active run's approved scope.",
    text: guardCheckText,
  },
  contract_status: {
    method: "contract/status",
    description: "Approval state per artifact and the active run.",
    text: statusText,
  },
  contract_validate: {
    method: "contract/validate",
    description: "Validate a contract's intent, tests and plan; findings.",
    text: validateText,
  },
  run_report: {
    method: "run/report",
    description: "A run's report: planned vs actual, findings.",
    text: runSummaryText,
  },
  run_list: {
    method: "run/list",
    description: "Every run: contract, state, verdict, agent, times.",
    text: runListText,
  },
  run_verify: {
    method: "run/verify",
    description: "Re-check a finished run: evidence sha256s, commits, seal.",
    text: verifyText,
  },
  mission_next: {
    method: "mission/next",
    description: "Next claimable WP of a mission: wp_id, or selection_reason when none.",
    text: nextText,
  },
  mission_status: {
    method: "mission/status",
    description: "A mission's WPs by lane.",
    text: missionStatusText,
  },
  mission_implement: {
    method: "mission/implement",
    description: "Claim a WP (default: mission_next's) and prepare its lane worktree.",
    text: implementAnyText,
  },
  mission_review: {
    method: "mission/review",
    description: "Mission review verdict.",
    text: reviewWithRunsText,
  },
  mission_merge_dry_run: {
    method: "mission/merge",
    description: "Merge preview with the real merge's gates (blockers[]).",
    fixed: { dryRun: true },
    text: mergeText,
  },
  report_render: {
    method: "report/render",
    description: "A run, history or mission as a document (html, md or sarif) in `text`.",
    text: (r: { text: string }) => r.text,
  },
};

/** The `repo` property every tool takes. */
const REPO_PROPERTY = {
  type: "string",
  description: "Repository folder inside a --root of the server (default: its cwd).",
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
    schema.properties = {
      ...(schema.properties as Record<string, unknown> | undefined),
      repo: REPO_PROPERTY,
    };
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
  return _toolResult(response, tool);
}

function _toolResult(response: RpcResponse, tool: McpToolDef): McpToolResult {
  if ("result" in response) {
    const r = response.result;
    const structured = r !== null && typeof r === "object" && !Array.isArray(r)
      ? r as Record<string, unknown>
      : { result: r };
    let text: string;
    try {
      // The server answered tool.method, so r is that method's result (its schema's output).
      text = (tool.text as (result: unknown) => string)(r);
    } catch {
      text = JSON.stringify(r, null, 2);
    }
    return { content: [{ type: "text", text }], structuredContent: structured };
  }
  const data = response.error.data as
    | {
      code?: string;
      data?: { issues?: { path?: string[]; message?: string }[] } & Record<string, unknown>;
    }
    | undefined;
  // Every error the method table answers carries a keel code (invalid params: USAGE).
  const code = data?.code ?? "INTERNAL";
  const error = { rpc_code: response.error.code, message: response.error.message, ...(data ?? {}) };
  const issues = data?.data?.issues;
  const lines = [
    `error[${code}]: ${issues === undefined ? response.error.message : "Invalid params"}`,
  ];
  for (const i of issues ?? []) {
    lines.push(`  - ${(i.path ?? []).join(".") || "(params)"}: ${i.message ?? "invalid"}`);
  }
  const extra = issues === undefined ? data?.data : undefined;
  if (extra !== undefined && extra !== null && typeof extra === "object") {
    const json = JSON.stringify(extra);
    if (json !== "{}" && json.length <= 2000) lines.push(`  data: ${json}`);
  }
  return {
    content: [{ type: "text", text: lines.join("\n") }],
    structuredContent: { error: { ...error, code } },
    isError: true,
  };
}

/** The prompts keel offers. */
export const MCP_PROMPTS = [{
  name: "brief",
  description: "Instructions for the run of an approved contract (the brief).",
  arguments: [
    { name: "contract", description: "Contract name (default: default).", required: false },
    { name: "repo", description: "Repository folder inside a --root.", required: false },
  ],
}] as const;

/** Options of {@link runMcp}. */
export interface RunMcpOptions {
  /** Folders a tool's `repo` may name (absolute; default: `ctx.cwd`). */
  roots?: readonly string[];
}

/**
 * Serve MCP on stdin/stdout until stdin closes; tool calls in flight finish
 * first. A line over the frame limit (4 MiB) ends the session cleanly.
 *
 * @param ctx The operation context every tool call runs with.
 * @param options `roots` a tool's `repo` may name.
 */
export async function runMcp(ctx: OpContext, options: RunMcpOptions = {}): Promise<void> {
  const [{ Server }, { StdioServerTransport }, types, { default: process }, brief, util] =
    await Promise.all([
      import("@modelcontextprotocol/sdk/server/index.js"),
      import("@modelcontextprotocol/sdk/server/stdio.js"),
      import("@modelcontextprotocol/sdk/types.js"),
      import("node:process"),
      import("../core/brief/mod.ts"),
      import("../core/util/mod.ts"),
    ]);
  const roots = options.roots ?? [];
  const rpc = createRpcServer({ ctx, methods: METHODS, roots });
  const server = new Server(
    { name: "keel", version: VERSION },
    {
      capabilities: {
        tools: { listChanged: false },
        resources: { listChanged: false },
        prompts: { listChanged: false },
      },
      instructions: "keel keeps a coding run aligned with its approved contract. Start with " +
        "the brief tool (or prompt), then run_start; commit with the Keel-Unit trailer; " +
        "test_exec each planned test; drift_preview; run_finish.",
    },
  );
  const inFlight = new Set<Promise<unknown>>();
  const track = async <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    try {
      return await p;
    } finally {
      inFlight.delete(p);
    }
  };
  const ctxFor = (repo: unknown): OpContext =>
    repo === undefined
      ? ctx
      : { ...ctx, cwd: util.resolveRepoParam(repo, { roots, cwd: ctx.cwd }) };
  const keelFailure = (e: unknown): never => {
    const err = e as { code?: string; message?: string };
    throw new types.McpError(
      types.ErrorCode.InvalidParams,
      `error[${err.code ?? "INTERNAL"}]: ${err.message ?? String(e)}`,
    );
  };
  server.setRequestHandler(types.ListToolsRequestSchema, async () => ({
    tools: await listMcpTools(rpc),
  }));
  server.setRequestHandler(
    types.CallToolRequestSchema,
    async (request: { params: { name: string; arguments?: Record<string, unknown> } }) => {
      const result = await track(callMcpTool(rpc, request.params.name, request.params.arguments));
      if (result === null) {
        throw new types.McpError(
          types.ErrorCode.InvalidParams,
          `Unknown tool: ${request.params.name}`,
        );
      }
      return result;
    },
  );
  server.setRequestHandler(types.ListResourcesRequestSchema, () => {
    try {
      return { resources: brief.listKeelResources(ctx, { roots }) };
    } catch (e) {
      return keelFailure(e);
    }
  });
  server.setRequestHandler(types.ListResourceTemplatesRequestSchema, () => ({
    resourceTemplates: [
      {
        uriTemplate: "keel://contract/{name}",
        name: "contract",
        description: "A contract's status and artifacts.",
        mimeType: "application/json",
      },
      {
        uriTemplate: "keel://run/{id}",
        name: "run report",
        description: "A run report.",
        mimeType: "application/json",
      },
    ],
  }));
  server.setRequestHandler(
    types.ReadResourceRequestSchema,
    async (request: { params: { uri: string } }) => {
      try {
        return {
          contents: [await track(brief.readKeelResource(request.params.uri, ctx, { roots }))],
        };
      } catch (e) {
        const err = e as { code?: string; message?: string };
        throw new types.McpError(-32002, `error[${err.code ?? "INTERNAL"}]: ${err.message}`, {
          uri: request.params.uri,
        });
      }
    },
  );
  server.setRequestHandler(types.ListPromptsRequestSchema, () => ({
    prompts: MCP_PROMPTS.map((p) => ({ ...p, arguments: [...p.arguments] })),
  }));
  server.setRequestHandler(
    types.GetPromptRequestSchema,
    async (request: { params: { name: string; arguments?: Record<string, string> } }) => {
      if (request.params.name !== "brief") {
        throw new types.McpError(
          types.ErrorCode.InvalidParams,
          `Unknown prompt: ${request.params.name}`,
        );
      }
      const args = request.params.arguments ?? {};
      try {
        const b = await track(brief.briefOp(
          args.contract === undefined ? {} : { contract: args.contract },
          ctxFor(args.repo),
        ));
        return {
          description: `Brief for contract "${b.contract}"`,
          messages: [{
            role: "user" as const,
            content: { type: "text" as const, text: b.markdown },
          }],
        };
      } catch (e) {
        return keelFailure(e);
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
