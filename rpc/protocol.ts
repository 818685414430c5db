/**
 * JSON-RPC 2.0 wire types and the error codes the server answers with.
 * Protocol faults use the standard codes; a keel error is `-32000` with the
 * CLI's error document (`{code, message, data}`) in `error.data`.
 *
 * @module
 */

/** JSON-RPC error codes used by keel. */
export const RPC_ERRORS = {
  /** The frame is not valid UTF-8 or not valid JSON. */
  PARSE_ERROR: -32700,
  /** Not a request object; an empty or too large batch; a frame over the size limit. */
  INVALID_REQUEST: -32600,
  /** No such method. */
  METHOD_NOT_FOUND: -32601,
  /** The params do not match the method's schema; `data.issues` lists why. */
  INVALID_PARAMS: -32602,
  /** A bug in keel; `data.code` is `INTERNAL`, never a stack. */
  INTERNAL_ERROR: -32603,
  /** A keel error; `data` is `{code, message, data}`, as the CLI prints it. */
  KEEL_ERROR: -32000,
} as const;

/** A request id. */
export type RpcId = string | number | null;

/** A JSON-RPC error object. */
export interface RpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

/** A JSON-RPC response. */
export type RpcResponse =
  | { jsonrpc: "2.0"; id: RpcId; result: unknown }
  | { jsonrpc: "2.0"; id: RpcId; error: RpcErrorObject };

/**
 * An error response.
 *
 * @param id The request id (`null` when it could not be read).
 * @param error The error object.
 * @returns The response.
 */
export function errorResponse(id: RpcId, error: RpcErrorObject): RpcResponse {
  return { jsonrpc: "2.0", id, error };
}

/**
 * The response sent for a frame over the size limit.
 *
 * @param limit The limit in bytes.
 * @returns A `-32600` response whose `data.code` is `RPC_FRAME_TOO_LARGE`.
 */
export function frameTooLargeResponse(limit: number): RpcResponse {
  const message = `Frame exceeds the maximum of ${limit} bytes`;
  return errorResponse(null, {
    code: RPC_ERRORS.INVALID_REQUEST,
    message,
    data: { code: "RPC_FRAME_TOO_LARGE", message, data: { limit } },
  });
}
