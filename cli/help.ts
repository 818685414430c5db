/**
 * Help texts generated from the command table: usage lines with every
 * positional (and `--` before a trailing command), each option's values or
 * placeholder, enums with their values, and the global options once.
 *
 * @module
 */

import {
  type ArgField,
  type Command,
  type Field,
  GLOBAL_FIELDS,
  type Group,
  type Node,
  type OptionField,
} from "./define.ts";

/** Terminal styles; identity functions when colour is off. */
export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  accent(s: string): string;
  error(s: string): string;
}

const PLAIN: Style = { bold: (s) => s, dim: (s) => s, accent: (s) => s, error: (s) => s };

/**
 * Styles for a stream: colour only on a terminal, never with `NO_COLOR`
 * set, always with `FORCE_COLOR` set (other than `0`).
 *
 * @param env The environment.
 * @param isTerminal Whether the stream is a terminal.
 * @returns The styles.
 */
export function styleFor(env: Record<string, string | undefined>, isTerminal: boolean): Style {
  const force = env.FORCE_COLOR;
  const on = force !== undefined && force !== "" && force !== "0"
    ? true
    : env.NO_COLOR !== undefined && env.NO_COLOR !== ""
    ? false
    : force === "0"
    ? false
    : isTerminal;
  if (!on) return PLAIN;
  const sgr = (code: string) => (s: string) => `\x1b[${code}m${s}\x1b[0m`;
  return { bold: sgr("1"), dim: sgr("2"), accent: sgr("36"), error: sgr("31;1") };
}

/** The plain style (no escape codes). */
export const plainStyle: Style = PLAIN;

function _optionUsage(f: OptionField<unknown> | Field, withShort = true): string {
  if (f.kind === "flag") return f.name;
  if (f.kind === "option") {
    return `${withShort && f.short ? `${f.short}, ` : ""}${f.name} ${
      f.choices ? f.choices.join("|") : f.metavar
    }`;
  }
  return "";
}

function _argUsage(f: Field): string {
  if (f.kind === "rest") {
    const u = f.bare ? `${f.metavar}…` : `-- ${f.metavar}…`;
    return f.optional ? `[${u}]` : u;
  }
  const a = f as ArgField<unknown>;
  const name = a.choices ? a.choices.join("|") : a.metavar;
  return a.required ? name : `[${name}]`;
}

/**
 * The usage line of a command.
 *
 * @param cmd The command.
 * @returns `keel run exec TEST_ID [--contract NAME] [--run ID] -- CMD…`.
 */
export function usageLine(cmd: Command): string {
  const parts = ["keel", cmd.tag];
  const fields = Object.values(cmd.fields);
  for (const f of fields) if (f.kind === "arg") parts.push(_argUsage(f));
  for (const f of fields) {
    if (f.kind === "option" && f.required) parts.push(_optionUsage(f, false));
  }
  for (const f of fields) {
    if (f.kind === "flag" || (f.kind === "option" && !f.required)) {
      parts.push(`[${_optionUsage(f, false)}]`);
    }
  }
  for (const f of fields) if (f.kind === "rest") parts.push(_argUsage(f));
  return parts.join(" ");
}

function _describeOption(f: Field): string {
  if (f.kind === "flag") return f.description;
  const o = f as OptionField<unknown>;
  const notes: string[] = [];
  if (o.default !== undefined) notes.push(`default: ${o.default}`);
  if (o.required) notes.push("required");
  return notes.length ? `${o.description} (${notes.join("; ")})` : o.description;
}

function _describeArg(f: Field): string {
  if (f.kind === "rest") return f.bare ? f.description : `${f.description} (after --)`;
  const a = f as ArgField<unknown>;
  const notes: string[] = [];
  if (a.choices) notes.push(`one of: ${a.choices.join(", ")}`);
  if (!a.required) notes.push("optional");
  return notes.length ? `${a.description} (${notes.join("; ")})` : a.description;
}

function _table(rows: [string, string][], style: Style, width = 100): string[] {
  const w = Math.min(24, Math.max(0, ...rows.map(([l]) => [...l].length)));
  const out: string[] = [];
  for (const [left, right] of rows) {
    const pad = [...left].length > w
      ? `\n  ${" ".repeat(w + 2)}`
      : " ".repeat(w - [...left].length + 2);
    const wrapped = _wrap(right, width - w - 4).join(`\n  ${" ".repeat(w + 2)}`);
    out.push(`  ${style.accent(left)}${pad}${wrapped}`);
  }
  return out;
}

function _wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && [...line].length + 1 + [...word].length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines.length ? lines : [""];
}

const GLOBAL_LINE =
  "Global options: --json, --repo DIR, --debug, --git-backend auto|cli|isomorphic (keel --help).";

/**
 * Help for one command.
 *
 * @param cmd The command.
 * @param style Styles.
 * @returns The text.
 */
export function commandHelp(cmd: Command, style: Style = PLAIN): string {
  const out = [`${style.bold("Usage:")} ${usageLine(cmd)}`, "", cmd.brief];
  const fields = Object.values(cmd.fields);
  const args = fields.filter((f) => f.kind === "arg" || f.kind === "rest");
  if (args.length) {
    out.push("", style.bold("Arguments:"));
    out.push(..._table(
      args.map((
        f,
      ) => [
        f.kind === "rest" ? `${f.metavar}…` : (f as ArgField<unknown>).metavar,
        _describeArg(f),
      ]),
      style,
    ));
  }
  const opts = fields.filter((f) => f.kind === "flag" || f.kind === "option");
  if (opts.length) {
    out.push("", style.bold("Options:"));
    out.push(..._table(opts.map((f) => [_optionUsage(f), _describeOption(f)]), style));
  }
  out.push("", style.dim(GLOBAL_LINE));
  return out.join("\n");
}

/**
 * Help for a group: its subcommands.
 *
 * @param g The group.
 * @param path The words that lead to it.
 * @param style Styles.
 * @returns The text.
 */
export function groupHelp(g: Group, path: readonly string[], style: Style = PLAIN): string {
  const out = [
    `${style.bold("Usage:")} keel ${path.join(" ")} <subcommand> [options]`,
    "",
    g.brief,
    "",
    style.bold("Subcommands:"),
    ..._table(_visible(g.children).map((n) => [n.name, n.brief]), style),
    "",
    `Run \`keel ${path.join(" ")} <subcommand> --help\` for its arguments and options.`,
  ];
  return out.join("\n");
}

function _visible(nodes: readonly Node[]): Node[] {
  return nodes.filter((n) => n.kind === "group" || !n.hidden);
}

/**
 * Help for the whole CLI: commands (groups with their subcommands) and the
 * global options, once.
 *
 * @param roots The top-level nodes.
 * @param version The version line.
 * @param style Styles.
 * @returns The text.
 */
export function rootHelp(roots: readonly Node[], version: string, style: Style = PLAIN): string {
  const rows: [string, string][] = [];
  const walk = (nodes: readonly Node[], prefix: string) => {
    for (const n of _visible(nodes)) {
      if (n.kind === "group") walk(n.children, `${prefix}${n.name} `);
      else rows.push([`${prefix}${n.name}`, n.brief]);
    }
  };
  walk(roots, "");
  const globals: [string, string][] = Object.values(GLOBAL_FIELDS).map((f) => [
    _optionUsage(f),
    _describeOption(f),
  ]);
  globals.push(["-h, --help", "Show help (also: keel help COMMAND)."]);
  globals.push(["-V, --version", "Print the version (with --json: as JSON)."]);
  return [
    `${version}: keeps agentic coding runs aligned with an approved contract.`,
    "",
    `${style.bold("Usage:")} keel <command> [arguments] [options]`,
    "",
    style.bold("Commands:"),
    ..._table(rows, style),
    "",
    style.bold("Global options") + " (every command takes them):",
    ..._table(globals, style),
    "",
    "Run `keel <command> --help` for a command's arguments and options.",
  ].join("\n");
}
