import assert from "node:assert/strict";
import fc from "fast-check";
import { fixedClock } from "../core/util/mod.ts";
import { createKeelServer } from "./serve.ts";

const CODES = new Set([-32700, -32600, -32601, -32602, -32603, -32000]);

function _checkResponse(r: Record<string, unknown>): void {
  assert.equal(r.jsonrpc, "2.0");
  assert.ok("id" in r);
  assert.ok(("result" in r) !== ("error" in r), JSON.stringify(r));
  if ("error" in r) {
    const e = r.error as { code: number; message: string; data?: { code?: string } };
    assert.ok(CODES.has(e.code), `unexpected code ${e.code}`);
    assert.equal(typeof e.message, "string");
    assert.notEqual(e.code, -32603, `internal error: ${JSON.stringify(e)}`);
    if (e.code === -32000) assert.match(e.data?.code ?? "", /^[A-Z][A-Z0-9_]+$/);
  }
}

const server = createKeelServer({
  cwd: "/nonexistent-keel-fuzz",
  clock: fixedClock(new Date(0)),
  env: {},
  gitBackend: "cli",
}, { maxBatch: 20 });

const METHOD = fc.constantFrom(
  "keel/version",
  "schema/get",
  "contract/status",
  "mission/next",
  "mission/list",
  "rpc.discover",
  "no/such",
  "__proto__",
  "constructor",
);
const ID = fc.oneof(
  fc.integer(),
  fc.string(),
  fc.constant(null),
  fc.constant(undefined),
  fc.object(),
);
const REQUEST = fc.record({
  jsonrpc: fc.oneof(fc.constant("2.0"), fc.constant("1.0"), fc.anything()),
  id: ID,
  method: fc.oneof(METHOD, fc.anything()),
  params: fc.oneof(
    fc.constant(undefined),
    fc.dictionary(fc.string(), fc.jsonValue()),
    fc.anything(),
  ),
}, { requiredKeys: ["jsonrpc", "method"] });

async function _frame(bytes: Uint8Array | string): Promise<void> {
  const out = await server.handleFrame(bytes);
  if (out === null) return;
  const parsed = JSON.parse(out);
  for (const r of Array.isArray(parsed) ? parsed : [parsed]) _checkResponse(r);
}

Deno.test("RPC frames: generated requests, batches and bytes never crash the server", async (t) => {
  await t.step("structured requests and batches", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(REQUEST, fc.array(REQUEST, { maxLength: 25 })), async (value) => {
        await _frame(JSON.stringify(value) ?? "null");
      }),
      { numRuns: 400 },
    );
  });
  await t.step("arbitrary JSON values", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => await _frame(JSON.stringify(value))),
      { numRuns: 300 },
    );
  });
  await t.step("arbitrary bytes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (bytes) => {
        const out = await server.handleFrame(bytes);
        assert.notEqual(out, null);
        _checkResponse(JSON.parse(out!));
      }),
      { numRuns: 300 },
    );
  });
});
