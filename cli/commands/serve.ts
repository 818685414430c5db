/**
 * `keel serve --stdio | --socket PATH`: the JSON-RPC 2.0 server.
 *
 * @module
 */

import { KeelError } from "../../core/errors.ts";
import {
  choice,
  type CliContext,
  command,
  flag,
  integer,
  option,
  type OptionField,
  type Outcome,
  repeatableOption,
} from "../define.ts";

/**
 * `--root DIR` (repeatable): folders a request's `repo` param may name.
 *
 * @returns The field.
 */
export function rootOption(): OptionField<readonly string[]> {
  return repeatableOption(
    "--root",
    "DIR",
    'A folder requests may name with "repo" (repeatable; default: the working directory).',
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
  "Serve the JSON-RPC 2.0 API on stdio or a unix socket.",
  {
    stdio: flag("--stdio", "Serve on stdin/stdout; ends when stdin closes."),
    socket: option("--socket", "PATH", "Serve on a unix socket (created 0600; removed on exit)."),
    framing: choice(
      "--framing",
      ["ndjson", "lsp"],
      "Frames: one JSON message per line, or Content-Length headers.",
      { default: "ndjson" },
    ),
    roots: rootOption(),
    maxFrameBytes: integer(
      "--max-frame-bytes",
      "N",
      "Largest accepted frame, in bytes (4194304 is 4 MiB).",
      {
        min: 64,
        default: 4 * 1024 * 1024,
      },
    ),
  },
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
