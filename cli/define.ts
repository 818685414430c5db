/**
 * Building blocks for CLI commands: the global options every command takes,
 * the outcome a command returns, and the context it runs in.
 *
 * A command module exports a `parser` (an optique `command(...)` whose value
 * has a literal `cmd`) and a `run(args, ctx)` that calls the core and returns
 * an {@link Outcome}. The JSON of an outcome is exactly what the RPC method of
 * the same name returns.
 *
 * @module
 */

import { object } from "@optique/core/constructs";
import { message } from "@optique/core/message";
import { optional, withDefault } from "@optique/core/modifiers";
import { constant, flag, option } from "@optique/core/primitives";
import { choice, string } from "@optique/core/valueparser";
import type { Mode, Parser } from "@optique/core/parser";
import type { OpContext } from "../core/context.ts";
import type { ExitCode } from "../core/errors.ts";

/** What a command produced. */
export interface Outcome {
  /** The `--json` document (and the RPC result). */
  json: unknown;
  /** Human output for stdout. */
  text: string;
  /** Exit code. */
  exit: ExitCode;
}

/** The context a command runs in. */
export interface CliContext {
  /** The operation context handed to the core. */
  op: OpContext;
  /** `--json` was given. */
  json: boolean;
  /** `--debug` was given. */
  debug: boolean;
  /** Write diagnostics to stderr. */
  warn(text: string): void;
}

/** Global option fields, merged into every command's object parser. */
export function globalFields() {
  return {
    json: withDefault(
      flag("--json", { description: message`Print one JSON document on stdout.` }),
      false,
    ),
    repo: optional(
      option("--repo", string({ metavar: "DIR" }), {
        description: message`Work in DIR instead of the current directory.`,
      }),
    ),
    debug: withDefault(
      flag("--debug", { description: message`Print stack traces of internal errors.` }),
      false,
    ),
    gitBackend: withDefault(
      option("--git-backend", choice(["auto", "cli", "isomorphic"] as const), {
        description: message`Git adapter: the git CLI (default when on PATH) or isomorphic-git.`,
      }),
      "auto" as const,
    ),
  };
}

/** The global option values. */
export interface GlobalArgs {
  json: boolean;
  repo: string | undefined;
  debug: boolean;
  gitBackend: "auto" | "cli" | "isomorphic";
}

/**
 * An object parser with a literal `cmd` tag, the global options, and `fields`.
 *
 * @param tag The command path, e.g. `"run start"`.
 * @param fields The command's own parsers.
 * @returns An optique object parser.
 */
export function commandObject<
  const T extends string,
  F extends Record<string, Parser<Mode, unknown, unknown>>,
>(
  tag: T,
  fields: F,
) {
  return object(
    { cmd: constant(tag), ...globalFields(), ...fields } as
      & { cmd: ReturnType<typeof constant<T>> }
      & ReturnType<typeof globalFields>
      & F,
  );
}

/**
 * An outcome with exit 0.
 *
 * @param json The JSON document.
 * @param text The human output.
 * @returns The outcome.
 */
export function ok(json: unknown, text: string): Outcome {
  return { json, text, exit: 0 };
}
