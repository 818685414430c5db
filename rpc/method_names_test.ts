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
