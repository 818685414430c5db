import assert from "node:assert/strict";
import { fixedClock } from "../core/util/mod.ts";
import { METHODS } from "./methods.ts";
import { createKeelServer } from "./serve.ts";

type Doc = {
  openrpc: string;
  info: { title: string; version: string };
  methods: {
    name: string;
    summary: string;
    paramStructure: string;
    params: { name: string; required: boolean; schema: Record<string, unknown> }[];
    result: { name: string; schema: Record<string, unknown> };
  }[];
};

Deno.test("rpc.discover returns an OpenRPC document generated from the zod schemas", async (t) => {
  const server = createKeelServer({
    cwd: "/nonexistent",
    clock: fixedClock(new Date(0)),
    env: {},
    gitBackend: "auto",
  });
  const r = await server.call("rpc.discover");
  assert.ok("result" in r, JSON.stringify(r));
  const doc = r.result as Doc;
  await t.step("header", () => {
    assert.equal(doc.openrpc, "1.3.2");
    assert.deepEqual(doc.info.title, "keel");
    assert.equal(doc.info.version, "0.1.0");
  });
  await t.step("one entry per method of the table, by name", () => {
    assert.deepEqual(doc.methods.map((m) => m.name), Object.keys(METHODS));
    for (const m of doc.methods) {
      assert.equal(m.paramStructure, "by-name");
      assert.ok(m.summary.length > 0);
    }
  });
  await t.step("params come from the operation's schema (input mode)", () => {
    const byName = Object.fromEntries(doc.methods.map((m) => [m.name, m]));
    assert.deepEqual(
      byName["contract/approve"]!.params.map((p) => [p.name, p.required]),
      [["artifact", true], ["by", true], ["contract", false], ["allowPlaceholders", false]],
    );
    assert.deepEqual(byName["contract/approve"]!.params[0]!.schema.enum, [
      "intent",
      "tests",
      "plan",
      "all",
    ]);
    assert.deepEqual(
      byName["mission/next"]!.params.map((p) => [p.name, p.required]),
      [["mission", true], ["agent", false], ["explain", false]],
    );
    assert.deepEqual(byName["mission/merge"]!.params.map((p) => p.name), [
      "mission",
      "dryRun",
      "target",
    ]);
    assert.deepEqual(byName["keel/version"]!.result.schema.required, ["version", "commit"]);
  });
  await t.step("every method describes its result (output mode), none is {} or any", () => {
    for (const m of doc.methods) {
      const schema = m.result.schema;
      assert.equal(m.result.name, "result");
      assert.ok(
        schema.type === "object" || Array.isArray(schema.anyOf),
        `${m.name}: ${JSON.stringify(schema).slice(0, 200)}`,
      );
    }
    const byName = Object.fromEntries(doc.methods.map((m) => [m.name, m.result.schema]));
    const runList = byName["run/list"]!;
    assert.equal(runList.additionalProperties, false);
    assert.deepEqual(runList.required, ["runs"]);
    const entry = (runList.properties as { runs: { items: Record<string, unknown> } }).runs.items;
    assert.deepEqual(entry.required, [
      "run_id",
      "contract",
      "state",
      "verdict",
      "agent",
      "started_at",
      "finished_at",
    ]);
    assert.ok("problem" in (entry.properties as Record<string, unknown>));
    assert.equal((byName["mission/merge"]!.anyOf as unknown[]).length, 3);
    const next = byName["mission/next"]!.properties as Record<string, Record<string, unknown>>;
    assert.equal(next.is_query!.const, true);
    assert.ok(!(byName["mission/next"]!.required as string[]).includes("explain"));
  });
});
