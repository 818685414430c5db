/**
 * The JSON-RPC 2.0 dispatcher: one frame in, one serialised response (or
 * nothing) out. Implements batches, notifications and the error mapping;
 * knows nothing about transports.
 *
 * @module
 */

import type { OpContext } from "../core/context.ts";
import { isKeelError } from "../core/errors.ts";
import { invalidParams, parseParams } from "../core/params.ts";
import { ioError } from "../core/store/mod.ts";
import { resolveRepoParam } from "../core/util/mod.ts";
import type { LoadedMethod, MethodTable } from "./method_table.ts";
import {
  errorResponse,
  frameTooLargeResponse,
  RPC_ERRORS,
  type RpcId,
  type RpcResponse,
} from "./protocol.ts";

/** The default largest batch accepted. */
export const DEFAULT_MAX_BATCH = 1000;

/** Options of {@link createRpcServer}. */
export interface RpcServerOptions {
  /** The operation context every call runs with. */
  ctx: OpContext;
  /** The method table. */
  methods: MethodTable;
  /** Largest batch accepted (default 1,000); a larger one gets -32600. */
  maxBatch?: number;
  /**
   * Largest batch response (in UTF-16 units of its JSON); a batch whose
   * responses grow past it stops there (later requests are not run) and gets
   * RPC_FRAME_TOO_LARGE with `data.data: {limit}` (default: unlimited).
   */
  maxResponseBytes?: number;
  /**
   * Folders a request may name with the `repo` param (absolute; default: only
   * `ctx.cwd` and below). Every method accepts `repo`; outside these roots it
   * gets PATH_OUTSIDE_REPO.
   */
  roots?: readonly string[];
  /** Extra built-in methods (e.g. `rpc.discover`), not listed in the table. */
  builtins?: Readonly<Record<string, (params: unknown) => Promise<unknown> | unknown>>;
}

/** How a transport takes part in handling one frame. */
export interface FrameHooks {
  /** Awaited between the requests of a batch, so other clients get their turn. */
  between?: () => Promise<void>;
  /** True once the client is gone: the rest of a batch is not run (the answer is `null`). */
  cancelled?: () => boolean;
}

/** A JSON-RPC server over a method table. */
export interface RpcServer {
  /**
   * Handle one frame.
   *
   * @param frame The frame's bytes (UTF-8) or text.
   * @param hooks Turn-taking between batch requests, and cancellation.
   * @returns The serialised response, or `null` when nothing is to be sent.
   */
  handleFrame(frame: Uint8Array | string, hooks?: FrameHooks): Promise<string | null>;
  /**
   * Call one method directly (no framing), as a request would.
   *
   * @param method Method name.
   * @param params Params.
   * @returns The response.
   */
  call(method: string, params?: unknown): Promise<RpcResponse>;
  /** The method loader (cached). */
  load(method: string): Promise<LoadedMethod> | undefined;
}

const DECODER = new TextDecoder("utf-8", { fatal: true });

/**
 * Build a server.
 *
 * @param options Context, method table and limits.
 * @returns The server.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { z } from "zod";
 * import { fixedClock } from "../core/util/mod.ts";
 * import { createRpcServer } from "./server.ts";
 * const server = createRpcServer({
 *   ctx: { cwd: "/", clock: fixedClock(new Date(0)), env: {}, gitBackend: "auto" },
 *   methods: {
 *     "echo/say": {
 *       summary: "echo",
 *       load: () =>
 *         Promise.resolve({
 *           params: z.object({ text: z.string() }),
 *           result: z.string(),
 *           run: (p: { text: string }) => p.text,
 *         }),
 *     },
 *   },
 * });
 * const out = await server.handleFrame(
 *   '{"jsonrpc":"2.0","id":1,"method":"echo/say","params":{"text":"hi"}}',
 * );
 * assert(out === '{"jsonrpc":"2.0","id":1,"result":"hi"}');
 * ```
 */
export function createRpcServer(options: RpcServerOptions): RpcServer {
  const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
  const maxResponseBytes = options.maxResponseBytes ?? Infinity;
  const cache = new Map<string, Promise<LoadedMethod>>();

  function load(method: string): Promise<LoadedMethod> | undefined {
    if (!Object.hasOwn(options.methods, method)) return undefined;
    let p = cache.get(method);
    if (p === undefined) {
      p = options.methods[method]!.load();
      p.catch(() => cache.delete(method));
      cache.set(method, p);
    }
    return p;
  }

  async function invoke(method: string, id: RpcId, rawParams: unknown): Promise<RpcResponse> {
    const builtin = options.builtins !== undefined && Object.hasOwn(options.builtins, method)
      ? options.builtins[method]
      : undefined;
    const loading = builtin === undefined ? load(method) : undefined;
    if (builtin === undefined && loading === undefined) {
      return errorResponse(id, {
        code: RPC_ERRORS.METHOD_NOT_FOUND,
        message: `Method not found: ${method}`,
        data: { method },
      });
    }
    if (rawParams !== undefined && (rawParams === null || typeof rawParams !== "object")) {
      return _invalidParams(id, [{ path: [], message: "params must be an object or an array" }]);
    }
    try {
      if (builtin !== undefined) {
        return { jsonrpc: "2.0", id, result: await builtin(rawParams ?? {}) };
      }
      const m = await loading!;
      if (Array.isArray(rawParams) && rawParams.length > 0) {
        return _invalidParams(id, [{
          path: [],
          message: "params must be passed by name (an object)",
        }]);
      }
      const { repo, ...rest } = (Array.isArray(rawParams) ? {} : rawParams ?? {}) as Record<
        string,
        unknown
      >;
      const ctx = repo === undefined ? options.ctx : {
        ...options.ctx,
        cwd: resolveRepoParam(repo, { roots: options.roots ?? [], cwd: options.ctx.cwd }),
      };
      // The same check (and error) as the operation's own: USAGE with data.issues.
      const result = await m.run(parseParams(m.params, rest), ctx);
      return { jsonrpc: "2.0", id, result: result === undefined ? null : result };
    } catch (error) {
      return _errorFor(id, error);
    }
  }

  async function single(request: unknown): Promise<RpcResponse | null> {
    if (request === null || typeof request !== "object" || Array.isArray(request)) {
      return _invalidRequest(null, "a request must be an object");
    }
    const r = request as Record<string, unknown>;
    const hasId = Object.hasOwn(r, "id");
    const id = r.id;
    const idOk = !hasId || id === null || typeof id === "string" ||
      (typeof id === "number" && Number.isFinite(id));
    const safeId: RpcId = hasId && idOk ? (id as RpcId) : null;
    if (!idOk) return _invalidRequest(null, "id must be a string, a number or null");
    if (r.jsonrpc !== "2.0") return _invalidRequest(safeId, 'jsonrpc must be "2.0"');
    if (typeof r.method !== "string") return _invalidRequest(safeId, "method must be a string");
    const response = await invoke(r.method, safeId, r.params);
    return hasId ? response : null;
  }

  function _serialize(r: RpcResponse): string {
    try {
      return JSON.stringify(r);
    } catch (e) {
      return JSON.stringify("result" in r ? _errorFor(r.id, e) : r);
    }
  }

  async function handleValue(value: unknown, hooks: FrameHooks): Promise<string | null> {
    if (!Array.isArray(value)) {
      const r = await single(value);
      return r === null ? null : _serialize(r);
    }
    if (value.length === 0) return _serialize(_invalidRequest(null, "empty batch"));
    if (value.length > maxBatch) {
      return _serialize(errorResponse(null, {
        code: RPC_ERRORS.INVALID_REQUEST,
        message: `Batch of ${value.length} exceeds the maximum of ${maxBatch}`,
        data: { limit: maxBatch, size: value.length },
      }));
    }
    const parts: string[] = [];
    let size = 2;
    let first = true;
    for (const item of value) {
      if (!first) await hooks.between?.();
      first = false;
      if (hooks.cancelled?.()) return null;
      const r = await single(item);
      if (r === null) continue;
      const text = _serialize(r);
      size += text.length + 1;
      if (size > maxResponseBytes) {
        // Stop before building a response the connection could not send.
        return _serialize(frameTooLargeResponse(maxResponseBytes));
      }
      parts.push(text);
    }
    return parts.length === 0 ? null : `[${parts.join(",")}]`;
  }

  async function handleFrame(
    frame: Uint8Array | string,
    hooks: FrameHooks = {},
  ): Promise<string | null> {
    let text: string;
    try {
      text = typeof frame === "string" ? frame : DECODER.decode(frame);
    } catch {
      return JSON.stringify(_parseError("frame is not valid UTF-8"));
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      return JSON.stringify(_parseError(e instanceof Error ? e.message : "invalid JSON"));
    }
    return await handleValue(value, hooks);
  }

  return {
    handleFrame,
    call: (method, params) => invoke(method, 0, params),
    load,
  };
}

function _parseError(reason: string): RpcResponse {
  return errorResponse(null, {
    code: RPC_ERRORS.PARSE_ERROR,
    message: "Parse error",
    data: { reason },
  });
}

function _invalidRequest(id: RpcId, reason: string): RpcResponse {
  return errorResponse(id, {
    code: RPC_ERRORS.INVALID_REQUEST,
    message: `Invalid Request: ${reason}`,
    data: { reason },
  });
}

function _invalidParams(id: RpcId, issues: { path: string[]; message: string }[]): RpcResponse {
  return _errorFor(id, invalidParams(issues));
}

function _errorFor(id: RpcId, error: unknown): RpcResponse {
  error = ioError(error);
  if (isKeelError(error)) {
    return errorResponse(id, {
      // Invalid params (a value check, the CLI's USAGE) are -32602, as JSON-RPC says.
      code: error.code === "USAGE" ? RPC_ERRORS.INVALID_PARAMS : RPC_ERRORS.KEEL_ERROR,
      message: error.message,
      data: error.toJSON(),
    });
  }
  const e = error instanceof Error ? error : new Error(String(error));
  const message = `internal error: ${e.message}`;
  return errorResponse(id, {
    code: RPC_ERRORS.INTERNAL_ERROR,
    message,
    data: { code: "INTERNAL", message, data: { name: e.name } },
  });
}
