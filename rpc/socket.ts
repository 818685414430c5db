/**
 * The unix-socket transport. The socket is bound inside a fresh 0700
 * directory, set to 0600, then hard-linked to the requested path, so it is
 * never connectable by other users and never replaces a socket another
 * server is listening on. A stale socket file (nobody listening) is replaced.
 * The file is removed when the server stops. No TCP listener exists.
 *
 * @module
 */

import { dirname, resolve } from "node:path";
import { KeelError } from "../core/errors.ts";
import {
  type ConnectionOptions,
  type ConnectionStats,
  type Duplex,
  serveConnection,
} from "./connection.ts";
import type { RpcServer } from "./server.ts";

/** Options of {@link serveSocket}. */
export interface SocketServeOptions extends Omit<ConnectionOptions, "close"> {
  /** Connections served at once (default 256); further ones are closed on accept. */
  maxConnections?: number;
  /** Called once the socket accepts connections. */
  onListening?: (path: string) => void;
}

/** What a socket server did. */
export interface SocketServeStats {
  /** The socket path (absolute). */
  path: string;
  /** Connections accepted and served. */
  connections: number;
  /** Connections refused because `maxConnections` were open. */
  refused: number;
  /** Frames read over all connections. */
  frames: number;
}

/**
 * Listen on a unix socket and serve until the signal aborts; then stop
 * accepting, let requests in flight finish, and remove the socket file.
 *
 * @param path Socket path.
 * @param server The dispatcher.
 * @param options Limits, framing and the stop signal.
 * @returns Statistics.
 * @throws {KeelError} RPC_SOCKET_IN_USE when a live server holds the path, or
 *   the path exists and is not a socket.
 */
export async function serveSocket(
  path: string,
  server: RpcServer,
  options: SocketServeOptions = {},
): Promise<SocketServeStats> {
  const abs = resolve(path);
  const { listener, ino } = await _claim(abs);
  const maxConnections = options.maxConnections ?? 256;
  const stats: SocketServeStats = { path: abs, connections: 0, refused: 0, frames: 0 };
  const active = new Set<Promise<ConnectionStats>>();
  const onAbort = () => listener.close();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    options.onListening?.(abs);
    if (options.signal?.aborted) listener.close();
    while (true) {
      let conn: Deno.UnixConn;
      try {
        conn = await listener.accept();
      } catch {
        break;
      }
      if (active.size >= maxConnections) {
        stats.refused++;
        conn.close();
        continue;
      }
      stats.connections++;
      const p = serveConnection({ read: (b) => conn.read(b), writable: conn.writable }, server, {
        ...options,
        close: () => conn.close(),
      });
      active.add(p);
      p.then((s) => (stats.frames += s.frames)).finally(() => active.delete(p));
    }
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    try {
      listener.close();
    } catch {
      // already closed
    }
    await _unlinkIfOurs(abs, ino);
  }
  while (active.size > 0) await Promise.allSettled([...active]);
  return stats;
}

/**
 * The streams of a unix connection, read with backpressure. Unlike
 * `conn.readable`, reaching the end of input does not close the connection,
 * so responses can still be written to a client that shut its write side.
 *
 * @param conn A unix connection.
 * @returns Its readable and writable streams.
 */
export function unixDuplex(conn: Deno.UnixConn): Duplex {
  const buf = new Uint8Array(64 * 1024);
  return {
    readable: new ReadableStream<Uint8Array>({
      async pull(controller) {
        let n: number | null;
        try {
          n = await conn.read(buf);
        } catch (e) {
          _quietly(() => controller.error(e));
          return;
        }
        _quietly(() => n === null ? controller.close() : controller.enqueue(buf.slice(0, n)));
      },
    }, { highWaterMark: 0 }),
    writable: conn.writable,
  };
}

function _quietly(fn: () => void): void {
  try {
    fn();
  } catch {
    // the stream was cancelled meanwhile
  }
}

async function _claim(abs: string): Promise<{ listener: Deno.UnixListener; ino: number | null }> {
  const existing = await _lstat(abs);
  if (existing !== null) {
    if (!existing.isSocket) {
      throw new KeelError("RPC_SOCKET_IN_USE", `${abs} exists and is not a socket`, {
        data: { path: abs, reason: "not a socket" },
      });
    }
    if (await _live(abs)) throw _inUse(abs);
    await Deno.remove(abs).catch(() => {});
  }
  const dir = await Deno.makeTempDir({ dir: dirname(abs), prefix: ".keel-" });
  try {
    await Deno.chmod(dir, 0o700);
    const inner = `${dir}/s`;
    const listener = Deno.listen({ transport: "unix", path: inner });
    try {
      await Deno.chmod(inner, 0o600);
      try {
        await Deno.link(inner, abs);
      } catch (e) {
        if (e instanceof Deno.errors.AlreadyExists) throw _inUse(abs);
        throw e;
      }
      return { listener, ino: (await Deno.lstat(abs)).ino };
    } catch (e) {
      listener.close();
      throw e;
    }
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

function _inUse(abs: string): KeelError {
  return new KeelError("RPC_SOCKET_IN_USE", `Another keel server is listening on ${abs}`, {
    data: { path: abs, reason: "a live server listens on it" },
  });
}

async function _lstat(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.lstat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

async function _live(path: string): Promise<boolean> {
  try {
    const conn = await Deno.connect({ transport: "unix", path });
    conn.close();
    return true;
  } catch (e) {
    return !(e instanceof Deno.errors.ConnectionRefused || e instanceof Deno.errors.NotFound);
  }
}

async function _unlinkIfOurs(abs: string, ino: number | null): Promise<void> {
  const now = await _lstat(abs).catch(() => null);
  if (now !== null && now.isSocket && now.ino === ino) await Deno.remove(abs).catch(() => {});
}
