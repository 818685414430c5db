/**
 * Shell completion. `keel completions bash|zsh|fish` prints a small script
 * that asks `keel __complete -- WORD…` (the words after `keel`, the last one
 * being completed) for candidates, one a line. Candidates come from the
 * command table (subcommands, options, enum values) and, for values that
 * name things, from the repository: contract names, run ids (newest first),
 * mission handles and the finding ids of a run.
 *
 * Completion only lists directories and reads run reports; it never writes
 * and stays quiet on anything unexpected.
 *
 * @module
 */

import {
  type ArgField,
  type CompleteKind,
  type Field,
  GLOBAL_FIELDS,
  type Node,
  type OptionField,
} from "./define.ts";

/** The shells keel completes in. */
export const SHELLS = ["bash", "zsh", "fish"] as const;

/**
 * The completion script for a shell.
 *
 * @param shell bash, zsh or fish.
 * @returns The script.
 */
export function completionScript(shell: typeof SHELLS[number]): string {
  switch (shell) {
    case "bash":
      return [
        '# keel completion for bash: eval "$(keel completions bash)"',
        "_keel_complete() {",
        "  local IFS=$'\\n'",
        '  COMPREPLY=($(keel __complete -- "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))',
        "}",
        "complete -o default -F _keel_complete keel",
        "",
      ].join("\n");
    case "zsh":
      return [
        "#compdef keel",
        '# keel completion for zsh: eval "$(keel completions zsh)"',
        "_keel() {",
        "  local -a candidates",
        '  candidates=("${(@f)$(keel __complete -- "${(@)words[2,CURRENT]}" 2>/dev/null)}")',
        "  if (( ${#candidates} )) && [[ -n ${candidates[1]} ]]; then",
        "    compadd -Q -- $candidates",
        "  else",
        "    _files",
        "  fi",
        "}",
        "compdef _keel keel",
        "",
      ].join("\n");
    case "fish":
      return [
        "# keel completion for fish: keel completions fish | source",
        "function __keel_complete",
        "    set -l words (commandline -opc)[2..-1] (commandline -ct)",
        "    set -l out (keel __complete -- $words 2>/dev/null)",
        "    if test (count $out) -eq 0",
        "        __fish_complete_path (commandline -ct)",
        "    else",
        "        printf '%s\\n' $out",
        "    end",
        "end",
        "complete -c keel -f -a '(__keel_complete)'",
        "",
      ].join("\n");
  }
}

/** Where completion reads names from. */
export interface NameSource {
  /**
   * Names of a kind, best first.
   *
   * @param kind What to list.
   * @param hint `run` for finding ids: the run named on the line, if any.
   */
  names(kind: CompleteKind, hint: { run?: string }): Promise<string[]>;
}

function _fieldsOf(node: Node): { byName: Map<string, Field>; positionals: Field[] } {
  const byName = new Map<string, Field>(Object.values(GLOBAL_FIELDS).map((f) => [f.name, f]));
  const positionals: Field[] = [];
  if (node.kind === "command") {
    for (const f of Object.values(node.fields)) {
      if (f.kind === "flag" || f.kind === "option") {
        byName.set(f.name, f);
        if (f.kind === "option" && f.short !== undefined) byName.set(f.short, f);
      } else positionals.push(f);
    }
  }
  return { byName, positionals };
}

/**
 * Candidates for the last word of `words`.
 *
 * @param roots The command table.
 * @param words The words after `keel`; the last is being completed (may be "").
 * @param source Where repository names come from.
 * @returns Candidates, filtered by the typed prefix.
 */
export async function completeWords(
  roots: readonly Node[],
  words: readonly string[],
  source: NameSource,
): Promise<string[]> {
  const current = words[words.length - 1] ?? "";
  const before = words.slice(0, -1);
  let nodes: readonly Node[] = roots;
  let node: Node | null = null;
  let positional = 0;
  let afterDashes = false;
  const given = new Set<string>();
  const values: Record<string, string> = {};
  for (let i = 0; i < before.length; i++) {
    const w = before[i]!;
    if (!afterDashes && w === "--") {
      afterDashes = true;
      continue;
    }
    if (!afterDashes && w.startsWith("-")) {
      const name = w.includes("=") ? w.slice(0, w.indexOf("=")) : w;
      given.add(name);
      const f = (node === null
        ? _fieldsOf({ kind: "group", name: "", brief: "", children: [] })
        : _fieldsOf(node)).byName
        .get(name);
      if (f?.kind === "option" && !w.includes("=")) {
        const v = before[i + 1];
        if (v !== undefined) {
          values[name] = v;
        }
        i++;
      } else if (f?.kind === "option") {
        values[name] = w.slice(w.indexOf("=") + 1);
      }
      continue;
    }
    if (node === null || node.kind === "group") {
      const next = nodes.find((n) => n.name === w);
      if (next === undefined) return [];
      node = next;
      if (next.kind === "group") nodes = next.children;
      continue;
    }
    positional++;
  }
  const filter = (xs: readonly string[]) => xs.filter((x) => x.startsWith(current));
  const hint = values["--run"] === undefined ? {} : { run: values["--run"] };
  // The value of an option.
  const prev = before[before.length - 1];
  if (prev !== undefined && prev.startsWith("-") && !prev.includes("=") && !afterDashes) {
    const f = node === null || node.kind === "group"
      ? _fieldsOf({ kind: "group", name: "", brief: "", children: [] }).byName.get(prev)
      : _fieldsOf(node).byName.get(prev);
    if (f?.kind === "option") return filter(await _values(f, source, hint));
  }
  if (node === null || node.kind === "group") {
    if (current.startsWith("-")) {
      return filter([...Object.values(GLOBAL_FIELDS).map((f) => f.name), "--help", "--version"]);
    }
    return filter(nodes.filter((n) => n.kind === "group" || !n.hidden).map((n) => n.name));
  }
  const { byName, positionals } = _fieldsOf(node);
  if (current.startsWith("-") && !afterDashes) {
    const m = current.match(/^(--[^=]+)=(.*)$/);
    if (m) {
      const f = byName.get(m[1]!);
      if (f?.kind !== "option") return [];
      return (await _values(f, source, hint)).filter((v) => v.startsWith(m[2]!)).map((v) =>
        `${m[1]}=${v}`
      );
    }
    return filter([...byName.keys(), "--help"].filter((n) => !given.has(n)));
  }
  const p = positionals[positional] ?? positionals.find((f) => f.kind === "rest");
  if (p === undefined || p.kind === "rest") return [];
  return filter(await _values(p as ArgField<unknown>, source, hint));
}

async function _values(
  f: OptionField<unknown> | ArgField<unknown>,
  source: NameSource,
  hint: { run?: string },
): Promise<string[]> {
  if (f.choices) return [...f.choices];
  if (f.complete === undefined || f.complete === "file") return [];
  return await source.names(f.complete, hint);
}

/**
 * Names read from a repository on disk.
 *
 * @param start Where to start looking for the repository (the `--repo` value or the cwd).
 * @returns The source.
 */
export function repoNames(start: string): NameSource {
  let root: string | null | undefined;
  const findRoot = async (): Promise<string | null> => {
    if (root !== undefined) return root;
    let dir = start.replace(/\/+$/, "") || "/";
    for (;;) {
      for (const marker of [".keel", "kitty-specs", ".git"]) {
        const st = await Deno.lstat(`${dir}/${marker}`).catch(() => null);
        if (st !== null) return (root = dir);
      }
      const up = dir.slice(0, dir.lastIndexOf("/")) || "/";
      if (up === dir) return (root = null);
      dir = up;
    }
  };
  const dirs = async (path: string): Promise<string[]> => {
    const out: string[] = [];
    try {
      for await (const e of Deno.readDir(path)) {
        if (e.isDirectory && !e.name.startsWith(".")) out.push(e.name);
      }
    } catch {
      return [];
    }
    return out.sort();
  };
  return {
    async names(kind, hint) {
      const r = await findRoot();
      if (r === null) return [];
      switch (kind) {
        case "contract":
          return await dirs(`${r}/.keel/contracts`);
        case "run":
          return (await dirs(`${r}/.keel/runs`)).reverse();
        case "mission":
          return await dirs(`${r}/kitty-specs`);
        case "finding": {
          const runs = (await dirs(`${r}/.keel/runs`)).reverse();
          const candidates = hint.run !== undefined && runs.includes(hint.run) ? [hint.run] : runs;
          for (const id of candidates) {
            const ids = await _findingIds(`${r}/.keel/runs/${id}/run_report.json`);
            if (ids !== null && ids.length > 0) return ids;
          }
          return [];
        }
        default:
          return [];
      }
    },
  };
}

async function _findingIds(path: string): Promise<string[] | null> {
  const st = await Deno.lstat(path).catch(() => null);
  if (st === null || !st.isFile || st.size > 64 * 1024 * 1024) return null;
  try {
    const report = JSON.parse(await Deno.readTextFile(path));
    const findings = Array.isArray(report?.findings) ? report.findings : [];
    return findings.map((f: { id?: unknown }) => f?.id).filter((id: unknown): id is string =>
      typeof id === "string"
    );
  } catch {
    return null;
  }
}
