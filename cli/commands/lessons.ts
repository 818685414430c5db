/**
 * `keel lessons [--domain D] [--code C] [--all-worktrees]`: read lessons back.
 *
 * @module
 */

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
  const filters = [
    r.filters.domain ? `domain ${r.filters.domain}` : "",
    r.filters.code ? `code ${r.filters.code}` : "",
  ].filter((s) => s !== "").join(", ");
  const lines = [
    r.counts.lessons === 0
      ? `No lessons${filters ? ` for ${filters}` : ""} yet.`
      : `${r.counts.lessons} lesson(s) from ${r.counts.runs} run(s)${
        filters ? ` (${filters})` : ""
      }: ` +
        `${r.counts.open} open, ${r.counts.accepted} accepted.`,
  ];
  for (const l of r.lessons) {
    lines.push(
      `  ${l.accepted ? "✓" : l.severity === "error" ? "✗" : "·"} ${l.domain}  ${l.code}  ` +
        `run ${l.run} (${l.contract})${l.finding_id ? ` ${l.finding_id}` : ""}`,
    );
    if (l.planned !== null) lines.push(`      planned: ${l.planned}`);
    if (l.actual !== null) lines.push(`      actual:  ${l.actual}`);
    if (l.accepted) lines.push(`      accepted by ${l.accepted_by ?? "?"}: "${l.rationale ?? ""}"`);
  }
  for (const p of r.problems) {
    ctx.warn(`keel: warning[${p.code}]: ${p.path}: ${p.message}`);
  }
  if (r.sources.length > 1) lines.push(`Read: ${r.sources.join(", ")}`);
  return ok(r, lines.join("\n"));
}
