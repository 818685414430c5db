/**
 * Serve one connection (a socket or stdin/stdout): read frames, dispatch up
 * to a bounded number of requests at once, write responses. Memory per
 * connection is bounded: a partial frame by the frame limit, requests in
 * flight by count and bytes, queued output by a hard cap (a client that does
 * not read its responses is disconnected when it is exceeded). Reading pauses
 * while the limits are reached, which pushes back on the client.
 *
 * @module
 */

import {
  createFrameParser,
  DEFAULT_MAX_FRAME_BYTES,
  encodeFrame,
  type FramingName,
} from "./framing.ts";
import { DroppedError, type FairScheduler, yieldToIo } from "./fair.ts";
import { errorResponse, frameTooLargeResponse, RPC_ERRORS } from "./protocol.ts";
import type { RpcServer } from "./server.ts";

/** Output queued for one connection before it is dropped (one response larger than this is replaced by RPC_FRAME_TOO_LARGE): 16 MiB. */
export const DEFAULT_MAX_QUEUED_OUTPUT = 16 * 1024 * 1024;

/** Limits and framing of one connection. */
export interface ConnectionOptions {
  /** `ndjson` (default) or `lsp`. */
  framing?: FramingName;
  /** Largest frame in bytes (default 4 MiB). */
  maxFrameBytes?: number;
  /** Requests handled at once (default 64); further frames wait. */
  maxInFlight?: number;
  /** Output queued for a client that is not reading, before reading pauses (default 1 MiB). */
  outputHighWater?: number;
  /** Output queued before the connection is dropped (default 16 MiB). */
  maxQueuedOutput?: number;
  /** When aborted, stop reading; requests in flight still finish and are answered. */
  signal?: AbortSignal;
  /** Close the transport (called once, after the last write or when the client is dropped). */
  close?: () => void;
  /**
   * Slots shared with the server's other connections: requests wait for a
   * slot, connections take turns, a batch gives up its slot between requests.
   * Without one, a batch still yields to I/O between its requests.
   */
  scheduler?: FairScheduler;
  /** Close the connection after this long with nothing read, running or queued (default: never). */
  idleTimeoutMs?: number;
  /** Receives the connection's handle (idle time, eviction) once serving starts. */
  register?: (handle: ConnectionHandle) => void;
}

/** A served connection, as its server sees it. */
export interface ConnectionHandle {
  /** Milliseconds since anything was read or answered, or `null` while a request runs or output is queued. */
  idleMs(): number | null;
  /** Close the connection now (its queued work is discarded). */
  evict(): void;
}

/** What happened on a connection. */
export interface ConnectionStats {
  /** Frames read. */
  frames: number;
  /** Responses written (or queued when the connection was dropped). */
  responses: number;
  /** Bytes read. */
  bytesIn: number;
  /** Why the connection ended. */
  end:
    | "eof"
    | "shutdown"
    | "read-error"
    | "write-error"
    | "output-cap"
    | "fatal-frame"
    | "idle"
    | "evicted";
}

/** The byte stream pair of a connection. */
export interface Duplex {
  /** Bytes from the peer. */
  readable: ReadableStream<Uint8Array>;
  /** Bytes to the peer. */
  writable: WritableStream<Uint8Array>;
}

/** A connection read into one reused buffer (no copy per read), e.g. a socket. */
export interface BufferedConn {
  /** Read into `buf`; the number of bytes, or null at end of input. */
  read(buf: Uint8Array): Promise<number | null>;
  /** Bytes to the peer. */
  writable: WritableStream<Uint8Array>;
}

/**
 * Serve a connection until the client closes its side (or the signal
 * aborts), then finish the requests in flight, flush and close.
 *
 * @param io The connection's streams.
 * @param server The dispatcher.
 * @param options Limits and framing.
 * @returns Statistics of the connection.
 */
export async function serveConnection(
  io: Duplex | BufferedConn,
  server: RpcServer,
  options: ConnectionOptions = {},
): Promise<ConnectionStats> {
  const framing = options.framing ?? "ndjson";
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const maxInFlight = options.maxInFlight ?? 64;
  const highWater = options.outputHighWater ?? 1024 * 1024;
  const maxQueued = options.maxQueuedOutput ?? DEFAULT_MAX_QUEUED_OUTPUT;
  const maxInFlightBytes = 2 * maxFrameBytes;
  const parser = createFrameParser(framing, { maxFrameBytes });
  const reader = "readable" in io ? io.readable.getReader() : null;
  const buf = reader === null ? new Uint8Array(64 * 1024) : null;
  const writer = io.writable.getWriter();
  const stats: ConnectionStats = { frames: 0, responses: 0, bytesIn: 0, end: "eof" };
  let queued = 0;
  let inFlight = 0;
  let inFlightBytes = 0;
  let dropped = false;
  let closed = false;
  let wake: (() => void) | null = null;
  const settled = new Set<Promise<void>>();
  const owner = options.scheduler?.owner() ?? null;
  let lastActive = Date.now();
  let idleTimer: ReturnType<typeof setTimeout> | undefined;

  function _notify(): void {
    const w = wake;
    wake = null;
    w?.();
  }
  function _close(): void {
    if (closed) return;
    closed = true;
    try {
      options.close?.();
    } catch {
      // already closed by the peer
    }
  }
  function _drop(end: "write-error" | "output-cap" | "idle" | "evicted"): void {
    if (dropped) return;
    dropped = true;
    stats.end = end;
    // Work still waiting for a slot is discarded; a running batch stops at its next request.
    owner?.drop();
    // A pending read (stdin has no close()) must end too, or the peer waits forever.
    reader?.cancel().catch(() => {});
    _close();
    _notify();
  }
  // Cancelling the pending read on abort (rather than racing it against a
  // long-lived promise, which would retain every chunk) ends the read loop.
  const onAbort = () => {
    reader?.cancel().catch(() => {});
    _notify();
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener("abort", onAbort, { once: true });

  /** Queue a response; the promise settles when it is written (or cannot be). */
  function _send(text: string): Promise<void> {
    if (dropped) return Promise.resolve();
    let bytes = encodeFrame(framing, text);
    // One response over the cap is not a client that stopped reading: refuse it, keep the client.
    if (bytes.length > maxQueued) {
      bytes = encodeFrame(framing, JSON.stringify(frameTooLargeResponse(maxQueued)));
    }
    queued += bytes.length;
    stats.responses++;
    if (queued > maxQueued) {
      _drop("output-cap");
      return Promise.resolve();
    }
    return writer.write(bytes).then(() => {
      queued -= bytes.length;
      lastActive = Date.now();
      _notify();
    }, () => _drop("write-error"));
  }

  function _idleMs(): number | null {
    return inFlight > 0 || queued > 0 ? null : Date.now() - lastActive;
  }
  function _armIdle(ms: number): void {
    idleTimer = setTimeout(() => {
      const idle = _idleMs();
      if (dropped) return;
      if (idle !== null && idle >= options.idleTimeoutMs!) return _drop("idle");
      _armIdle(idle === null ? options.idleTimeoutMs! : options.idleTimeoutMs! - idle);
    }, ms);
  }
  if (options.idleTimeoutMs !== undefined) _armIdle(options.idleTimeoutMs);
  options.register?.({ idleMs: _idleMs, evict: () => _drop("evicted") });

  async function _until(ready: () => boolean): Promise<void> {
    while (!dropped && !ready()) await new Promise<void>((resolve) => (wake = resolve));
  }
  function _room(): boolean {
    return options.signal?.aborted === true ||
      (inFlight < maxInFlight && inFlightBytes < maxInFlightBytes && queued < highWater);
  }

  const hooks = {
    between: owner !== null ? () => owner.yieldTurn() : yieldToIo,
    cancelled: () => dropped,
  };

  // Once the client has shut its side, a request starts only after the answer
  // before it was written: a client that closed (rather than half-closed)
  // makes that write fail, and the rest of its work is dropped unrun.
  let eof = false;
  let answered: Promise<void> = Promise.resolve();

  async function _handle(bytes: Uint8Array): Promise<void> {
    let held = false;
    let written = () => {};
    try {
      if (owner !== null) {
        // Let the read that reports the end of input land first.
        await yieldToIo();
        if (eof) {
          const before = answered;
          answered = new Promise<void>((resolve) => (written = resolve));
          await before;
        }
        if (dropped) return;
        await owner.acquire();
        held = true;
        await yieldToIo();
      }
      // A client that is gone gets no more work done for it.
      if (dropped) return;
      const text = await server.handleFrame(bytes, hooks);
      if (text !== null) {
        const w = written;
        written = () => {};
        _send(text).finally(w);
      }
    } catch (e) {
      if (e instanceof DroppedError || dropped) return;
      _send(JSON.stringify(errorResponse(null, {
        code: RPC_ERRORS.INTERNAL_ERROR,
        message: "internal error",
        data: { code: "INTERNAL", message: "internal error", data: {} },
      })));
    } finally {
      if (held) owner!.release();
      written();
    }
  }

  function _dispatch(bytes: Uint8Array): void {
    inFlight++;
    inFlightBytes += bytes.length;
    const p = _handle(bytes).finally(() => {
      inFlight--;
      inFlightBytes -= bytes.length;
      lastActive = Date.now();
      settled.delete(p);
      _notify();
    });
    settled.add(p);
  }

  read: while (!dropped) {
    await _until(_room);
    if (dropped) break;
    if (options.signal?.aborted) {
      stats.end = "shutdown";
      break;
    }
    let chunk: Uint8Array | null;
    try {
      chunk = reader !== null
        ? await reader.read().then((r) => r.done ? null : r.value)
        : await _readInto(io as BufferedConn, buf!, options.signal);
    } catch {
      if (!dropped) stats.end = "read-error";
      break;
    }
    if (options.signal?.aborted) {
      stats.end = "shutdown";
      break;
    }
    if (chunk === null) {
      eof = true;
      owner?.ended();
      break;
    }
    stats.bytesIn += chunk.length;
    lastActive = Date.now();
    // Frames are handed over (and decoded) before the next read reuses the buffer.
    for (const event of parser.push(chunk)) {
      if (event.kind === "frame") {
        stats.frames++;
        await _until(_room);
        if (dropped) break read;
        _dispatch(event.bytes);
      } else if (event.kind === "oversized") {
        _send(JSON.stringify(frameTooLargeResponse(event.limit)));
      } else {
        _send(JSON.stringify(errorResponse(null, {
          code: RPC_ERRORS.PARSE_ERROR,
          message: "Parse error",
          data: { reason: event.reason },
        })));
        stats.end = "fatal-frame";
        break read;
      }
    }
  }
  options.signal?.removeEventListener("abort", onAbort);
  while (settled.size > 0) await Promise.all([...settled]);
  await _until(() => queued === 0);
  clearTimeout(idleTimer);
  try {
    reader?.releaseLock();
    writer.releaseLock();
  } catch {
    // a read may still be pending after a shutdown; the transport is closed next
  }
  _close();
  return stats;
}

/** Read into `buf`, giving up (null) when the signal aborts. */
async function _readInto(
  conn: BufferedConn,
  buf: Uint8Array,
  signal: AbortSignal | undefined,
): Promise<Uint8Array | null> {
  if (signal === undefined) {
    const n = await conn.read(buf);
    return n === null ? null : buf.subarray(0, n);
  }
  let onAbort = () => {};
  const aborted = new Promise<null>((resolve) => {
    onAbort = () => resolve(null);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    const n = await Promise.race([conn.read(buf), aborted]);
    return n === null ? null : buf.subarray(0, n);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}
