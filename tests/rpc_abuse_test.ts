import assert from "node:assert/strict";
import { join } from "node:path";
import { createRpcClient, type RpcClient, unixDuplex } from "../rpc/mod.ts";
import { GIT_ENV, tempRepo } from "./helpers.ts";

const MAIN = new URL("../cli/main.ts", import.meta.url).pathname;
const ENC = new TextEncoder();

type Err = { id: unknown; error: { code: number; message: string; data: Record<string, unknown> } };

/** Bytes written to servers by this file, for the report line. */
let bytesSent = 0;
/** Highest RSS growth seen, KiB. */
const growth: string[] = [];

function rssKiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(Deno.readTextFileSync(`/proc/${pid}/status`))![1]);
}

function serveProcess(repo: string, args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, "serve", ...args, "--repo", repo],
    env: { ...GIT_ENV, NO_COLOR: "1" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** A stdio server and a client over its pipes. */
function stdioServer(repo: string, args: string[] = []) {
  const child = serveProcess(repo, ["--stdio", ...args]);
  const stderr = new Response(child.stderr).text();
  const client = createRpcClient({ readable: child.stdout, writable: child.stdin }, {
    framing: args.includes("lsp") ? "lsp" : "ndjson",
  });
  return { child, client, stderr };
}

async function send(client: RpcClient, data: string | Uint8Array): Promise<void> {
  const bytes = typeof data === "string" ? ENC.encode(data) : data;
  bytesSent += bytes.length;
  await client.send(bytes);
}

async function ok(client: RpcClient, label: string): Promise<void> {
  const r = await client.call("keel/version");
  assert.ok("result" in r, `${label}: ${JSON.stringify(r)}`);
}

const TEN_MB = `{"jsonrpc":"2.0","id":"big","method":"keel/version","params":{"p":"${
  "x".repeat(10 * 1024 * 1024)
}"}}`;

Deno.test({
  name:
    "keel serve --stdio under abuse: 10 MB frames, 10,000-element batch, invalid UTF-8, deep nesting",
  ignore: Deno.build.os !== "linux",
  fn: async (t) => {
    const repo = await tempRepo();
    const s = stdioServer(repo);
    try {
      await ok(s.client, "first call");
      const rss0 = rssKiB(s.child.pid);
      const steps: string[] = [];
      const mark = (label: string) =>
        steps.push(`${label} ${Math.round(rssKiB(s.child.pid) / 1024)}`);
      await t.step(
        "ten 10 MB frames: each refused with RPC_FRAME_TOO_LARGE, the pipe keeps working",
        async () => {
          for (let i = 0; i < 10; i++) {
            await send(s.client, TEN_MB + "\n");
            const e = await s.client.next() as Err;
            assert.equal(e.error.code, -32600);
            assert.equal(e.error.data.code, "RPC_FRAME_TOO_LARGE");
            await ok(s.client, `after big frame ${i}`);
          }
          mark("10MB-frames");
        },
      );
      await t.step("a 10,000-element batch is refused whole (limit 1,000)", async () => {
        const batch = JSON.stringify(
          Array.from(
            { length: 10_000 },
            (_, i) => ({ jsonrpc: "2.0", id: i, method: "keel/version" }),
          ),
        );
        await send(s.client, batch + "\n");
        const e = await s.client.next() as Err;
        assert.equal(e.error.code, -32600);
        assert.deepEqual(e.error.data, { limit: 1000, size: 10_000 });
        await ok(s.client, "after the batch");
        mark("10k-batch");
      });
      await t.step("a batch of 1,000 is answered with 1,000 responses", async () => {
        const batch = JSON.stringify(
          Array.from(
            { length: 1000 },
            (_, i) => ({ jsonrpc: "2.0", id: i, method: "keel/version" }),
          ),
        );
        await send(s.client, batch + "\n");
        const r = await s.client.next() as unknown[];
        assert.equal(r.length, 1000);
        mark("1k-batch");
      });
      await t.step(
        "a batch whose response would exceed the 16 MiB output cap gets an error, not silence",
        async () => {
          const batch = JSON.stringify(
            Array.from(
              { length: 1000 },
              (_, i) => ({ jsonrpc: "2.0", id: i, method: "schema/get" }),
            ),
          );
          await send(s.client, batch + "\n");
          const e = await s.client.next() as Err;
          assert.equal(e.error.code, -32600);
          assert.equal(e.error.data.code, "RPC_FRAME_TOO_LARGE");
          assert.deepEqual(e.error.data.data, { limit: 16 * 1024 * 1024 });
          await ok(s.client, "after the huge response");
          mark("38MB-response");
        },
      );
      await t.step("invalid UTF-8, lone surrogates and NUL bytes", async () => {
        for (
          const bytes of [
            new Uint8Array([0xff, 0xfe, 0xfd, 0x0a]),
            new Uint8Array([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d, 0x0a]),
            new Uint8Array([0x00, 0x00, 0x0a]),
          ]
        ) {
          await send(s.client, bytes);
          const e = await s.client.next() as Err;
          assert.equal(e.error.code, -32700);
          assert.equal(e.id, null);
        }
        await ok(s.client, "after bad bytes");
        mark("bad-utf8");
      });
      await t.step(
        "JSON nested 1,000,000 deep (2 MB) and deep params: an error, never INTERNAL",
        async () => {
          await send(s.client, "[".repeat(1_000_000) + "]".repeat(1_000_000) + "\n");
          // A batch of one element that is not a request object.
          const a = await s.client.next() as Err[];
          assert.equal(a.length, 1);
          assert.equal(a[0]!.error.code, -32600);
          const deep = "[".repeat(100_000) + "]".repeat(100_000);
          await send(
            s.client,
            `{"jsonrpc":"2.0","id":"deep","method":"contract/status","params":{"contract":${deep}}}\n`,
          );
          const b = await s.client.next() as Err;
          assert.equal(b.id, "deep");
          assert.equal(b.error.code, -32602);
          assert.notEqual(b.error.data?.code, "INTERNAL");
          await ok(s.client, "after deep nesting");
          mark("deep");
        },
      );
      const rss1 = rssKiB(s.child.pid);
      growth.push(`stdio RSS MiB: start ${Math.round(rss0 / 1024)}, ${steps.join(", ")}`);
      // The largest single cost is building a refused ~38 MB batch response once.
      assert.ok(
        rss1 - rss0 < 384 * 1024,
        `stdio server RSS grew ${Math.round((rss1 - rss0) / 1024)} MiB`,
      );
    } finally {
      await s.client.end();
      await s.child.status;
      await Deno.remove(repo, { recursive: true });
    }
  },
});

Deno.test({
  name: "keel serve --stdio --framing lsp: absurd and broken Content-Length headers",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const repo = await tempRepo();
    const s = stdioServer(repo, ["--framing", "lsp"]);
    try {
      await ok(s.client, "first call");
      // A body announced as 10 GB is skipped byte-exactly as it arrives, never buffered.
      const body = TEN_MB;
      await send(s.client, `Content-Length: ${ENC.encode(body).length}\r\n\r\n${body}`);
      const e = await s.client.next() as Err;
      assert.equal(e.error.data.code, "RPC_FRAME_TOO_LARGE");
      await ok(s.client, "after a 10 MB body");
      // A header that cannot be resynchronised closes the stream cleanly.
      await send(s.client, "Content-Length: 99999999999999999999999\r\n\r\n{}");
      await s.client.closed;
      const status = await s.child.status;
      assert.notEqual(status.code, 70);
    } finally {
      await s.client.end();
      await s.child.status;
      await Deno.remove(repo, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "keel serve --stdio: a client that never reads its responses is pushed back, memory bounded",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const repo = await tempRepo();
    const child = serveProcess(repo, ["--stdio"]);
    const stderr = new Response(child.stderr).text();
    const writer = child.stdin.getWriter();
    const reader = child.stdout.getReader();
    try {
      // One answered call first, so the server is up before measuring.
      await writer.write(ENC.encode('{"jsonrpc":"2.0","id":"up","method":"keel/version"}\n'));
      let first = "";
      while (!first.includes("\n")) {
        const { value } = await reader.read();
        first += new TextDecoder().decode(value);
      }
      assert.match(first, /"id":"up","result"/);
      const rss0 = rssKiB(child.pid);
      const chunk = ENC.encode(
        Array.from({ length: 200 }, (_, i) => `{"jsonrpc":"2.0","id":${i},"method":"schema/get"}`)
          .join("\n") + "\n",
      );
      // Write without ever reading stdout, until writes stop being accepted.
      let written = 0;
      let stalled = false;
      for (let i = 0; i < 2000 && !stalled; i++) {
        const w = writer.write(chunk).then(() => true, () => false);
        const r = await Promise.race([
          w,
          new Promise<"stalled">((res) => setTimeout(() => res("stalled"), 2000)),
        ]);
        if (r === "stalled") stalled = true;
        else if (r === false) break;
        else written += chunk.length;
      }
      bytesSent += written;
      const rss1 = rssKiB(child.pid);
      growth.push(
        `silent stdio client: ${Math.round(written / 1024)} KiB accepted, RSS ${
          Math.round(rss0 / 1024)
        } → ${Math.round(rss1 / 1024)} MiB`,
      );
      assert.ok(stalled, "the server kept reading from a client that never reads");
      assert.ok(rss1 - rss0 < 128 * 1024, `RSS grew ${Math.round((rss1 - rss0) / 1024)} MiB`);
      // Now read: the responses to what was accepted arrive, then close cleanly.
      let got = 0;
      const reading = (async () => {
        while (true) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const b of value) if (b === 0x0a) got++;
        }
      })();
      await writer.close().catch(() => {});
      await reading;
      const status = await child.status;
      assert.equal(status.code, 0, await stderr);
      assert.ok(got > 0);
    } finally {
      await writer.close().catch(() => {});
      await child.status;
      await Deno.remove(repo, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "keel serve --socket under abuse: 300 connections, 100 half-open partial frames, a well-behaved client keeps its answers",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const repo = await tempRepo();
    const dir = await Deno.makeTempDir({ prefix: "keel-abuse-sock-" });
    const path = join(dir, "keel.sock");
    const child = serveProcess(repo, ["--socket", path]);
    void new Response(child.stdout).text();
    const stderr = new Response(child.stderr).text();
    try {
      for (let i = 0; !(await connectable(path)); i++) {
        if (i > 3000) throw new Error(`server never listened: ${await stderr}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      const good = await Deno.connect({ transport: "unix", path });
      const client = createRpcClient(unixDuplex(good));
      await ok(client, "first call");
      const rss0 = rssKiB(child.pid);

      // 300 connections at once: beyond the server's cap some are refused, none crash it.
      const flood = await Promise.all(
        Array.from(
          { length: 300 },
          () => Deno.connect({ transport: "unix", path }).catch(() => null),
        ),
      );
      await ok(client, "during the flood");
      for (const c of flood) c?.close();

      // 100 half-open clients, each leaving a 1 MiB partial frame and shutting their write side.
      const partial = ENC.encode(
        `{"jsonrpc":"2.0","id":1,"method":"keel/version","params":{"p":"${"y".repeat(1 << 20)}`,
      );
      // The server may still be reaping the flood's connections: one accepted
      // beyond its cap is closed at once, and writing to it then fails with
      // BrokenPipe or ConnectionReset. That is the server refusing a client,
      // not a fault; any other write error is.
      let refused = 0;
      const half = await Promise.all(Array.from({ length: 100 }, async () => {
        const c = await Deno.connect({ transport: "unix", path });
        let off = 0;
        try {
          while (off < partial.length) off += await c.write(partial.subarray(off));
        } catch (e) {
          if (!(e instanceof Deno.errors.BrokenPipe || e instanceof Deno.errors.ConnectionReset)) {
            throw e;
          }
          refused++;
        }
        bytesSent += off;
        return c;
      }));
      growth.push(`${100 - refused} of 100 half-open clients held`);
      assert.ok(refused < 100, "every half-open client was refused");
      await ok(client, "with the partial frames held");
      const rssHeld = rssKiB(child.pid);
      for (const c of half) await c.closeWrite().catch(() => {});
      for (const c of half) c.close();
      for (let i = 0; i < 20; i++) await ok(client, `after the half-open clients (${i})`);
      const rss1 = rssKiB(child.pid);
      growth.push(
        `socket ${Math.round(rss0 / 1024)} MiB → ${
          Math.round(rssHeld / 1024)
        } MiB with 100 × 1 MiB partial frames → ${Math.round(rss1 / 1024)} MiB after`,
      );
      // 100 MiB of partial frames are held (bounded by connections × frame limit).
      assert.ok(rssHeld - rss0 < 400 * 1024, `RSS grew ${Math.round((rssHeld - rss0) / 1024)} MiB`);
      client.end();
      good.close();
    } finally {
      child.kill("SIGTERM");
      await child.status;
      await Deno.remove(dir, { recursive: true });
      await Deno.remove(repo, { recursive: true });
    }
  },
});

/** A `keel serve --socket` process on a fresh repository, and a connected well-behaved client. */
async function socketServer(): Promise<{
  path: string;
  client: RpcClient;
  stop: () => Promise<void>;
}> {
  const repo = await tempRepo();
  const dir = await Deno.makeTempDir({ prefix: "keel-fair-sock-" });
  const path = join(dir, "keel.sock");
  const child = serveProcess(repo, ["--socket", path]);
  void new Response(child.stdout).text();
  const stderr = new Response(child.stderr).text();
  for (let i = 0; !(await connectable(path)); i++) {
    if (i > 3000) throw new Error(`server never listened: ${await stderr}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  const conn = await Deno.connect({ transport: "unix", path });
  const client = createRpcClient(unixDuplex(conn));
  await ok(client, "first call");
  return {
    path,
    client,
    stop: async () => {
      try {
        conn.close();
      } catch {
        // closed by the server
      }
      child.kill("SIGTERM");
      const status = await child.status;
      assert.notEqual(status.code, 70, await stderr);
      await Deno.remove(dir, { recursive: true });
      await Deno.remove(repo, { recursive: true });
    },
  };
}

/** The slowest of `n` well-behaved calls, in ms. */
async function worstOf(client: RpcClient, n: number, label: string): Promise<number> {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await ok(client, `${label} (${i})`);
    worst = Math.max(worst, performance.now() - t0);
  }
  return worst;
}

Deno.test({
  name:
    "keel serve --socket: 200 clients that pipelined 5 rpc.discover each and left do not hold up a client that stays",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const s = await socketServer();
    try {
      const frames = ENC.encode(
        Array.from(
          { length: 5 },
          (_, i) => `{"jsonrpc":"2.0","id":${i},"method":"rpc.discover"}\n`,
        ).join(""),
      );
      await Promise.all(Array.from({ length: 200 }, async () => {
        const c = await Deno.connect({ transport: "unix", path: s.path });
        await c.write(frames).catch(() => 0);
        bytesSent += frames.length;
        c.close();
      }));
      const worst = await worstOf(s.client, 20, "after 200 clients left");
      growth.push(`200 departed pipelining clients: worst wait ${worst.toFixed(0)} ms`);
      // Before: 11–16 s, the server running all 1,000 discover calls for clients that left.
      assert.ok(worst < 3000, `a client that stayed waited ${worst.toFixed(0)} ms`);
    } finally {
      await s.stop();
    }
  },
});

Deno.test({
  name: "keel serve --socket: a 1,000-request batch does not stall another client",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const s = await socketServer();
    const batcher = await Deno.connect({ transport: "unix", path: s.path });
    const bc = createRpcClient(unixDuplex(batcher));
    try {
      const batch = JSON.stringify(
        Array.from({ length: 1000 }, (_, i) => ({
          jsonrpc: "2.0",
          id: i,
          method: "schema/get",
          params: { name: "intent" },
        })),
      );
      const t0 = performance.now();
      await send(bc, batch + "\n");
      const answered = bc.next().then((r) => [r, performance.now() - t0] as const);
      const worst = await worstOf(s.client, 10, "during the batch");
      const [r, batchMs] = await answered;
      assert.equal((r as unknown[]).length, 1000);
      growth.push(
        `1,000-request batch ${batchMs.toFixed(0)} ms; meanwhile worst wait ${worst.toFixed(0)} ms`,
      );
      assert.ok(
        worst < Math.max(250, batchMs / 4),
        `waited ${worst.toFixed(0)} ms during a ${batchMs.toFixed(0)} ms batch`,
      );
    } finally {
      try {
        batcher.close();
      } catch {
        // closed
      }
      await s.stop();
    }
  },
});

Deno.test({
  name:
    "keel serve --socket: 256 idle connections do not lock out a new client (the idlest gives way)",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const s = await socketServer();
    const idle: Deno.UnixConn[] = [];
    try {
      for (let i = 0; i < 256; i++) {
        idle.push(await Deno.connect({ transport: "unix", path: s.path }));
      }
      // Connections idle for a second may give way to a newcomer at the cap.
      await new Promise((r) => setTimeout(r, 1200));
      // The first client is active again, so one of the 256 silent ones gives way.
      await ok(s.client, "the first client");
      const late = await Deno.connect({ transport: "unix", path: s.path });
      const lc = createRpcClient(unixDuplex(late));
      await ok(lc, "a client arriving at the cap");
      await ok(s.client, "the first client, again");
      late.close();
    } finally {
      for (const c of idle) {
        try {
          c.close();
        } catch {
          // closed by the server
        }
      }
      await s.stop();
    }
  },
});

Deno.test({
  name: "abuse figures",
  ignore: Deno.build.os !== "linux",
  fn: () => {
    // deno-lint-ignore no-console
    console.log(
      `bytes sent to servers: ${(bytesSent / 1048576).toFixed(1)} MiB; ${growth.join("; ")}`,
    );
    assert.ok(bytesSent > 100 * 1024 * 1024);
  },
});

async function connectable(path: string): Promise<boolean> {
  try {
    (await Deno.connect({ transport: "unix", path })).close();
    return true;
  } catch {
    return false;
  }
}
