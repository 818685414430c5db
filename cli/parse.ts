/**
 * The argv parser of the command table in `define.ts`: command words, then
 * options (`--name VALUE`, `--name=VALUE`, flags) and positionals in any
 * order, `--` ending options. Global options are accepted anywhere.
 * Unknown words get "did you mean" suggestions.
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

/** A successful parse. */
export interface ParsedOk {
  kind: "ok";
  command: Command;
  // deno-lint-ignore no-explicit-any
  args: Record<string, any> & { cmd: string };
}

/** `--help`/`-h`/`keel help X`: help for `node` (null: the whole CLI). */
export interface HelpRequest {
  kind: "help";
  node: Node | null;
  /** The command words that led to `node`. */
  path: string[];
}

/** `--version`/`-V`. */
export interface VersionRequest {
  kind: "version";
}

/** A usage error. */
export interface UsageProblem {
  kind: "usage";
  message: string;
  /** Candidates for what was probably meant. */
  suggestions: string[];
  /** The node whose help would explain (null: the whole CLI). */
  node: Node | null;
  path: string[];
}

/** What parsing produced. */
export type ParseResult = ParsedOk | HelpRequest | VersionRequest | UsageProblem;

/**
 * Up to three names close to `word` (edit distance, or a shared prefix).
 *
 * @param word What was typed.
 * @param names The valid names.
 * @returns The closest names, best first.
 */
export function suggest(word: string, names: readonly string[]): string[] {
  const w = word.toLowerCase();
  const scored: [number, string][] = [];
  for (const name of names) {
    const n = name.toLowerCase();
    const d = _distance(w, n);
    const limit = Math.max(1, Math.floor(Math.max(w.length, n.length) / 3));
    const bare = w.replace(/^-+/, "");
    if (d <= limit) scored.push([d, name]);
    else if (bare.length >= 2 && n.replace(/^-+/, "").startsWith(bare)) scored.push([limit, name]);
  }
  return scored.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1])).slice(0, 3).map((s) =>
    s[1]
  );
}

/** Damerau-Levenshtein (optimal string alignment) distance. */
function _distance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The visible children of a node list, by name.
 *
 * @param nodes The nodes.
 * @returns Their names.
 */
export function visibleNames(nodes: readonly Node[]): string[] {
  return nodes.filter((n) => n.kind === "group" || !n.hidden).map((n) => n.name);
}

function _usage(
  message: string,
  node: Node | null,
  path: string[],
  suggestions: string[] = [],
): UsageProblem {
  return { kind: "usage", message, suggestions, node, path };
}

function _hasHelp(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === "--") return false;
    if (a === "--help" || a === "-h") return true;
  }
  return false;
}

const GLOBAL_BY_NAME = new Map(
  Object.entries(GLOBAL_FIELDS).map(([key, f]) => [f.name, { key, field: f as Field }]),
);

/**
 * Parse argv against the command table.
 *
 * @param roots The top-level commands and groups.
 * @param argv The arguments after the program name.
 * @returns The parse result.
 */
export function parseArgv(roots: readonly Node[], argv: readonly string[]): ParseResult {
  const help = _hasHelp(argv);
  const values: Record<string, unknown> = {};
  const seen = new Set<string>();
  let nodes: readonly Node[] = roots;
  let current: Node | null = null;
  const path: string[] = [];
  let i = 0;
  // Command words, with global options allowed before and between them.
  while (current === null || current.kind === "group") {
    const a = argv[i];
    if (a === undefined) {
      if (help) return { kind: "help", node: current, path };
      if (current === null) return { kind: "help", node: null, path };
      return _usage(
        `keel ${path.join(" ")}: a subcommand is required (${
          visibleNames(current.children).join(", ")
        })`,
        current,
        path,
      );
    }
    if (a === "--help" || a === "-h") {
      i++;
      continue;
    }
    if (current === null && (a === "--version" || a === "-V")) return { kind: "version" };
    if (a.startsWith("-") && a !== "-") {
      const r = _option(a, argv, i, GLOBAL_BY_NAME, values, seen, current, path);
      if (typeof r !== "number") {
        return help ? { kind: "help", node: current, path } : r;
      }
      i = r;
      continue;
    }
    if (current === null && a === "help") {
      // `keel help run start` is `keel run start --help`.
      return parseArgv(roots, [...argv.slice(i + 1).filter((x) => !x.startsWith("-")), "--help"]);
    }
    const next = nodes.find((n) => n.name === a && (n.kind === "group" || !n.hidden));
    const hiddenNext = nodes.find((n) => n.name === a);
    if (next === undefined && hiddenNext === undefined) {
      if (help) return { kind: "help", node: current, path };
      const names = visibleNames(nodes);
      const where = current === null ? "keel" : `keel ${path.join(" ")}`;
      return _usage(
        current === null
          ? `unknown command '${a}'`
          : `${where}: unknown subcommand '${a}' (expected one of: ${names.join(", ")})`,
        current,
        path,
        suggest(a, names),
      );
    }
    current = (next ?? hiddenNext)!;
    path.push(a);
    if (current.kind === "group") nodes = current.children;
    i++;
  }
  const cmd = current;
  if (help) return { kind: "help", node: cmd, path };
  const byName = new Map(GLOBAL_BY_NAME);
  const positionals: { key: string; field: ArgField<unknown> | Field }[] = [];
  for (const [key, field] of Object.entries(cmd.fields)) {
    if (field.kind === "flag" || field.kind === "option") byName.set(field.name, { key, field });
    else positionals.push({ key, field });
    if (field.kind === "option" && field.short !== undefined) {
      byName.set(field.short, { key, field });
    }
  }
  const given: string[] = [];
  let afterDashes = false;
  while (i < argv.length) {
    const a = argv[i]!;
    if (!afterDashes && a === "--") {
      afterDashes = true;
      i++;
      continue;
    }
    if (!afterDashes && a.startsWith("-") && a !== "-" && !/^-\d/.test(a)) {
      const r = _option(a, argv, i, byName, values, seen, cmd, path);
      if (typeof r !== "number") return r;
      i = r;
      continue;
    }
    given.push(a);
    i++;
  }
  // Positionals, in order; a rest field takes what remains.
  let p = 0;
  for (const { key, field } of positionals) {
    if (field.kind === "rest") {
      const restValues = given.slice(p);
      if (restValues.length === 0 && !field.optional) {
        return _usage(
          `keel ${cmd.tag}: missing ${field.metavar}… (give it after --)`,
          cmd,
          path,
        );
      }
      values[key] = restValues;
      p = given.length;
      continue;
    }
    const f = field as ArgField<unknown>;
    const v = given[p];
    if (v === undefined) {
      if (f.required) {
        const hint = f.choices ? ` (one of: ${f.choices.join(", ")})` : "";
        return _usage(`keel ${cmd.tag}: missing ${f.metavar}${hint}`, cmd, path);
      }
      values[key] = undefined;
      continue;
    }
    if (f.choices && !f.choices.includes(v)) {
      return _usage(
        `keel ${cmd.tag}: ${f.metavar} must be one of: ${f.choices.join(", ")} (got '${v}')`,
        cmd,
        path,
        suggest(v, f.choices),
      );
    }
    values[key] = v;
    p++;
  }
  if (p < given.length) {
    const extra = given[p]!;
    return _usage(
      `keel ${cmd.tag}: unexpected argument '${extra}'`,
      cmd,
      path,
    );
  }
  // Defaults and required options.
  for (const [key, field] of [...Object.entries(GLOBAL_FIELDS), ...Object.entries(cmd.fields)]) {
    if (field.kind === "flag") values[key] ??= false;
    else if (field.kind === "option" && values[key] === undefined) {
      const o = field as OptionField<unknown>;
      if (o.required) {
        const hint = o.choices ? ` (one of: ${o.choices.join(", ")})` : "";
        return _usage(
          `keel ${cmd.tag}: missing required option ${o.name} ${o.metavar}${hint}`,
          cmd,
          path,
        );
      }
      values[key] = o.repeatable ? [] : o.default;
    }
  }
  return { kind: "ok", command: cmd, args: { cmd: cmd.tag, ...values } };
}

function _option(
  token: string,
  argv: readonly string[],
  i: number,
  byName: ReadonlyMap<string, { key: string; field: Field }>,
  values: Record<string, unknown>,
  seen: Set<string>,
  node: Node | null,
  path: string[],
): number | UsageProblem {
  const eq = token.indexOf("=");
  const name = eq > 0 ? token.slice(0, eq) : token;
  const entry = byName.get(name);
  const where = node === null ? "keel" : `keel ${path.join(" ")}`;
  if (entry === undefined) {
    const known = [...byName.keys(), "--help"];
    if (node?.kind === "group" || node === null) {
      // An option before the subcommand: suggest among every option below.
      return _usage(`${where}: unknown option '${name}'`, node, path, suggest(name, known));
    }
    return _usage(`${where}: unknown option '${name}'`, node, path, suggest(name, known));
  }
  const { key, field } = entry;
  const repeatable = field.kind === "option" && field.repeatable === true;
  if (seen.has(key) && !repeatable) {
    return _usage(`${where}: ${name} given more than once`, node, path);
  }
  seen.add(key);
  if (field.kind === "flag") {
    if (eq > 0) return _usage(`${where}: ${name} takes no value`, node, path);
    values[key] = true;
    return i + 1;
  }
  const o = field as OptionField<unknown>;
  let value: string;
  let next = i + 1;
  if (eq > 0) value = token.slice(eq + 1);
  else {
    const v = argv[i + 1];
    if (v === undefined || (v.startsWith("--") && v.length > 2)) {
      const hint = o.choices ? ` (one of: ${o.choices.join(", ")})` : "";
      return _usage(`${where}: ${name} needs a value ${o.metavar}${hint}`, node, path);
    }
    value = v;
    next = i + 2;
  }
  if (o.choices) {
    if (!o.choices.includes(value)) {
      return _usage(
        `${where}: ${name} must be one of: ${o.choices.join(", ")} (got '${value}')`,
        node,
        path,
        suggest(value, o.choices),
      );
    }
    values[key] = value;
  } else if (o.integer) {
    const n = /^-?\d+$/.test(value) ? Number(value) : NaN;
    const { min, max } = o.integer;
    if (
      !Number.isSafeInteger(n) || (min !== undefined && n < min) ||
      (max !== undefined && n > max)
    ) {
      const range = min !== undefined && max !== undefined
        ? ` from ${min} to ${max}`
        : min !== undefined
        ? ` ≥ ${min}`
        : max !== undefined
        ? ` ≤ ${max}`
        : "";
      return _usage(`${where}: ${name} must be an integer${range} (got '${value}')`, node, path);
    }
    values[key] = n;
  } else if (repeatable) {
    values[key] = [...((values[key] as string[] | undefined) ?? []), value];
  } else values[key] = value;
  return next;
}

/**
 * Whether `node` is a group (for callers that only hold a `Node`).
 *
 * @param node The node.
 * @returns True for a group.
 */
export function isGroup(node: Node): node is Group {
  return node.kind === "group";
}
