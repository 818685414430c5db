// deno-lint-ignore-file no-console
/**
 * Parses argv with the command table (`define.ts`, `parse.ts`), dispatches to
 * the command, prints the outcome and maps errors to exit codes. The only
 * place that writes to the terminal.
 *
 * @module
 */

import { EXIT, type ExitCode, isKeelError, KeelError } from "../core/errors.ts";
import { ioError } from "../core/store/safe_file.ts";
import { systemClock } from "../core/util/clock.ts";
import { BUILD_COMMIT, VERSION, versionLine } from "../core/version.ts";
import type { CliContext, GlobalArgs, Node } from "./define.ts";
import { commandsFor, rootsOf } from "./commands/mod.ts";
import { parseArgv, type UsageProblem } from "./parse.ts";

/** Where the CLI writes. */
export interface CliIo {
  /** A line (or block) for stdout. */
  out(text: string): void;
  /** A line (or block) for stderr. */
  err(text: string): void;
  /** Raw bytes of live output (test commands). */
  raw(chunk: Uint8Array, stream: "stdout" | "stderr"): void;
  /** Whether stdout is a terminal (colour in help); false when absent. */
  isTerminal?(): boolean;
}

/** The terminal. */
export const terminalIo: CliIo = {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
  raw: (chunk, stream) => (stream === "stdout" ? Deno.stdout : Deno.stderr).writeSync(chunk),
  isTerminal: () => Deno.stdout.isTerminal(),
};

function _beforeDashes(argv: readonly string[]): readonly string[] {
  const i = argv.indexOf("--");
  return i < 0 ? argv : argv.slice(0, i);
}

/**
 * Run the CLI.
 *
 * @param argv Arguments after the program name.
 * @param io Where to write (the terminal by default).
 * @returns The exit code.
 */
export async function main(argv: string[], io: CliIo = terminalIo): Promise<ExitCode> {
  const head = _beforeDashes(argv);
  const wantsJson = head.includes("--json");
  const debug = head.includes("--debug");
  const modules = await commandsFor(argv);
  const roots = rootsOf(modules);
  const parsed = parseArgv(roots, argv);
  if (parsed.kind === "version") {
    if (wantsJson) io.out(JSON.stringify({ version: VERSION, commit: BUILD_COMMIT }, null, 2));
    else io.out(versionLine());
    return EXIT.OK;
  }
  if (parsed.kind === "help") {
    if (wantsJson) {
      return _usage(io, true, {
        kind: "usage",
        message: head.includes("--help") || head.includes("-h") || head[0] === "help"
          ? "--json does not apply to --help: help is text"
          : "a command is required (keel --help lists them)",
        suggestions: [],
        node: null,
        path: [],
      }, roots);
    }
    const { commandHelp, groupHelp, rootHelp, styleFor } = await import("./help.ts");
    const style = styleFor(Deno.env.toObject(), io.isTerminal?.() ?? false);
    const n = parsed.node;
    io.out(
      n === null
        ? rootHelp(roots, versionLine(), style)
        : n.kind === "group"
        ? groupHelp(n, parsed.path, style)
        : commandHelp(n, style),
    );
    return EXIT.OK;
  }
  if (parsed.kind === "usage") return await _usage(io, wantsJson, parsed, roots);
  const args = parsed.args as GlobalArgs & { cmd: string };
  const first = args.cmd.split(" ")[0]!;
  const entry = modules.find((m) => (m.parsers ?? [m.parser]).some((p) => p.name === first));
  if (entry === undefined) throw new Error(`no handler for ${args.cmd}`);
  const ctx: CliContext = {
    op: {
      cwd: args.repo === undefined ? Deno.cwd() : _absolute(args.repo),
      clock: systemClock,
      env: Deno.env.toObject(),
      gitBackend: args.gitBackend,
      oneShot: true,
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

async function _usage(
  io: CliIo,
  json: boolean,
  problem: UsageProblem,
  _roots: readonly Node[],
): Promise<ExitCode> {
  const hint = problem.suggestions.length
    ? `did you mean ${problem.suggestions.map((s) => `'${s}'`).join(" or ")}?`
    : "";
  if (json) {
    io.out(JSON.stringify(
      {
        error: {
          code: "USAGE",
          message: hint ? `${problem.message}; ${hint}` : problem.message,
          data: { suggestions: problem.suggestions },
        },
      },
      null,
      2,
    ));
    return EXIT.USAGE;
  }
  const { groupHelp, styleFor } = await import("./help.ts");
  const style = styleFor(Deno.env.toObject(), Deno.stderr.isTerminal());
  io.err(`keel: ${style.error("error[USAGE]")}: ${problem.message}`);
  if (hint) io.err(`  ${hint[0]!.toUpperCase()}${hint.slice(1)}`);
  const n = problem.node;
  if (n?.kind === "group") io.err("\n" + groupHelp(n, problem.path, style));
  else {
    const where = problem.path.length ? `keel ${problem.path.join(" ")} --help` : "keel --help";
    io.err(`Run \`${where}\` for usage.`);
  }
  return EXIT.USAGE;
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
