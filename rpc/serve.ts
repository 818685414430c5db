/**
 * `keel serve`: the JSON-RPC server over stdio or a unix socket, with
 * SIGINT/SIGTERM shutting it down after the requests in flight.
 *
 * @module
 */

import type { OpContext } from "../core/context.ts";
import { DEFAULT_MAX_QUEUED_OUTPUT } from "./connection.ts";
import type { FramingName } from "./framing.ts";
import { METHODS } from "./methods.ts";
import { openRpcDocument } from "./openrpc.ts";
import { createRpcServer, type RpcServer } from "./server.ts";
import { serveSocket } from "./socket.ts";
import { serveStdio } from "./stdio.ts";

/**
 * keel's RPC server: the method table plus `rpc.discover`.
 *
 * @param ctx The operation context every call runs with.
 * @param options `maxBatch` (default 1,000). A batch response stops at the
 *   connection's output cap (16 MiB) with RPC_FRAME_TOO_LARGE. `roots`: the
 *   folders a request's `repo` may name (default: `ctx.cwd`).
 * @returns The server.
 */
export function createKeelServer(
  ctx: OpContext,
  options: { maxBatch?: number; roots?: readonly string[] } = {},
): RpcServer {
  // The document depends only on the method table: built once per server.
  let discover: Promise<Record<string, unknown>> | null = null;
  return createRpcServer({
    ctx,
    methods: METHODS,
    roots: options.roots ?? [],
    maxResponseBytes: DEFAULT_MAX_QUEUED_OUTPUT,
    ...(options.maxBatch === undefined ? {} : { maxBatch: options.maxBatch }),
    builtins: {
      "rpc.discover": () => {
        discover ??= openRpcDocument(METHODS);
        discover.catch(() => (discover = null));
        return discover;
      },
    },
  });
}

/** Options of {@link runServe}. */
export interface RunServeOptions {
  /** The operation context. */
  ctx: OpContext;
  /** `stdio`, or a unix socket path. */
  transport: { kind: "stdio" } | { kind: "socket"; path: string };
  /** Frame format (default `ndjson`). */
  framing?: FramingName;
  /** Largest frame in bytes (default 4 MiB). */
  maxFrameBytes?: number;
  /** Called when the socket listens. */
  onListening?: (path: string) => void;
  /** Folders a request's `repo` may name (absolute; default: `ctx.cwd`). */
  roots?: readonly string[];
}

/** Summary of a finished `serve`. */
export interface ServeSummary {
  transport: "stdio" | "socket";
  path: string | null;
  connections: number;
  frames: number;
  /** Why it stopped: `eof` (stdin closed), `signal`, or a connection fault. */
  end: string;
}

/**
 * Serve until stdin closes (stdio) or SIGINT/SIGTERM arrives.
 *
 * @param options Transport, framing and context.
 * @returns What was served.
 * @throws {KeelError} RPC_SOCKET_IN_USE (socket held by a live server).
 */
export async function runServe(options: RunServeOptions): Promise<ServeSummary> {
  const server = createKeelServer(options.ctx, { roots: options.roots ?? [] });
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, onSignal);
  const limits = {
    framing: options.framing ?? "ndjson",
    ...(options.maxFrameBytes === undefined ? {} : { maxFrameBytes: options.maxFrameBytes }),
    signal: stop.signal,
  } as const;
  try {
    if (options.transport.kind === "stdio") {
      const s = await serveStdio(server, limits);
      return {
        transport: "stdio",
        path: null,
        connections: 1,
        frames: s.frames,
        end: s.end === "shutdown" ? "signal" : s.end,
      };
    }
    const s = await serveSocket(options.transport.path, server, {
      ...limits,
      ...(options.onListening === undefined ? {} : { onListening: options.onListening }),
    });
    return {
      transport: "socket",
      path: s.path,
      connections: s.connections,
      frames: s.frames,
      end: "signal",
    };
  } finally {
    for (const s of signals) Deno.removeSignalListener(s, onSignal);
  }
}
