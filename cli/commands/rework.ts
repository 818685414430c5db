/**
 * `keel rework record --run ID --note TEXT`.
 *
 * @module
 */

import { type CliContext, command, group, ok, option, type Outcome } from "../define.ts";

/** The `cmd` tag. */
export const tag = "rework";

const record = command(
  "rework record",
  "Record a rework cycle: a review sent the run's work back.",
  {
    run: option("--run", "ID", "Run id.", { required: true, complete: "run" }),
    note: option("--note", "TEXT", "What had to be reworked.", { required: true }),
  },
);

/** The parser. */
export const parser = group(
  "rework",
  "Rework cycles recorded against a run (they feed `keel trust`).",
  [record],
);

/**
 * Run the command.
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns The outcome.
 */
export async function run(args: { run: string; note: string }, ctx: CliContext): Promise<Outcome> {
  const { recordReworkOp } = await import("../../core/trust/mod.ts");
  const r = await recordReworkOp({ run: args.run, note: args.note }, ctx.op);
  return ok(
    r,
    `Recorded against run ${r.run_id} (${r.domain}): "${r.note.note}" — ${r.count} rework cycle(s) so far.`,
  );
}
