import assert from "node:assert/strict";
import { z } from "zod";
import { fixedClock } from "../core/util/mod.ts";
import { createRpcClient } from "./client.ts";
import { createFairScheduler, DroppedError } from "./fair.ts";
import type { MethodTable } from "./method_table.ts";
import { createRpcServer } from "./server.ts";
import {
  serveSocket,
  type SocketServeOptions,
  type SocketServeStats,
  unixDuplex,
} from "./socket.ts";

const ENC = new TextEncoder();

function _busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // CPU-bound work, as a heavy method is
  }
}

/** `t/slow` burns `ms` of CPU and counts its runs; `t/fast` answers at once. */
function _table(counter: { slow: number }): MethodTable {
  return {
    "t/slow": {
      summary: "slow",
      load: () =>
        Promise.resolve({
          params: z.strictObject({ ms: z.number() }),
          result: z.string(),
          run: (p: { ms: number }) => {
            counter.slow++;
            _busy(p.ms);
            return "slow";
          },
        }),
    },
    "t/fast": {
      summary: "fast",
      load: () =>
        Promise.resolve({ params: z.strictObject({}), result: z.string(), run: () => "fast" }),
    },
  };
}

async function _withServer(
  options: Omit<SocketServeOptions, "signal">,
  fn: (path: string, counter: { slow: number }) => Promise<void>,
): Promise<SocketServeStats> {
  const dir = await Deno.makeTempDir({ prefix: "robust-fair-" });
  const path = `${dir}/s.sock`;
  const counter = { slow: 0 };
  const server = createRpcServer({
    ctx: { cwd: "/", clock: fixedClock(new Date(0)), env: {}, gitBackend: "auto" },
    methods: _table(counter),
  });
  const stop = new AbortController();
  let listening!: () => void;
  const up = new Promise<void>((r) => (listening = r));
  const serving = serveSocket(path, server, {
    ...options,
    signal: stop.signal,
    onListening: () => listening(),
  });
  try {
    await up;
    await fn(path, counter);
  } finally {
    stop.abort();
  }
  const stats = await serving;
  await Deno.remove(dir, { recursive: true });
  return stats;
}

async function _client(path: string) {
  const conn = await Deno.connect({ transport: "unix", path });
  return { conn, client: createRpcClient(unixDuplex(conn)) };
}

function _close(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // closed already
  }
}

async function _timed<T>(p: Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await p;
  return [v, performance.now() - t0];
}

Deno.test("fair scheduler: turns by least recent grant, a per-connection share, drop discards waiting work", async () => {
  const s = createFairScheduler({ slots: 2, perOwner: 1 });
  const a = s.owner();
  const b = s.owner();
  const order: string[] = [];
  await a.acquire();
  // a's second request cannot take the free slot: one connection holds at most its share.
  const a2 = a.acquire().then(() => order.push("a2"));
  const b1 = b.acquire().then(() => order.push("b1"));
  await b1;
  assert.equal(s.running, 2);
  b.release();
  assert.deepEqual(order, ["b1"]);
  a.release();
  await a2;
  assert.deepEqual(order, ["b1", "a2"]);
  const a3 = a.acquire();
  a.drop();
  await assert.rejects(a3, DroppedError);
  await assert.rejects(a.acquire(), DroppedError);
  a.release();
  assert.equal(s.running, 0);
});

Deno.test("serveSocket: work of clients that pipelined and closed is dropped; a waiting client is answered meanwhile", async () => {
  let executed = 0;
  let worst = 0;
  const stats = await _withServer({}, async (path, counter) => {
    const good = await _client(path);
    assert.ok("result" in await good.client.call("t/fast"));
    const frames = Array.from(
      { length: 5 },
      (_, i) => `{"jsonrpc":"2.0","id":${i},"method":"t/slow","params":{"ms":20}}\n`,
    ).join("");
    // 40 clients each pipeline 5 slow requests (1 s of work each) and close at once.
    await Promise.all(Array.from({ length: 40 }, async () => {
      const c = await Deno.connect({ transport: "unix", path });
      await c.write(ENC.encode(frames));
      c.close();
    }));
    for (let i = 0; i < 10; i++) {
      const [r, ms] = await _timed(good.client.call("t/fast"));
      assert.ok("result" in r);
      worst = Math.max(worst, ms);
    }
    // Let the server finish whatever it still does for the closed clients.
    await new Promise((r) => setTimeout(r, 300));
    executed = counter.slow;
    _close(good.conn);
  });
  // 200 requests were sent; a closed client costs at most the request that
  // discovered it was gone plus those already started: far fewer than 200.
  // 200 requests were sent; each closed client costs at most the request
  // whose answer found it gone, plus one already started.
  assert.ok(
    executed >= 40 && executed <= 80,
    `${executed} of 200 requests of closed clients were run`,
  );
  // Running all 200 would take 4 s; the waiting client waits for at most one turn of each.
  assert.ok(worst < 2000, `a waiting client waited ${worst.toFixed(0)} ms`);
  assert.equal(stats.connections, 41);
});

Deno.test("serveSocket: a 1,000-request batch and a 64-deep pipeline do not starve another client", async () => {
  await _withServer({ slots: 4 }, async (path, counter) => {
    const batcher = await _client(path);
    const piper = await _client(path);
    const good = await _client(path);
    const batch = JSON.stringify(
      Array.from(
        { length: 1000 },
        (_, i) => ({ jsonrpc: "2.0", id: i, method: "t/slow", params: { ms: 2 } }),
      ),
    );
    await batcher.client.send(batch + "\n");
    const pipe = Array.from(
      { length: 64 },
      (_, i) => `{"jsonrpc":"2.0","id":"p${i}","method":"t/slow","params":{"ms":5}}\n`,
    ).join("");
    await piper.client.send(pipe);
    await new Promise((r) => setTimeout(r, 50));
    const ranBefore = counter.slow;
    const [r, ms] = await _timed(good.client.call("t/fast"));
    assert.ok("result" in r);
    // Both abusers still have work left: the answer did not wait for them.
    assert.ok(counter.slow < 1000 + 64, `all ${counter.slow} slow requests ran first`);
    assert.ok(ms < 500, `waited ${ms.toFixed(0)} ms behind ${counter.slow - ranBefore} requests`);
    const answers = await batcher.client.next() as unknown[];
    assert.equal(answers.length, 1000);
    for (let i = 0; i < 64; i++) await piper.client.next();
    for (const c of [batcher, piper, good]) _close(c.conn);
  });
});

Deno.test("serveSocket: an idle connection is closed after the idle timeout; a busy one is not", async () => {
  await _withServer({ idleTimeoutMs: 200 }, async (path) => {
    const idle = await Deno.connect({ transport: "unix", path });
    const busy = await _client(path);
    const t0 = performance.now();
    // A request running longer than the timeout keeps its connection.
    assert.ok("result" in await busy.client.call("t/slow", { ms: 400 }));
    const n = await idle.read(new Uint8Array(16));
    assert.equal(n, null, "the idle connection was closed by the server");
    assert.ok(performance.now() - t0 >= 190);
    await busy.client.closed;
    _close(idle);
    _close(busy.conn);
  });
});

Deno.test("serveSocket: at the connection cap a new client takes the place of the idlest connection", async () => {
  const stats = await _withServer({ maxConnections: 4, evictIdleMs: 100 }, async (path) => {
    const idle = await Promise.all(Array.from({ length: 4 }, () => _client(path)));
    for (const c of idle) assert.ok("result" in await c.client.call("t/fast"));
    await new Promise((r) => setTimeout(r, 150));
    const late = await _client(path);
    assert.ok("result" in await late.client.call("t/fast"));
    // The one idle the longest (the first to answer) was closed.
    await idle[0]!.client.closed;
    assert.ok("result" in await idle[3]!.client.call("t/fast"));
    for (const c of [...idle.slice(1), late]) assert.ok("result" in await c.client.call("t/fast"));
    // Nobody idle long enough: the next newcomer is refused, the others keep working.
    const refused = await Deno.connect({ transport: "unix", path });
    assert.equal(await refused.read(new Uint8Array(16)), null);
    refused.close();
    assert.ok("result" in await late.client.call("t/fast"));
    for (const c of [...idle, late]) _close(c.conn);
  });
  assert.equal(stats.evicted, 1);
  assert.equal(stats.refused, 1);
});
