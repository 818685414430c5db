/**
 * Building blocks for CLI commands: a small declarative command table (no
 * dependency), the global options every command takes, the outcome a command
 * returns, and the context it runs in.
 *
 * A command module exports `tag` (its first word), a `parser` (a
 * {@link command} or a {@link group} of commands) and `run(args, ctx)`, which
 * calls the core and returns an {@link Outcome}. The parse result of a command
 * is `{ cmd: "<tag>", ...globalArgs, ...fields }`; its type is
 * {@link ArgsOf}. See `docs/cli.md`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { command, flag, option } from "./define.ts";
 * import { parseArgv } from "./parse.ts";
 * const next = command("next", "Preview the next WP.", {
 *   mission: option("--mission", "H", "Mission handle.", { required: true }),
 *   explain: flag("--explain", "Show every candidate."),
 * });
 * const r = parseArgv([next], ["next", "--mission", "m1", "--json"]);
 * assert.equal(r.kind, "ok");
 * if (r.kind === "ok") {
 *   assert.deepEqual(
 *     [r.args.cmd, r.args.mission, r.args.explain, r.args.json],
 *     ["next", "m1", false, true],
 *   );
 * }
 * ```
 *
 * @module
 */

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

/**
 * What shell completion offers for a value: names read from the repository
 * (contracts, runs, missions, finding ids of the latest run), or file paths.
 */
export type CompleteKind = "contract" | "run" | "mission" | "finding" | "file";

/** A field's value type, carried for inference only. */
interface Typed<T> {
  /** Never set: carries the value type. */
  readonly __type?: T;
}

/** `--name`: a boolean, false unless given. */
export interface FlagField extends Typed<boolean> {
  readonly kind: "flag";
  readonly name: string;
  readonly description: string;
}

/** `--name VALUE`: a string, one of `choices`, or an integer. */
export interface OptionField<T> extends Typed<T> {
  readonly kind: "option";
  readonly name: string;
  readonly metavar: string;
  readonly description: string;
  readonly required: boolean;
  readonly choices?: readonly string[];
  readonly integer?: { readonly min?: number; readonly max?: number };
  readonly default?: string | number;
  readonly complete?: CompleteKind;
  /** May be given more than once; the value is the list (empty when not given). */
  readonly repeatable?: boolean;
  /** A one-letter alias (`-o`). */
  readonly short?: `-${string}`;
}

/** A positional argument. */
export interface ArgField<T> extends Typed<T> {
  readonly kind: "arg";
  readonly metavar: string;
  readonly description: string;
  readonly required: boolean;
  readonly choices?: readonly string[];
  readonly complete?: CompleteKind;
}

/** The remaining positionals (at least one), usually a command after `--`. */
export interface RestField extends Typed<readonly string[]> {
  readonly kind: "rest";
  readonly metavar: string;
  readonly description: string;
  /** May be empty (default: at least one). */
  readonly optional?: boolean;
  /** Plain further positionals (usage `X…`), not a command after `--`. */
  readonly bare?: boolean;
}

/** Any field of a command. */
export type Field = FlagField | OptionField<unknown> | ArgField<unknown> | RestField;

/** The fields of a command, by the name they have in the parse result. */
export type Fields = Record<string, Field>;

/** A command that runs: `tag` is its full path (`"run start"`). */
export interface Command<Tag extends string = string, F extends Fields = Fields> {
  readonly kind: "command";
  readonly tag: Tag;
  /** The last word of the tag. */
  readonly name: string;
  readonly brief: string;
  readonly fields: F;
  readonly hidden: boolean;
}

/** A command word that only groups subcommands (`keel run`). */
export interface Group {
  readonly kind: "group";
  readonly name: string;
  readonly brief: string;
  readonly children: readonly (Command | Group)[];
}

/** A node of the command tree. */
export type Node = Command | Group;

/** The value type of a field. */
export type ValueOf<F> = F extends Typed<infer T> ? T : never;

/** The parse result of a command. */
export type ArgsOf<C> = C extends Command<infer Tag, infer F>
  ? { cmd: Tag } & GlobalArgs & { -readonly [K in keyof F]: ValueOf<F[K]> }
  : C extends Group ? { cmd: string } & GlobalArgs & Record<string, unknown>
  : never;

/**
 * A boolean flag.
 *
 * @param name `--name`.
 * @param description One line.
 * @returns The field.
 */
export function flag(name: `--${string}`, description: string): FlagField {
  return { kind: "flag", name, description };
}

/**
 * A string option.
 *
 * @param name `--name`.
 * @param metavar The value's placeholder in help (`ID`, `NAME`).
 * @param description One line.
 * @param opts `required`, what completion offers, and a one-letter alias (`short: "-o"`).
 * @returns The field.
 */
export function option<R extends boolean = false>(
  name: `--${string}`,
  metavar: string,
  description: string,
  opts: { required?: R; complete?: CompleteKind; short?: `-${string}` } = {},
): OptionField<R extends true ? string : string | undefined> {
  return {
    kind: "option",
    name,
    metavar,
    description,
    required: opts.required === true,
    ...(opts.complete === undefined ? {} : { complete: opts.complete }),
    ...(opts.short === undefined ? {} : { short: opts.short }),
  };
}

/**
 * A string option that may be given more than once (`--root A --root B`).
 *
 * @param name `--name`.
 * @param metavar The value's placeholder in help.
 * @param description One line.
 * @returns The field; its value is the list, in order (empty when not given).
 */
export function repeatableOption(
  name: `--${string}`,
  metavar: string,
  description: string,
): OptionField<readonly string[]> {
  return { kind: "option", name, metavar, description, required: false, repeatable: true };
}

/**
 * An option whose value is one of `values` (help lists them).
 *
 * @param name `--name`.
 * @param values The accepted values.
 * @param description One line.
 * @param opts `default` (then the value is never undefined) or `required`.
 * @returns The field.
 */
export function choice<const V extends readonly string[]>(
  name: `--${string}`,
  values: V,
  description: string,
  opts: { default: V[number] } | { required: true },
): OptionField<V[number]>;
export function choice<const V extends readonly string[]>(
  name: `--${string}`,
  values: V,
  description: string,
): OptionField<V[number] | undefined>;
export function choice<const V extends readonly string[]>(
  name: `--${string}`,
  values: V,
  description: string,
  opts: { default?: V[number]; required?: true } = {},
): OptionField<V[number] | undefined> {
  return {
    kind: "option",
    name,
    metavar: "VALUE",
    description,
    required: opts.required === true,
    choices: values,
    ...(opts.default === undefined ? {} : { default: opts.default }),
  };
}

/**
 * An integer option.
 *
 * @param name `--name`.
 * @param metavar Placeholder in help.
 * @param description One line.
 * @param opts Bounds, and a default (then the value is never undefined).
 * @returns The field.
 */
export function integer(
  name: `--${string}`,
  metavar: string,
  description: string,
  opts: { min?: number; max?: number; default: number },
): OptionField<number>;
export function integer(
  name: `--${string}`,
  metavar: string,
  description: string,
  opts?: { min?: number; max?: number },
): OptionField<number | undefined>;
export function integer(
  name: `--${string}`,
  metavar: string,
  description: string,
  opts: { min?: number; max?: number; default?: number } = {},
): OptionField<number | undefined> {
  return {
    kind: "option",
    name,
    metavar,
    description,
    required: false,
    integer: {
      ...(opts.min === undefined ? {} : { min: opts.min }),
      ...(opts.max === undefined ? {} : { max: opts.max }),
    },
    ...(opts.default === undefined ? {} : { default: opts.default }),
  };
}

/**
 * A required positional argument.
 *
 * @param metavar Placeholder in help (`TEST_ID`).
 * @param description One line.
 * @param opts What completion offers.
 * @returns The field.
 */
export function arg(
  metavar: string,
  description: string,
  opts: { complete?: CompleteKind } = {},
): ArgField<string> {
  return {
    kind: "arg",
    metavar,
    description,
    required: true,
    ...(opts.complete === undefined ? {} : { complete: opts.complete }),
  };
}

/**
 * An optional positional argument.
 *
 * @param metavar Placeholder in help.
 * @param description One line.
 * @param opts What completion offers.
 * @returns The field.
 */
export function optionalArg(
  metavar: string,
  description: string,
  opts: { complete?: CompleteKind } = {},
): ArgField<string | undefined> {
  return { ...arg(metavar, description, opts), required: false };
}

/**
 * A required positional whose value is one of `values`.
 *
 * @param metavar Placeholder in help.
 * @param values The accepted values.
 * @param description One line.
 * @returns The field.
 */
export function choiceArg<const V extends readonly string[]>(
  metavar: string,
  values: V,
  description: string,
): ArgField<V[number]> {
  return { kind: "arg", metavar, description, required: true, choices: values };
}

/**
 * The remaining positionals, at least one unless `optional`; usage shows them after `--`.
 *
 * @param metavar Placeholder in help (`CMD`).
 * @param description One line.
 * @param opts `optional`: none at all is allowed.
 * @returns The field.
 */
export function rest(
  metavar: string,
  description: string,
  opts: { optional?: boolean; bare?: boolean } = {},
): RestField {
  return {
    kind: "rest",
    metavar,
    description,
    ...(opts.optional ? { optional: true } : {}),
    ...(opts.bare ? { bare: true } : {}),
  };
}

/**
 * A command.
 *
 * @param tag The command path, e.g. `"run start"`.
 * @param brief One line for help and command lists.
 * @param fields The command's options and positionals (positionals in order).
 * @param opts `hidden` keeps it out of help and completion.
 * @returns The command.
 */
export function command<const Tag extends string, const F extends Fields>(
  tag: Tag,
  brief: string,
  fields: F,
  opts: { hidden?: boolean } = {},
): Command<Tag, F> {
  return {
    kind: "command",
    tag,
    name: tag.slice(tag.lastIndexOf(" ") + 1),
    brief,
    fields,
    hidden: opts.hidden === true,
  };
}

/**
 * A group of subcommands under one word (`keel run start|exec|…`).
 *
 * @param name The group's word.
 * @param brief One line.
 * @param children Its commands.
 * @returns The group.
 */
export function group(name: string, brief: string, children: readonly Node[]): Group {
  return { kind: "group", name, brief, children };
}

/** The git adapters `--git-backend` accepts. */
export const GIT_BACKENDS = ["auto", "cli", "isomorphic"] as const;

/** Global options: accepted by every command, before or after its words. */
export const GLOBAL_FIELDS = {
  json: flag("--json", "Print one JSON document on stdout (diagnostics go to stderr)."),
  repo: option("--repo", "DIR", "Work in DIR instead of the current directory."),
  debug: flag("--debug", "Print stack traces of internal errors."),
  gitBackend: choice(
    "--git-backend",
    GIT_BACKENDS,
    "Git adapter: the git CLI (auto picks it when git is on PATH) or isomorphic-git.",
    { default: "auto" },
  ),
} as const;

/** The global option values. */
export interface GlobalArgs {
  json: boolean;
  repo: string | undefined;
  debug: boolean;
  gitBackend: "auto" | "cli" | "isomorphic";
}

/**
 * `--contract NAME`, shared by the contract and run commands.
 *
 * @returns The field.
 */
export function contractOption(): OptionField<string | undefined> {
  return option("--contract", "NAME", "Contract name (default: default).", {
    complete: "contract",
  });
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
