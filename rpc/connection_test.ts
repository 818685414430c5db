import assert from "node:assert/strict";
import { z } from "zod";
import { fixedClock } from "../core/util/mod.ts";
import { serveConnection } from "./connection.ts";
import type { MethodTable } from "./method_table.ts";
import { createRpcServer } from "./server.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

function _server(table: MethodTable) {
  return createRpcServer({
    ctx: { cwd: "/", clock: fixedClock(new Date(0)), env: {}, gitBackend: "auto" },
    methods: table,
  });
}

/** A client side: push chunks in, collect written bytes. */
function _pipe() {
  let push!: ReadableStreamDefaultController<Uint8Array>;
  const readable = new ReadableStream<Uint8Array>({ start: (c) => void (push = c) });
  const written: Uint8Array[] = [];
  const writable = new WritableStream<Uint8Array>({ write: (c) => void written.push(c) });
  return {
    io: { readable, writable },
    send: (text: string) => {
      try {
        push.enqueue(enc.encode(text));
      } catch {
        // the server stopped reading (cancelled the stream)
      }
    },
    end: () => push.close(),
    lines: () =>
      dec.decode(new Uint8Array(written.flatMap((c) => [...c]))).split("\n").filter((l) =>
        l !== ""
      ),
  };
}

async function _until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 1));
}

function _gatedTable(state: { running: number; max: number; release: Promise<void> }): MethodTable {
  return {
    "t/wait": {
      summary: "wait for the gate",
      load: () =>
        Promise.resolve({
          params: z.strictObject({ n: z.number() }),
          result: z.number(),
          run: async (p: { n: number }) => {
            state.running++;
            state.max = Math.max(state.max, state.running);
            await state.release;
            state.running--;
            return p.n;
          },
        }),
    },
    "t/big": {
      summary: "a large result",
      load: () =>
        Promise.resolve({
          params: z.strictObject({}),
          result: z.string(),
          run: () => "b".repeat(64 * 1024),
        }),
    },
  };
}

Deno.test("serveConnection()", async (t) => {
  await t.step("bounds requests in flight and answers every one", async () => {
    let open!: () => void;
    const state = { running: 0, max: 0, release: new Promise<void>((r) => (open = r)) };
    const c = _pipe();
    const done = serveConnection(c.io, _server(_gatedTable(state)), { maxInFlight: 4 });
    c.send(
      Array.from(
        { length: 50 },
        (_, i) => JSON.stringify({ jsonrpc: "2.0", id: i, method: "t/wait", params: { n: i } }),
      )
        .join("\n") + "\n",
    );
    c.end();
    await _until(() => state.running === 4);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(state.max, 4);
    open();
    const stats = await done;
    assert.equal(stats.end, "eof");
    assert.equal(stats.frames, 50);
    const ids = c.lines().map((l) => JSON.parse(l).result).sort((a, b) => a - b);
    assert.deepEqual(ids, Array.from({ length: 50 }, (_, i) => i));
    assert.equal(state.max, 4);
  });

  await t.step(
    "an oversized frame gets RPC_FRAME_TOO_LARGE and the next frame is answered",
    async () => {
      const c = _pipe();
      const done = serveConnection(c.io, _server({}), { maxFrameBytes: 100 });
      c.send(`{"jsonrpc":"2.0","id":1,"method":"x","params":{"pad":"${"p".repeat(200)}"}}\n`);
      c.send('{"jsonrpc":"2.0","id":2,"method":"x"}\n');
      c.end();
      await done;
      const [first, second] = c.lines().map((l) => JSON.parse(l));
      assert.equal(first.error.code, -32600);
      assert.equal(first.error.data.code, "RPC_FRAME_TOO_LARGE");
      assert.deepEqual(first.error.data.data, { limit: 100 });
      assert.equal(second.id, 2);
      assert.equal(second.error.code, -32601);
    },
  );

  await t.step(
    "a client that never reads is dropped when queued output passes the cap",
    async () => {
      let push!: ReadableStreamDefaultController<Uint8Array>;
      const readable = new ReadableStream<Uint8Array>({ start: (c) => void (push = c) });
      const writable = new WritableStream<Uint8Array>({ write: () => new Promise(() => {}) }, {
        highWaterMark: 1,
      });
      let closed = 0;
      const done = serveConnection(
        { readable, writable },
        _server(_gatedTable({ running: 0, max: 0, release: Promise.resolve() })),
        {
          outputHighWater: 1024 * 1024,
          maxQueuedOutput: 256 * 1024,
          close: () => void closed++,
        },
      );
      for (let i = 0; i < 20; i++) {
        push.enqueue(
          enc.encode(`{"jsonrpc":"2.0","id":${i},"method":"t/big"}\n`),
        );
      }
      const stats = await done;
      assert.equal(stats.end, "output-cap");
      assert.equal(closed, 1);
      assert.ok(
        stats.responses <= 5,
        `queued ${stats.responses} responses of 64 KiB before the cap`,
      );
    },
  );

  await t.step("shutdown stops reading but answers the request in flight", async () => {
    let open!: () => void;
    const state = { running: 0, max: 0, release: new Promise<void>((r) => (open = r)) };
    const c = _pipe();
    const stop = new AbortController();
    const done = serveConnection(c.io, _server(_gatedTable(state)), { signal: stop.signal });
    c.send('{"jsonrpc":"2.0","id":"slow","method":"t/wait","params":{"n":7}}\n');
    await _until(() => state.running === 1);
    stop.abort();
    c.send('{"jsonrpc":"2.0","id":"late","method":"t/wait","params":{"n":8}}\n');
    open();
    const stats = await done;
    assert.equal(stats.end, "shutdown");
    assert.deepEqual(c.lines().map((l) => JSON.parse(l)), [{
      jsonrpc: "2.0",
      id: "slow",
      result: 7,
    }]);
  });

  await t.step(
    "a bad Content-Length header gets a parse error and closes the connection",
    async () => {
      const c = _pipe();
      let closed = 0;
      const done = serveConnection(c.io, _server({}), {
        framing: "lsp",
        close: () => void closed++,
      });
      c.send("Content-Length: abc\r\n\r\n{}");
      const stats = await done;
      assert.equal(stats.end, "fatal-frame");
      assert.equal(closed, 1);
      const text = dec.decode(new Uint8Array(0));
      assert.equal(text, "");
    },
  );
});
