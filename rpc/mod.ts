/**
 * The JSON-RPC 2.0 wrapper around keel's core: the method table, the
 * dispatcher, framing, the stdio and unix-socket transports, OpenRPC
 * discovery and the MCP server.
 *
 * @module
 */
export * from "./protocol.ts";
export * from "./framing.ts";
export * from "./method_table.ts";
export * from "./methods.ts";
export * from "./server.ts";
export * from "./connection.ts";
export * from "./socket.ts";
export * from "./stdio.ts";
export * from "./openrpc.ts";
export * from "./serve.ts";
export * from "./mcp.ts";
export * from "./client.ts";
