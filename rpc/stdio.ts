/**
 * The stdio transport: frames on stdin, responses on stdout. Ends when stdin
 * closes, after the requests in flight are answered.
 *
 * @module
 */

import { type ConnectionOptions, type ConnectionStats, serveConnection } from "./connection.ts";
import type { RpcServer } from "./server.ts";

/**
 * Serve JSON-RPC on stdin/stdout.
 *
 * @param server The dispatcher.
 * @param options Framing, limits and the stop signal.
 * @returns Statistics of the connection.
 */
export function serveStdio(
  server: RpcServer,
  options: Omit<ConnectionOptions, "close"> = {},
): Promise<ConnectionStats> {
  return serveConnection(
    { readable: Deno.stdin.readable, writable: Deno.stdout.writable },
    server,
    options,
  );
}
