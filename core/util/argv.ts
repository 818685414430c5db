/**
 * Split a contract's test `command` into argv without a shell: words are
 * separated by blanks; single quotes keep text literally, double quotes keep
 * it with `\"` and `\\` escapes, a backslash outside quotes escapes the next
 * character. Shell operators are refused, not interpreted.
 *
 * @module
 */

/** Result of {@link splitCommand}. */
export type SplitCommand = { ok: true; argv: string[] } | { ok: false; reason: string };

/**
 * Split a command line into argv.
 *
 * @param line The command line.
 * @returns The argv, or why it cannot be run without a shell.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { splitCommand } from "./argv.ts";
 * assert.deepEqual(splitCommand(`npx vitest run 'a b' "c\\"d"`), {
 *   ok: true,
 *   argv: ["npx", "vitest", "run", "a b", 'c"d'],
 * });
 * assert.equal(splitCommand("deno test && deno lint").ok, false);
 * ```
 */
export function splitCommand(line: string): SplitCommand {
  const argv: string[] = [];
  let word = "";
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === " " || c === "\t" || c === "\n") {
      if (inWord) argv.push(word);
      word = "";
      inWord = false;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return { ok: false, reason: "unbalanced single quote" };
      word += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === "\\" && (line[j + 1] === '"' || line[j + 1] === "\\")) j++;
        word += line[j];
      }
      if (j >= line.length) return { ok: false, reason: "unbalanced double quote" };
      i = j;
      inWord = true;
    } else if (c === "\\") {
      if (i + 1 >= line.length) return { ok: false, reason: "trailing backslash" };
      word += line[++i];
      inWord = true;
    } else if ("|&;<>`$(){}*?".includes(c)) {
      return _needsShell(c);
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) argv.push(word);
  if (argv.length === 0) return { ok: false, reason: "the command is empty" };
  return { ok: true, argv };
}

function _needsShell(op: string): SplitCommand {
  return {
    ok: false,
    reason: `it uses the shell syntax ${JSON.stringify(op)}; write it as sh -c '…' in the ` +
      `contract, or pass the command after --`,
  };
}

/**
 * Whether an argv run is the contract's command: the same argv, or the
 * contract's line given to `sh -c` / `bash -c`.
 *
 * @param argv The command run.
 * @param contractLine The contract's command line.
 * @returns `true` when they are the same command.
 */
export function sameCommand(argv: readonly string[], contractLine: string): boolean {
  if (
    argv.length === 3 && (argv[0] === "sh" || argv[0] === "bash") && argv[1] === "-c" &&
    argv[2]!.trim() === contractLine.trim()
  ) {
    return true;
  }
  const split = splitCommand(contractLine);
  return split.ok && split.argv.length === argv.length && split.argv.every((a, i) => a === argv[i]);
}
