/**
 * `keel lessons [--domain D] [--code C] [--all-worktrees]`: read lessons back.
 *
 * @module
 */

import { message } from "@optique/core/message";
import { optional, withDefault } from "@optique/core/modifiers";
import { command, flag, option } from "@optique/core/primitives";
import { string } from "@optique/core/valueparser";
import { lessonsText } from "../../core/text/mod.ts";
import { type CliContext, commandObject, ok, type Outcome } from "../define.ts";

/** The `cmd` tag. */
export const tag = "lessons";

/** `--all-worktrees`, shared with `keel trust`. */
export function allWorktreesFlag() {
  return withDefault(
    flag("--all-worktrees", {
      description: message`Read every worktree of the repository (one picture for parallel lanes).`,
    }),
    false,
  );
}

/** The parser. */
export const parser = command(
  "lessons",
  commandObject(tag, {
    domain: optional(option("--domain", string({ metavar: "D" }), {
      description: message`Only lessons of this domain.`,
    })),
    code: optional(option("--code", string({ metavar: "C" }), {
      description: message`Only lessons with this finding code.`,
    })),
    allWorktrees: allWorktreesFlag(),
  }),
  { brief: message`Show what earlier runs taught: plan-vs-actual deltas from lessons.jsonl.` },
);

/**
 * Run the command.
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns The outcome.
 */
export async function run(
  args: { domain: string | undefined; code: string | undefined; allWorktrees: boolean },
  ctx: CliContext,
): Promise<Outcome> {
  const { listLessonsOp } = await import("../../core/retro/mod.ts");
  const r = await listLessonsOp({
    ...(args.domain === undefined ? {} : { domain: args.domain }),
    ...(args.code === undefined ? {} : { code: args.code }),
    ...(args.allWorktrees ? { allWorktrees: true } : {}),
  }, ctx.op);
  for (const p of r.problems) {
    ctx.warn(`keel: warning[${p.code}]: ${p.path}: ${p.message}`);
  }
  return ok(r, lessonsText(r));
}
