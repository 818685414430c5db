import assert from "node:assert/strict";
import type { RpcClient } from "./client.ts";
import { MCP_TOOLS, type McpToolDef } from "./mcp.ts";
import { type MethodName, type MethodParams, type MethodResult, METHODS } from "./methods.ts";

Deno.test("an MCP tool names its method by the table's type; every tool's method is served", () => {
  const bad: McpToolDef = {
    // @ts-expect-error: "run/frobnicate" is not a method of the table (deno check fails without it)
    method: "run/frobnicate",
    description: "x",
    text: String,
  };
  assert.equal(Object.hasOwn(METHODS, bad.method), false);
  // @ts-expect-error: run/list's result has no markdown (the text renders another method's result)
  const wrongText: McpToolDef = {
    method: "run/list",
    description: "x",
    text: (r: { markdown: string }) => r.markdown,
  };
  const fixedWrong: McpToolDef = {
    method: "mission/merge",
    description: "x",
    // @ts-expect-error: mission/merge has no param "force"
    fixed: { force: true },
    text: String,
  };
  assert.deepEqual([wrongText.method, fixedWrong.method], ["run/list", "mission/merge"]);
  const served: MethodName[] = Object.values(MCP_TOOLS).map((t) => t.method);
  for (const m of served) assert.ok(Object.hasOwn(METHODS, m), m);
});

Deno.test("a method's operation must accept what its params schema parses to", async () => {
  const { z } = await import("zod");
  const { method } = await import("./method_table.ts");
  const ok = method({
    params: z.strictObject({ name: z.string() }),
    result: z.string(),
    run: (p: { name: string }) => p.name,
  });
  assert.equal(await ok.run({ name: "x" }, undefined as never), "x");
  method({
    params: z.strictObject({ name: z.string() }),
    result: z.number(),
    // @ts-expect-error: the operation wants a number where the schema gives a string
    run: (p: { name: number }) => p.name,
  });
});

Deno.test("a method's operation must return exactly what its result schema describes", async () => {
  const { z } = await import("zod");
  const { method } = await import("./method_table.ts");
  const params = z.strictObject({});
  const Result = z.strictObject({ id: z.string(), note: z.string().exactOptional() });
  const ok = method({
    params,
    result: Result,
    run: async (): Promise<{ id: string; note?: string }> => await Promise.resolve({ id: "a" }),
  });
  assert.deepEqual(await ok.run({}, undefined as never), { id: "a" });
  // @ts-expect-error: the operation returns a field the schema does not describe
  method({ params, result: Result, run: () => ({ id: "a", extra: 1 }) });
  // @ts-expect-error: the schema's optional `note` is missing from the operation's type
  method({ params, result: Result, run: (): { id: string } => ({ id: "a" }) });
  // @ts-expect-error: `id` is a number in the operation and a string in the schema
  method({ params, result: Result, run: (): { id: number; note?: string } => ({ id: 1 }) });
  const Optional = z.strictObject({ id: z.string(), note: z.string().optional() });
  // @ts-expect-error: `note?: string | undefined` (optional) is not `note?: string` (exactOptional)
  method({ params, result: Optional, run: (): { id: string; note?: string } => ({ id: "a" }) });
});

Deno.test("the typed client takes a method of the table and returns its result type", () => {
  // Type-level only: these functions are checked by `deno check`, never called.
  const _typed = async (client: RpcClient) => {
    const next = await client.request("mission/next", { mission: "m" });
    const wp: string | null = next.wp_id;
    const version: { version: string; commit: string } = await client.request("keel/version", {});
    // @ts-expect-error: "run/frobnicate" is not a method of the table
    await client.request("run/frobnicate", {});
    // @ts-expect-error: mission/next needs `mission`
    await client.request("mission/next", {});
    // @ts-expect-error: run/list's result has no `nope`
    (await client.request("run/list", {})).nope;
    return [wp, version];
  };
  const params: MethodParams<"contract/approve"> = { artifact: "all", by: "me" };
  const result: MethodResult<"run/list"> = { runs: [] };
  assert.equal(typeof _typed, "function");
  assert.deepEqual([params.artifact, result.runs], ["all", []]);
});

Deno.test("docs/rpc-mcp.md lists exactly the methods of the table", async () => {
  const doc = await Deno.readTextFile(new URL("../docs/rpc-mcp.md", import.meta.url));
  const para = doc.slice(
    doc.indexOf("**Methods:**"),
    doc.indexOf("\n\n", doc.indexOf("**Methods:**")),
  );
  const listed = [...para.matchAll(/`([a-z]+\/[a-zA-Z]+)`/g)].map((m) => m[1]!);
  assert.deepEqual([...new Set(listed)].sort(), Object.keys(METHODS).sort());
});
