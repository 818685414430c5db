/**
 * `keel serve --stdio | --socket PATH`: the JSON-RPC 2.0 server.
 *
 * @module
 */

import { message } from "@optique/core/message";
import { multiple, optional, withDefault } from "@optique/core/modifiers";
import { command, flag, option } from "@optique/core/primitives";
import { choice, integer, string } from "@optique/core/valueparser";
import { KeelError } from "../../core/errors.ts";
import { type CliContext, commandObject, type Outcome } from "../define.ts";

/**
 * `--root DIR` (repeatable): folders a request's `repo` param may name.
 *
 * @returns The parser.
 */
export function rootOption() {
  return multiple(
    option("--root", string({ metavar: "DIR" }), {
      description: message`A folder requests may name with "repo" (repeatable; default: cwd).`,
    }),
  );
}

/**
 * The roots as absolute paths.
 *
 * @param roots As given.
 * @param cwd Where relative ones start.
 * @returns Absolute paths.
 */
export function absoluteRoots(roots: readonly string[], cwd: string): string[] {
  return roots.map((r) => (r.startsWith("/") ? r : `${cwd.replace(/\/$/, "")}/${r}`));
}

/** The `cmd` tag. */
export const tag = "serve";

/** The parser. */
export const parser = command(
  "serve",
  commandObject(tag, {
    stdio: withDefault(
      flag("--stdio", { description: message`Serve on stdin/stdout; ends when stdin closes.` }),
      false,
    ),
    socket: optional(
      option("--socket", string({ metavar: "PATH" }), {
        description: message`Serve on a unix socket (created 0600; removed on exit).`,
      }),
    ),
    framing: withDefault(
      option("--framing", choice(["ndjson", "lsp"] as const), {
        description: message`Frames: one JSON message per line, or Content-Length headers.`,
      }),
      "ndjson" as const,
    ),
    roots: rootOption(),
    maxFrameBytes: withDefault(
      option("--max-frame-bytes", integer({ min: 64, metavar: "N" }), {
        description: message`Largest accepted frame (default 4 MiB).`,
      }),
      4 * 1024 * 1024,
    ),
  }),
  { brief: message`Serve the JSON-RPC 2.0 API on stdio or a unix socket.` },
);

/**
 * Run the server until stdin closes or SIGINT/SIGTERM.
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns The summary (nothing is printed in stdio mode without --json).
 * @throws {KeelError} USAGE unless exactly one of --stdio / --socket;
 *   RPC_SOCKET_IN_USE.
 */
export async function run(
  args: {
    stdio: boolean;
    socket: string | undefined;
    framing: "ndjson" | "lsp";
    maxFrameBytes: number;
    roots: readonly string[];
  },
  ctx: CliContext,
): Promise<Outcome> {
  if (args.stdio === (args.socket !== undefined)) {
    throw new KeelError("USAGE", "Pass exactly one of --stdio or --socket PATH");
  }
  const { runServe } = await import("../../rpc/mod.ts");
  const summary = await runServe({
    ctx: ctx.op,
    transport: args.socket === undefined
      ? { kind: "stdio" }
      : { kind: "socket", path: args.socket },
    framing: args.framing,
    maxFrameBytes: args.maxFrameBytes,
    roots: absoluteRoots(args.roots, ctx.op.cwd),
    onListening: (path) => ctx.warn(`keel: listening on ${path}`),
  });
  return { json: summary, text: "", exit: 0 };
}
