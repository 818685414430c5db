// deno-lint-ignore-file no-console
/**
 * Parses argv with optique, dispatches to the command, prints the outcome and
 * maps errors to exit codes. The only place that writes to the terminal.
 *
 * @module
 */

import { or } from "@optique/core/constructs";
import { runParser } from "@optique/core/facade";
import { formatMessage } from "@optique/core/message";
import { EXIT, type ExitCode, isKeelError, KeelError } from "../core/errors.ts";
import { ioError } from "../core/store/mod.ts";
import { systemClock } from "../core/util/mod.ts";
import { versionLine } from "../core/version.ts";
import type { CliContext, GlobalArgs } from "./define.ts";
import { commandsFor } from "./commands/mod.ts";

/** Where the CLI writes. */
export interface CliIo {
  /** A line (or block) for stdout. */
  out(text: string): void;
  /** A line (or block) for stderr. */
  err(text: string): void;
  /** Raw bytes of live output (test commands). */
  raw(chunk: Uint8Array, stream: "stdout" | "stderr"): void;
}

/** The terminal. */
export const terminalIo: CliIo = {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
  raw: (chunk, stream) => (stream === "stdout" ? Deno.stdout : Deno.stderr).writeSync(chunk),
};

/**
 * Run the CLI.
 *
 * @param argv Arguments after the program name.
 * @param io Where to write (the terminal by default).
 * @returns The exit code.
 */
export async function main(argv: string[], io: CliIo = terminalIo): Promise<ExitCode> {
  const wantsJson = argv.includes("--json");
  const debug = argv.includes("--debug");
  const commands = await commandsFor(argv);
  // deno-lint-ignore no-explicit-any
  const parser = (or as any)(...commands.map((c) => c.parser));
  let usageError: string | null = null;
  let exitEarly: number | null = null;
  const parsed = runParser(parser, "keel", argv, {
    help: { command: true, option: true, onShow: (code: number) => (exitEarly = code) },
    version: { value: versionLine(), option: true, onShow: (code: number) => (exitEarly = code) },
    completion: {
      command: { names: ["completions"] },
      onShow: (code: number) => (exitEarly = code),
    },
    aboveError: "none",
    onError: (_code: number, error) => {
      usageError = formatMessage(error, { colors: false });
      if (!wantsJson) io.err("Run `keel --help` for usage.");
      return null;
    },
    stderr: (text: string) => {
      if (!wantsJson) io.err(text);
    },
    stdout: (text: string) => io.out(text),
  });
  if (exitEarly !== null) return exitEarly === 0 ? EXIT.OK : EXIT.USAGE;
  if (usageError !== null || parsed === null || parsed === undefined) {
    if (wantsJson) {
      io.out(JSON.stringify(
        { error: { code: "USAGE", message: usageError ?? "invalid usage", data: {} } },
        null,
        2,
      ));
    }
    return EXIT.USAGE;
  }
  const args = parsed as GlobalArgs & { cmd: string };
  const entry = commands.find((c) => args.cmd === c.tag || args.cmd.startsWith(c.tag + " "));
  if (entry === undefined) throw new Error(`no handler for ${args.cmd}`);
  const ctx: CliContext = {
    op: {
      cwd: args.repo === undefined ? Deno.cwd() : _absolute(args.repo),
      clock: systemClock,
      env: Deno.env.toObject(),
      gitBackend: args.gitBackend,
      onOutput: (chunk, stream) => {
        // Live test output goes to stderr in --json mode so stdout stays one document.
        io.raw(chunk, args.json ? "stderr" : stream);
      },
    },
    json: args.json,
    debug: args.debug,
    warn: (text) => io.err(text),
  };
  try {
    const outcome = await entry.run(args, ctx);
    if (args.json) io.out(JSON.stringify(outcome.json, null, 2));
    else if (outcome.text !== "") io.out(outcome.text.replace(/\n$/, ""));
    return outcome.exit;
  } catch (error) {
    return _reportError(error, { json: args.json, debug: debug || args.debug, io });
  }
}

function _reportError(
  error: unknown,
  opts: { json: boolean; debug: boolean; io: CliIo },
): ExitCode {
  const { io } = opts;
  // Disk full, read-only file system, permission denied: keel errors, not bugs.
  error = ioError(error);
  if (isKeelError(error)) {
    if (opts.json) io.out(JSON.stringify({ error: error.toJSON() }, null, 2));
    else io.err(`keel: error[${error.code}]: ${error.message}`);
    if (opts.debug && error.stack) io.err(error.stack);
    return error.exitCode;
  }
  const e = error instanceof Error ? error : new Error(String(error));
  const internal = new KeelError("INTERNAL", `internal error: ${e.message}`, {
    data: { name: e.name },
  });
  if (opts.json) io.out(JSON.stringify({ error: internal.toJSON() }, null, 2));
  else {
    io.err(`keel: error[INTERNAL]: ${e.message}`);
    io.err(opts.debug ? e.stack ?? e.message : "(a bug in keel; rerun with --debug for the stack)");
  }
  return EXIT.INTERNAL;
}

function _absolute(path: string): string {
  if (path.startsWith("/")) return path;
  const cwd = Deno.cwd();
  return cwd.endsWith("/") ? cwd + path : `${cwd}/${path}`;
}
