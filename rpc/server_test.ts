import assert from "node:assert/strict";
import { z } from "zod";
import { KeelError } from "../core/errors.ts";
import { fixedClock } from "../core/util/mod.ts";
import type { MethodTable } from "./method_table.ts";
import { createRpcServer } from "./server.ts";

const calls: string[] = [];
const TABLE: MethodTable = {
  "t/echo": {
    summary: "echo",
    load: () =>
      Promise.resolve({
        params: z.strictObject({ text: z.string(), loud: z.boolean().optional() }),
        result: z.strictObject({ text: z.string() }),
        run: (p: { text: string; loud?: boolean }) => {
          calls.push(p.text);
          return { text: p.loud ? p.text.toUpperCase() : p.text };
        },
      }),
  },
  "t/keel": {
    summary: "keel error",
    load: () =>
      Promise.resolve({
        params: z.strictObject({}),
        result: z.never(),
        run: () => {
          throw new KeelError("MISSION_NOT_FOUND", "No mission matches x", {
            data: { handle: "x", candidates: [] },
          });
        },
      }),
  },
  "t/bug": {
    summary: "bug",
    load: () =>
      Promise.resolve({
        params: z.strictObject({}),
        result: z.never(),
        run: () => {
          throw new TypeError("boom");
        },
      }),
  },
};

function _server(maxBatch?: number) {
  return createRpcServer({
    ctx: { cwd: "/", clock: fixedClock(new Date(0)), env: {}, gitBackend: "auto" },
    methods: TABLE,
    ...(maxBatch === undefined ? {} : { maxBatch }),
  });
}

async function _ask(frame: unknown, maxBatch?: number): Promise<unknown> {
  const out = await _server(maxBatch).handleFrame(
    typeof frame === "string" ? frame : JSON.stringify(frame),
  );
  return out === null ? null : JSON.parse(out);
}

const req = (id: unknown, method: string, params?: unknown) => ({
  jsonrpc: "2.0",
  id,
  method,
  ...(params === undefined ? {} : { params }),
});

Deno.test("RPC dispatcher", async (t) => {
  await t.step("a request gets its result with the same id", async () => {
    assert.deepEqual(await _ask(req("a", "t/echo", { text: "hi" })), {
      jsonrpc: "2.0",
      id: "a",
      result: { text: "hi" },
    });
  });
  await t.step("a notification runs and gets no response", async () => {
    calls.length = 0;
    assert.equal(await _ask({ jsonrpc: "2.0", method: "t/echo", params: { text: "n" } }), null);
    assert.deepEqual(calls, ["n"]);
  });
  await t.step("a notification for an unknown method gets no response", async () => {
    assert.equal(await _ask({ jsonrpc: "2.0", method: "nope" }), null);
  });
  await t.step("a batch of one is answered with an array of one", async () => {
    assert.deepEqual(await _ask([req(1, "t/echo", { text: "x" })]), [
      { jsonrpc: "2.0", id: 1, result: { text: "x" } },
    ]);
  });
  await t.step("a mixed batch answers requests in order and skips notifications", async () => {
    const out = await _ask([
      req(1, "t/echo", { text: "a" }),
      { jsonrpc: "2.0", method: "t/echo", params: { text: "b" } },
      req(2, "nope"),
      7,
      req(3, "t/echo", { text: "c", loud: true }),
    ]) as { id: unknown; error?: { code: number } }[];
    assert.deepEqual(out.map((r) => [r.id, r.error?.code ?? "ok"]), [
      [1, "ok"],
      [2, -32601],
      [null, -32600],
      [3, "ok"],
    ]);
  });
  await t.step("a batch of notifications gets no response", async () => {
    assert.equal(
      await _ask([{ jsonrpc: "2.0", method: "t/echo", params: { text: "q" } }, {
        jsonrpc: "2.0",
        method: "t/echo",
        params: { text: "r" },
      }]),
      null,
    );
  });
  await t.step("an empty batch is -32600", async () => {
    assert.deepEqual(await _ask([]), {
      jsonrpc: "2.0",
      id: null,
      error: {
        code: -32600,
        message: "Invalid Request: empty batch",
        data: { reason: "empty batch" },
      },
    });
  });
  await t.step("a batch over the limit is -32600 and runs nothing", async () => {
    calls.length = 0;
    const batch = Array.from({ length: 11 }, (_, i) => req(i, "t/echo", { text: String(i) }));
    const out = await _ask(batch, 10) as { error: { code: number; data: unknown } };
    assert.equal(out.error.code, -32600);
    assert.deepEqual(out.error.data, { limit: 10, size: 11 });
    assert.deepEqual(calls, []);
  });
  await t.step("invalid JSON and invalid UTF-8 are -32700 with id null", async () => {
    const a = await _ask('{"jsonrpc":') as { id: null; error: { code: number } };
    assert.equal(a.error.code, -32700);
    assert.equal(a.id, null);
    const raw = await _server().handleFrame(new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
    const b = JSON.parse(raw!) as { error: { code: number; data: { reason: string } } };
    assert.equal(b.error.code, -32700);
    assert.equal(b.error.data.reason, "frame is not valid UTF-8");
  });
  await t.step("malformed requests are -32600", async () => {
    for (
      const [frame, id] of [
        [{ id: 1, method: "t/echo" }, 1],
        [{ jsonrpc: "2.0", id: 2, method: 5 }, 2],
        [{ jsonrpc: "2.0", id: { x: 1 }, method: "t/echo" }, null],
        ['"just a string"', null],
      ] as const
    ) {
      const out = await _ask(frame) as { id: unknown; error: { code: number } };
      assert.equal(out.error.code, -32600, JSON.stringify(frame));
      assert.equal(out.id, id);
    }
  });
  await t.step("an unknown method is -32601", async () => {
    const out = await _ask(req(9, "no/such")) as { error: { code: number; data: unknown } };
    assert.equal(out.error.code, -32601);
    assert.deepEqual(out.error.data, { method: "no/such" });
  });
  await t.step("invalid params are -32602, a USAGE error with the issues", async () => {
    const out = await _ask(req(4, "t/echo", { text: 3, extra: true })) as {
      error: {
        code: number;
        data: { code: string; data: { issues: { path: string[]; message: string }[] } };
      };
    };
    assert.equal(out.error.code, -32602);
    assert.equal(out.error.data.code, "USAGE");
    assert.deepEqual(
      out.error.data.data.issues.map((i) => [i.path.join("."), i.message.split(":")[0]]).sort(),
      [["", "Unrecognized key"], ["text", "Invalid input"]],
    );
    const positional = await _ask(req(5, "t/echo", ["hi"])) as { error: { code: number } };
    assert.equal(positional.error.code, -32602);
    const scalar = await _ask(req(6, "t/echo", 3)) as { error: { code: number } };
    assert.equal(scalar.error.code, -32602);
  });
  await t.step("a keel error is -32000 carrying the CLI's error document", async () => {
    assert.deepEqual(await _ask(req(7, "t/keel")), {
      jsonrpc: "2.0",
      id: 7,
      error: {
        code: -32000,
        message: "No mission matches x",
        data: {
          code: "MISSION_NOT_FOUND",
          message: "No mission matches x",
          data: { handle: "x", candidates: [] },
        },
      },
    });
  });
  await t.step("an internal error is -32603 without a stack", async () => {
    const text = await _server().handleFrame(JSON.stringify(req(8, "t/bug")));
    assert.deepEqual(JSON.parse(text!), {
      jsonrpc: "2.0",
      id: 8,
      error: {
        code: -32603,
        message: "internal error: boom",
        data: { code: "INTERNAL", message: "internal error: boom", data: { name: "TypeError" } },
      },
    });
    assert.ok(!text!.includes("server_test.ts"));
  });
});

Deno.test("a batch whose responses outgrow maxResponseBytes stops with RPC_FRAME_TOO_LARGE", async () => {
  calls.length = 0;
  const server = createRpcServer({
    ctx: { cwd: "/", clock: fixedClock(new Date(0)), env: {}, gitBackend: "auto" },
    methods: TABLE,
    maxResponseBytes: 200,
  });
  const batch = Array.from({ length: 10 }, (_, i) => req(i, "t/echo", { text: "x".repeat(40) }));
  const out = JSON.parse((await server.handleFrame(JSON.stringify(batch)))!);
  assert.equal(out.error.code, -32600);
  assert.equal(out.error.data.code, "RPC_FRAME_TOO_LARGE");
  assert.deepEqual(out.error.data.data, { limit: 200 });
  assert.equal(calls.length, 3);
  const small = JSON.parse((await server.handleFrame(JSON.stringify(batch.slice(0, 2))))!);
  assert.equal(small.length, 2);
});
