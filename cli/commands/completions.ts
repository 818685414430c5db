/**
 * `keel completions bash|zsh|fish` prints a completion script;
 * `keel __complete -- WORD…` (hidden) is what those scripts call.
 *
 * @module
 */

import { KeelError } from "../../core/errors.ts";
import { choiceArg, type CliContext, command, type Outcome, rest } from "../define.ts";

/** The `cmd` tags of this module. */
export const tag = "completions";

const completions = command(
  "completions",
  "Print a shell completion script (eval it, or source it in fish).",
  {
    shell: choiceArg("SHELL", ["bash", "zsh", "fish"], "The shell the script is for."),
  },
);

const complete = command(
  "__complete",
  "Print completion candidates for the words after `keel` (used by the scripts).",
  { words: rest("WORD", "The words typed so far; the last one is completed.") },
  { hidden: true },
);

/** The parsers (two top-level commands). */
export const parsers = [completions, complete] as const;

/** The parser of `keel completions` (help order). */
export const parser = completions;

type Args =
  | { cmd: "completions"; shell: "bash" | "zsh" | "fish"; json: boolean }
  | { cmd: "__complete"; words: readonly string[]; repo: string | undefined };

/**
 * Run the command.
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns The script, or the candidates.
 */
export async function run(args: Args, ctx: CliContext): Promise<Outcome> {
  if (args.cmd === "completions") {
    if (ctx.json) {
      throw new KeelError(
        "USAGE",
        "--json does not apply to `keel completions`: it prints a shell script",
      );
    }
    const { completionScript } = await import("../complete.ts");
    return { json: null, text: completionScript(args.shell), exit: 0 };
  }
  const { completeWords, repoNames } = await import("../complete.ts");
  const { allRoots } = await import("./mod.ts");
  const words = args.words.length === 0 ? [""] : args.words;
  // A `--repo DIR` already typed on the line names the repository to read.
  const i = words.slice(0, -1).lastIndexOf("--repo");
  const typed = i >= 0 ? words[i + 1] : undefined;
  const start = typed === undefined || i + 1 >= words.length - 1
    ? ctx.op.cwd
    : typed.startsWith("/")
    ? typed
    : `${ctx.op.cwd}/${typed}`;
  const found = await completeWords(await allRoots(), words, repoNames(start));
  return { json: found, text: found.join("\n"), exit: 0 };
}
