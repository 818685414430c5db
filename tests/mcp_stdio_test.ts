import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { createSampleRepo, FEATURE_CONTRACT } from "../core/pilot/mod.ts";
import { createRpcClient } from "../rpc/mod.ts";
import { editJson, git, GIT_ENV, keel } from "./helpers.ts";
import { writeMission } from "../testing/mission.ts";
import { parityShape, writeShapeMission } from "../testing/mission_shapes.ts";

const MAIN = new URL("../cli/main.ts", import.meta.url).pathname;
const MISSION = "workflow-parity-988-989-991-01KRKTT5";

async function _repo(): Promise<string> {
  const repo = await Deno.makeTempDir({ prefix: "keel-mcp-" });
  await createSampleRepo(repo);
  // A mission shaped like the workflow-parity fixture: three WPs, WP02 after WP01.
  await writeMission(repo, {
    slug: MISSION,
    missionId: "01KRKTT58XC5KR0HF523333R9S",
    wps: [{ id: "WP01" }, { id: "WP02", deps: ["WP01"] }, { id: "WP03" }],
  });
  await git(repo, "add", "-A");
  await git(repo, "commit", "-qm", "mission");
  return repo;
}

async function _connect(repo: string): Promise<Client> {
  const transport = new StdioClientTransport({
    command: Deno.execPath(),
    args: ["run", "-A", "--quiet", MAIN, "mcp", "--repo", repo],
    env: { ...GIT_ENV, NO_COLOR: "1", PATH: Deno.env.get("PATH") ?? "" },
    stderr: "pipe",
  });
  const client = new Client({ name: "keel-test", version: "0.0.0" });
  await client.connect(transport);
  return client;
}

type Tool = {
  name: string;
  description?: string;
  inputSchema: { type: string; required?: string[]; properties?: Record<string, unknown> };
};

type ToolResult = {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: { type: string; text: string }[];
};

Deno.test("keel mcp: the official MCP client drives the real server", async (t) => {
  const repo = await _repo();
  const client = await _connect(repo);
  try {
    await t.step("initialize: server info and tools capability", () => {
      assert.equal(client.getServerVersion()?.name, "keel");
      assert.equal(client.getServerVersion()?.version, "0.1.0");
      assert.deepEqual(client.getServerCapabilities()?.tools, { listChanged: false });
    });

    await t.step("tools/list: a small set with short descriptions and object schemas", async () => {
      const tools = (await client.listTools()).tools as Tool[];
      assert.deepEqual(tools.map((x) => x.name), [
        "brief",
        "run_start",
        "test_exec",
        "test_record",
        "drift_preview",
        "run_finish",
        "deviation_accept",
        "lessons",
        "trust_level",
        "guard_check",
        "contract_status",
        "contract_validate",
        "run_report",
        "run_list",
        "run_verify",
        "mission_next",
        "mission_status",
        "mission_implement",
        "mission_review",
        "mission_merge_dry_run",
        "report_render",
      ]);
      for (const tool of tools) {
        assert.ok((tool.description ?? "").length <= 90, `${tool.name}: ${tool.description}`);
        assert.equal(tool.inputSchema.type, "object");
        assert.ok(tool.inputSchema.properties?.repo, `${tool.name} takes repo`);
      }
      const next = tools.find((x) => x.name === "mission_next")!;
      assert.deepEqual(next.inputSchema.required, ["mission"]);
      const merge = tools.find((x) => x.name === "mission_merge_dry_run")!;
      assert.deepEqual(Object.keys(merge.inputSchema.properties ?? {}), [
        "mission",
        "target",
        "repo",
      ]);
      // What a model sees: the JSON of the tools/list result.
      const total = JSON.stringify({ tools }).length;
      // deno-lint-ignore no-console
      console.log(`tools/list: ${tools.length} tools, ${total} characters`);
      assert.ok(total <= 16_000, `tools/list is ${total} characters`);
    });

    await t.step("tools/call mission_next on a mission", async () => {
      const r = await client.callTool({
        name: "mission_next",
        arguments: { mission: MISSION },
      }) as ToolResult;
      assert.equal(r.isError, undefined);
      assert.equal(r.structuredContent?.wp_id, "WP01");
      assert.equal(r.structuredContent?.selection_reason, null);
      assert.equal(r.structuredContent?.mission_slug, MISSION);
      assert.equal(r.content[0]!.type, "text");
      assert.match(r.content[0]!.text, new RegExp(`^Mission ${MISSION}: .*\nNext: WP01 `));
    });

    await t.step("tools/call contract_validate: a keel error is a tool error", async () => {
      const r = await client.callTool({ name: "contract_validate", arguments: {} }) as ToolResult;
      assert.equal(r.isError, true);
      const error = r.structuredContent?.error as { code: string; rpc_code: number };
      assert.equal(error.code, "CONTRACT_NOT_FOUND");
      assert.equal(error.rpc_code, -32000);
      assert.match(r.content[0]!.text, /^error\[CONTRACT_NOT_FOUND\]: /);
    });

    await t.step("tools/call contract_validate on a filled-in contract", async () => {
      assert.equal((await keel(repo, ["init"])).code, 0);
      const dir = `${repo}/.keel/contracts/default`;
      const c = FEATURE_CONTRACT;
      await editJson(`${dir}/intent.json`, (v) => void Object.assign(v, structuredClone(c.intent)));
      await editJson(`${dir}/test_contract.json`, (v) => void (v.tests = structuredClone(c.tests)));
      await editJson(`${dir}/commit_plan.json`, (v) => void (v.units = structuredClone(c.units)));
      const r = await client.callTool({
        name: "contract_validate",
        arguments: { contract: "default" },
      }) as ToolResult;
      assert.equal(r.isError, undefined);
      assert.equal(r.structuredContent?.contract, "default");
      assert.equal(r.structuredContent?.ok, true);
      const cli = JSON.parse((await keel(repo, ["validate", "--json"])).stdout);
      assert.deepEqual(r.structuredContent, cli);
    });

    await t.step("invalid arguments are a tool error naming the field", async () => {
      const r = await client.callTool({
        name: "mission_next",
        arguments: { mission: 7 },
      }) as ToolResult;
      assert.equal(r.isError, true);
      const error = r.structuredContent?.error as {
        code: string;
        data: { issues: { path: string[] }[] };
      };
      assert.equal(error.code, "USAGE");
      assert.deepEqual(error.data.issues.map((i) => i.path.join(".")), ["mission"]);
      assert.match(r.content[0]!.text, /^error\[USAGE\]: Invalid params\n {2}- mission: /);
    });

    await t.step("an unknown tool is a protocol error", async () => {
      await assert.rejects(
        () => client.callTool({ name: "rm_rf", arguments: {} }),
        (e: Error & { code?: number }) =>
          e.code === -32602 && /Unknown tool: rm_rf/.test(e.message),
      );
    });

    await t.step(
      "tools/call mission_next on a synthetic mission in the fixture's shape",
      async () => {
        const shape = parityShape();
        await writeShapeMission(repo, shape);
        const r = await client.callTool({
          name: "mission_next",
          arguments: { mission: shape.slug },
        }) as ToolResult;
        assert.equal(r.isError, undefined);
        assert.equal(r.structuredContent?.wp_id, "WP01");
        assert.equal(r.structuredContent?.selection_reason, null);
        assert.equal(r.structuredContent?.mission_slug, shape.slug);
        assert.equal(r.content[0]!.type, "text");
        assert.match(r.content[0]!.text, new RegExp(`^Mission ${shape.slug}: .*\nNext: WP01 `));
        const cli = JSON.parse(
          (await keel(repo, ["next", "--mission", shape.slug, "--json"])).stdout,
        );
        const { timestamp: _a, ...fromTool } = r.structuredContent!;
        const { timestamp: _b, ...fromCli } = cli;
        assert.deepEqual(fromTool, fromCli);
      },
    );
  } finally {
    await client.close();
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("keel mcp: protocol-version negotiation and end of input", async (t) => {
  const repo = await Deno.makeTempDir({ prefix: "keel-mcp-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, "mcp", "--repo", repo],
    env: { ...GIT_ENV, NO_COLOR: "1" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const rpc = createRpcClient({ readable: child.stdout, writable: child.stdin });
  const stderr = new Response(child.stderr).text();
  const init = (protocolVersion: string) =>
    rpc.call("initialize", {
      protocolVersion,
      capabilities: {},
      clientInfo: { name: "raw", version: "0" },
    }) as Promise<{ result: { protocolVersion: string; serverInfo: { name: string } } }>;
  try {
    await t.step("a supported older version is echoed back", async () => {
      const r = await init("2024-11-05");
      assert.equal(r.result.protocolVersion, "2024-11-05");
      assert.equal(r.result.serverInfo.name, "keel");
    });
    await t.step("an unknown version gets the server's latest", async () => {
      const r = await init("1999-01-01");
      assert.match(r.result.protocolVersion, /^20\d\d-\d\d-\d\d$/);
      assert.notEqual(r.result.protocolVersion, "1999-01-01");
    });
    await t.step("tools/call over the raw protocol returns structured content", async () => {
      const r = await rpc.call("tools/call", { name: "contract_status", arguments: {} }) as {
        result: { isError: boolean; structuredContent: { error: { code: string } } };
      };
      assert.equal(r.result.isError, true);
      assert.equal(r.result.structuredContent.error.code, "CONTRACT_NOT_FOUND");
    });
    await t.step("closing stdin ends the server with exit 0", async () => {
      await rpc.send('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
      await rpc.end();
      assert.equal((await child.status).code, 0);
      assert.equal(await stderr, "");
    });
  } finally {
    await rpc.end();
    await child.status;
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("keel mcp: a line over the frame limit ends the session cleanly", async () => {
  const repo = await Deno.makeTempDir({ prefix: "keel-mcp-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, "mcp", "--repo", repo],
    env: { ...GIT_ENV, NO_COLOR: "1" },
    stdin: "piped",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const w = child.stdin.getWriter();
  try {
    await w.write(new TextEncoder().encode("x".repeat(5 * 1024 * 1024))).catch(() => {
      // the server may stop reading before the whole line is written
    });
    assert.equal((await child.status).code, 0);
  } finally {
    await w.close().catch(() => {});
    await child.status;
    await Deno.remove(repo, { recursive: true });
  }
});
