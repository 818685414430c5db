import assert from "node:assert/strict";
import { MCP_TOOLS, type McpToolDef } from "./mcp.ts";
import { type MethodName, METHODS } from "./methods.ts";

Deno.test("an MCP tool names its method by the table's type; every tool's method is served", () => {
  const bad: McpToolDef = {
    // @ts-expect-error: "run/frobnicate" is not a method of the table (deno check fails without it)
    method: "run/frobnicate",
    description: "x",
    text: String,
  };
  assert.equal(Object.hasOwn(METHODS, bad.method), false);
  const served: MethodName[] = Object.values(MCP_TOOLS).map((t) => t.method);
  for (const m of served) assert.ok(Object.hasOwn(METHODS, m), m);
});

Deno.test("a method's operation must accept what its params schema parses to", async () => {
  const { z } = await import("zod");
  const { method } = await import("./method_table.ts");
  const ok = method({
    params: z.strictObject({ name: z.string() }),
    run: (p: { name: string }) => p.name,
  });
  assert.equal(await ok.run({ name: "x" }, undefined as never), "x");
  method({
    params: z.strictObject({ name: z.string() }),
    // @ts-expect-error: the operation wants a number where the schema gives a string
    run: (p: { name: number }) => p.name,
  });
});
