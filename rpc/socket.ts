/**
 * The unix-socket transport. The socket is bound at the requested path under
 * umask 0177, so it is 0600 from the moment it exists (never connectable by
 * other users); bind() never replaces a socket another server is listening
 * on. A stale socket file (nobody listening) is replaced. Any path up to 107
 * bytes works; a longer one or a missing parent folder is
 * RPC_SOCKET_PATH_INVALID.
 * The file is removed when the server stops. No TCP listener exists.
 *
 * @module
 */

import { dirname, resolve } from "node:path";
import { KeelError } from "../core/errors.ts";
import {
  type ConnectionHandle,
  type ConnectionOptions,
  type ConnectionStats,
  type Duplex,
  serveConnection,
} from "./connection.ts";
import { createFairScheduler } from "./fair.ts";
import type { RpcServer } from "./server.ts";

/** Options of {@link serveSocket}. */
export interface SocketServeOptions
  extends Omit<ConnectionOptions, "close" | "scheduler" | "register"> {
  /**
   * Connections served at once (default 256). A further one takes the place
   * of the connection idle the longest, if it has been idle `evictIdleMs`;
   * otherwise it is closed on accept.
   */
  maxConnections?: number;
  /** Requests run at once over all connections (default 8; one connection runs at most half). */
  slots?: number;
  /** Idle time after which a connection may be closed to admit a new one at the cap (default 1 s). */
  evictIdleMs?: number;
  /** Called once the socket accepts connections. */
  onListening?: (path: string) => void;
}

/** What a socket server did. */
export interface SocketServeStats {
  /** The socket path (absolute). */
  path: string;
  /** Connections accepted and served. */
  connections: number;
  /** Connections refused because `maxConnections` were open and none was idle. */
  refused: number;
  /** Idle connections closed to admit a new one. */
  evicted: number;
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
 *   the path exists and is not a socket; RPC_SOCKET_PATH_INVALID when the
 *   parent folder is missing or the path is longer than 107 bytes.
 */
export async function serveSocket(
  path: string,
  server: RpcServer,
  options: SocketServeOptions = {},
): Promise<SocketServeStats> {
  const abs = resolve(path);
  const { listener, ino } = await _claim(abs);
  const maxConnections = options.maxConnections ?? 256;
  const evictIdleMs = options.evictIdleMs ?? 1000;
  const stats: SocketServeStats = {
    path: abs,
    connections: 0,
    refused: 0,
    evicted: 0,
    frames: 0,
  };
  const active = new Set<Promise<ConnectionStats>>();
  const handles = new Set<ConnectionHandle>();
  const scheduler = createFairScheduler(
    options.slots === undefined ? {} : { slots: options.slots },
  );
  const connOptions: ConnectionOptions = {
    ...options,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    // At most 4 of a connection's requests run at once; reading ahead 16
    // keeps a pipeline busy without piling up work (and its answers) for a
    // client that is not reading them.
    maxInFlight: options.maxInFlight ?? SOCKET_MAX_IN_FLIGHT,
    scheduler,
  };
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
      if (handles.size >= maxConnections) {
        const idlest = _idlest(handles, evictIdleMs);
        if (idlest === null) {
          stats.refused++;
          conn.close();
          continue;
        }
        handles.delete(idlest);
        idlest.evict();
        stats.evicted++;
      }
      stats.connections++;
      let handle: ConnectionHandle | null = null;
      const p = serveConnection({ read: (b) => conn.read(b), writable: conn.writable }, server, {
        ...connOptions,
        close: () => conn.close(),
        register: (h) => {
          handle = h;
          handles.add(h);
        },
      });
      active.add(p);
      p.then((s) => (stats.frames += s.frames)).finally(() => {
        active.delete(p);
        if (handle !== null) handles.delete(handle);
      });
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

/** Requests read ahead per socket connection (default of `maxInFlight`): 16. */
export const SOCKET_MAX_IN_FLIGHT = 16;

/** A socket connection with nothing read, running or queued for this long is closed: 2 minutes. */
export const DEFAULT_IDLE_TIMEOUT_MS = 120_000;

function _idlest(handles: Set<ConnectionHandle>, atLeastMs: number): ConnectionHandle | null {
  let best: ConnectionHandle | null = null;
  let bestMs = -1;
  for (const h of handles) {
    const ms = h.idleMs();
    if (ms !== null && ms >= atLeastMs && ms > bestMs) {
      best = h;
      bestMs = ms;
    }
  }
  return best;
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

/** The longest unix socket path (`sun_path` holds 108 bytes with the NUL). */
export const MAX_SOCKET_PATH_BYTES = 107;

async function _claim(abs: string): Promise<{ listener: Deno.UnixListener; ino: number | null }> {
  const bytes = new TextEncoder().encode(abs).length;
  if (bytes > MAX_SOCKET_PATH_BYTES) {
    throw _invalid(
      abs,
      `the path is ${bytes} bytes; a unix socket path holds at most ${MAX_SOCKET_PATH_BYTES}`,
    );
  }
  const parent = await _lstat(dirname(abs)).catch(() => null);
  if (parent === null) throw _invalid(abs, `the folder ${dirname(abs)} does not exist`);
  const parentReal = await Deno.stat(dirname(abs)).catch(() => null);
  if (parentReal === null || !parentReal.isDirectory) {
    throw _invalid(abs, `${dirname(abs)} is not a folder`);
  }
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
  // Bound at the path itself under umask 0177, so the socket is 0600 from
  // the moment it exists (no longer temporary path first, so every legal
  // path works). bind() never replaces an existing file: a server that won
  // a race since the check above makes it fail with AddrInUse.
  let listener: Deno.UnixListener;
  const old = Deno.umask(0o177);
  try {
    listener = Deno.listen({ transport: "unix", path: abs });
  } catch (e) {
    if (e instanceof Deno.errors.AddrInUse || e instanceof Deno.errors.AlreadyExists) {
      throw _inUse(abs);
    }
    if (e instanceof Deno.errors.PermissionDenied) {
      throw _invalid(abs, `permission denied in ${dirname(abs)}`);
    }
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) {
      throw _invalid(abs, `the folder ${dirname(abs)} does not exist`);
    }
    throw e;
  } finally {
    Deno.umask(old);
  }
  try {
    await Deno.chmod(abs, 0o600);
    return { listener, ino: (await Deno.lstat(abs)).ino };
  } catch (e) {
    listener.close();
    throw e;
  }
}

function _invalid(abs: string, reason: string): KeelError {
  return new KeelError("RPC_SOCKET_PATH_INVALID", `Cannot listen on ${abs}: ${reason}`, {
    data: { path: abs, reason },
  });
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
