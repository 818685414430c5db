/**
 * The RPC benchmark: a real `keel serve --socket` process and clients over
 * the unix socket. Measures one client's sequential `keel/version` rate, warm
 * `mission/next` latency on a real mission, and the total rate of several
 * concurrent clients; and the server's peak memory.
 *
 * @module
 */

import { join } from "node:path";
import { createRpcClient, type RpcClient, unixDuplex } from "../rpc/mod.ts";

/** Options of {@link benchRpcSocket}. */
export interface RpcBenchOptions {
  /** Repository the server works in (holding `kitty-specs/<mission>` for the latency figure). */
  repo: string;
  /** Mission handle for the `mission/next` latency; omitted → not measured. */
  mission?: string;
  /** Sequential `keel/version` requests (default 5,000). */
  sequential?: number;
  /** Warm `mission/next` requests (default 1,000). */
  latencySamples?: number;
  /** Concurrent clients (default 8). */
  clients?: number;
  /** `keel/version` requests per concurrent client (default 3,000). */
  perClient?: number;
  /** The server command before `serve --socket PATH --repo DIR` (default: this checkout's CLI). */
  command?: string[];
  /** Environment of the server. */
  env?: Record<string, string>;
}

/** The figures. */
export interface RpcBenchResult {
  /** One client, sequential `keel/version`, requests per second. */
  sequential_req_per_s: number;
  /** Warm `mission/next` latency percentiles in ms (null when no mission). */
  mission_next_ms: { p50: number; p95: number; max: number } | null;
  /** Concurrent clients. */
  clients: number;
  /** All clients together, `keel/version` requests per second. */
  concurrent_req_per_s: number;
  /** The server's peak resident memory in MiB (Linux), else null. */
  server_peak_rss_mib: number | null;
}

/**
 * Run the benchmark.
 *
 * @param options Repository, mission and counts.
 * @returns The figures.
 * @throws {Error} when the server does not start or a request fails.
 */
export async function benchRpcSocket(options: RpcBenchOptions): Promise<RpcBenchResult> {
  const dir = await Deno.makeTempDir({ prefix: "keel-bench-" });
  const path = join(dir, "keel.sock");
  const command = options.command ??
    [Deno.execPath(), "run", "-A", "--quiet", new URL("../cli/main.ts", import.meta.url).pathname];
  const server = new Deno.Command(command[0]!, {
    args: [...command.slice(1), "serve", "--socket", path, "--repo", options.repo],
    ...(options.env === undefined ? {} : { env: options.env }),
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const conns: Deno.UnixConn[] = [];
  try {
    const connect = async (): Promise<RpcClient> => {
      const conn = await _connectWhenReady(path, server);
      conns.push(conn);
      return createRpcClient(unixDuplex(conn));
    };
    const one = await connect();
    const n = options.sequential ?? 5000;
    for (let i = 0; i < 500; i++) await _ok(one.call("keel/version"));
    let t0 = performance.now();
    for (let i = 0; i < n; i++) await _ok(one.call("keel/version"));
    const sequential = n / ((performance.now() - t0) / 1000);

    let latency: RpcBenchResult["mission_next_ms"] = null;
    if (options.mission !== undefined) {
      const params = { mission: options.mission };
      for (let i = 0; i < 100; i++) await _ok(one.call("mission/next", params));
      const samples: number[] = [];
      for (let i = 0; i < (options.latencySamples ?? 1000); i++) {
        const t = performance.now();
        await _ok(one.call("mission/next", params));
        samples.push(performance.now() - t);
      }
      samples.sort((a, b) => a - b);
      const at = (q: number) =>
        samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
      latency = { p50: at(0.5), p95: at(0.95), max: samples[samples.length - 1]! };
    }

    const k = options.clients ?? 8;
    const per = options.perClient ?? 3000;
    const many = await Promise.all(Array.from({ length: k }, connect));
    for (const c of many) for (let i = 0; i < 50; i++) await _ok(c.call("keel/version"));
    t0 = performance.now();
    await Promise.all(many.map(async (c) => {
      for (let i = 0; i < per; i++) await _ok(c.call("keel/version"));
    }));
    const concurrent = (k * per) / ((performance.now() - t0) / 1000);
    return {
      sequential_req_per_s: sequential,
      mission_next_ms: latency,
      clients: k,
      concurrent_req_per_s: concurrent,
      server_peak_rss_mib: _peakRss(server.pid),
    };
  } finally {
    for (const c of conns) {
      try {
        c.close();
      } catch {
        // closed by the server
      }
    }
    try {
      server.kill("SIGTERM");
    } catch {
      // already exited
    }
    await server.status;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

async function _ok(p: Promise<unknown>): Promise<void> {
  const r = await p as { error?: unknown };
  if (r.error !== undefined) throw new Error(`request failed: ${JSON.stringify(r.error)}`);
}

async function _connectWhenReady(path: string, server: Deno.ChildProcess): Promise<Deno.UnixConn> {
  let exited = false;
  server.status.then(() => (exited = true));
  for (let i = 0; i < 1000 && !exited; i++) {
    try {
      return await Deno.connect({ transport: "unix", path });
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  throw new Error(`keel serve did not listen on ${path}`);
}

function _peakRss(pid: number): number | null {
  try {
    const kb = /VmHWM:\s+(\d+)/.exec(Deno.readTextFileSync(`/proc/${pid}/status`))?.[1];
    return kb === undefined ? null : Number(kb) / 1024;
  } catch {
    return null;
  }
}
