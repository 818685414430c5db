/**
 * `keel lessons [--domain D] [--code C] [--all-worktrees]`: read lessons back.
 *
 * @module
 */

import { lessonsText } from "../../core/text/mod.ts";
import {
  type CliContext,
  command,
  flag,
  type FlagField,
  ok,
  option,
  type Outcome,
} from "../define.ts";

/** The `cmd` tag. */
export const tag = "lessons";

/**
 * `--all-worktrees`, shared with `keel trust`.
 *
 * @returns The field.
 */
export function allWorktreesFlag(): FlagField {
  return flag(
    "--all-worktrees",
    "Read every worktree of the repository (one picture for parallel lanes).",
  );
}

/** The parser. */
export const parser = command(
  "lessons",
  "Show what earlier runs taught: plan-vs-actual deltas from lessons.jsonl.",
  {
    domain: option("--domain", "D", "Only lessons of this domain."),
    code: option("--code", "C", "Only lessons with this finding code."),
    allWorktrees: allWorktreesFlag(),
  },
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
