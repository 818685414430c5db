/**
 * A small JSON-RPC client over any byte stream pair (a unix socket, a child
 * process's stdio), used by tests, benchmarks and scripts. Responses with a
 * pending id resolve their call; everything else lands in an inbox.
 *
 * @module
 */

import type { Duplex } from "./connection.ts";
import { createFrameParser, encodeFrame, type FramingName } from "./framing.ts";
import type { MethodName, MethodParams, MethodResult } from "./methods.ts";
import type { RpcErrorObject, RpcResponse } from "./protocol.ts";

/** The error response of a {@link RpcClient.request}, thrown. */
export class RpcCallError extends Error {
  /** The JSON-RPC error code (`-32000` for a keel error, `-32602` for invalid params). */
  readonly rpcCode: number;
  /** `error.data`: for a keel error, the CLI's error document `{code, message, data}`. */
  readonly data: unknown;

  /**
   * @param method The method called.
   * @param error The response's error object.
   */
  constructor(method: string, error: RpcErrorObject) {
    const code = (error.data as { code?: unknown } | undefined)?.code;
    super(`${method}: ${typeof code === "string" ? `error[${code}] ` : ""}${error.message}`);
    this.name = "RpcCallError";
    this.rpcCode = error.code;
    this.data = error.data;
  }
}

/** A JSON-RPC client. */
export interface RpcClient {
  /**
   * Send a request and wait for its response.
   *
   * @param method Method name.
   * @param params Params (omitted when undefined).
   * @throws {Error} when the connection closes before the response.
   */
  call(method: string, params?: unknown): Promise<RpcResponse>;
  /**
   * Call a method of keel's table: params and result are typed by the
   * method's schemas (an unknown method name fails type checking).
   *
   * @param method A method name of the table.
   * @param params Its params.
   * @returns The result (the CLI's `--json` document).
   * @throws {RpcCallError} when the server answers with an error.
   * @throws {Error} when the connection closes before the response.
   */
  request<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>>;
  /**
   * Send raw bytes or text as they are (no framing added).
   *
   * @param data What to write.
   */
  send(data: string | Uint8Array): Promise<void>;
  /** The next message no call claimed (batch replies, errors with id null, …); `undefined` once closed. */
  next(): Promise<unknown>;
  /** Close the write side (the server sees end of input). */
  end(): Promise<void>;
  /** Resolves when the server closes its side. */
  readonly closed: Promise<void>;
}

/**
 * Build a client over a stream pair.
 *
 * @param io The streams (readable: from the server; writable: to the server).
 * @param options `framing` (default `ndjson`).
 * @returns The client.
 */
export function createRpcClient(io: Duplex, options: { framing?: FramingName } = {}): RpcClient {
  const framing = options.framing ?? "ndjson";
  const writer = io.writable.getWriter();
  const pending = new Map<
    number,
    { resolve: (r: RpcResponse) => void; reject: (e: Error) => void }
  >();
  const inbox: unknown[] = [];
  const waiting: ((v: unknown) => void)[] = [];
  const dec = new TextDecoder();
  let nextId = 1;
  let ended = false;

  function _deliver(msg: unknown): void {
    const id = (msg as { id?: unknown } | null)?.id;
    if (typeof id === "number" && !Array.isArray(msg) && pending.has(id)) {
      const call = pending.get(id)!;
      pending.delete(id);
      call.resolve(msg as RpcResponse);
      return;
    }
    const w = waiting.shift();
    if (w) w(msg);
    else inbox.push(msg);
  }

  const closed = (async () => {
    const parser = createFrameParser(framing, { maxFrameBytes: 1 << 30 });
    const reader = io.readable.getReader();
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const e of parser.push(value)) {
          if (e.kind === "frame") _deliver(JSON.parse(dec.decode(e.bytes)));
        }
      }
    } catch {
      // the connection was reset
    } finally {
      reader.releaseLock();
    }
    for (const w of waiting.splice(0)) w(undefined);
    for (const p of pending.values()) p.reject(new Error("connection closed"));
    pending.clear();
  })();

  async function call(method: string, params?: unknown): Promise<RpcResponse> {
    const id = nextId++;
    const response = new Promise<RpcResponse>((resolve, reject) =>
      pending.set(id, { resolve, reject })
    );
    const msg = { jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) };
    await writer.write(encodeFrame(framing, JSON.stringify(msg)));
    return await response;
  }

  return {
    closed,
    call,
    async request(method, params) {
      const response = await call(method, params);
      if ("error" in response) throw new RpcCallError(method, response.error);
      // The server answers with the method's result (its schema's output).
      return response.result as MethodResult<typeof method>;
    },
    async send(data) {
      await writer.write(typeof data === "string" ? new TextEncoder().encode(data) : data);
    },
    next() {
      if (inbox.length > 0) return Promise.resolve(inbox.shift());
      return new Promise((resolve) => waiting.push(resolve));
    },
    async end() {
      if (ended) return;
      ended = true;
      await writer.close().catch(() => {});
    },
  };
}
