/**
 * `keel defect record --run ID --note TEXT`.
 *
 * @module
 */

import { type CliContext, command, group, ok, option, type Outcome } from "../define.ts";

/** The `cmd` tag. */
export const tag = "defect";

const record = command(
  "defect record",
  "Record a defect found after the run's work was merged.",
  {
    run: option("--run", "ID", "Run id.", { required: true, complete: "run" }),
    note: option("--note", "TEXT", "The defect.", { required: true }),
  },
);

/** The parser. */
export const parser = group(
  "defect",
  "Post-merge defects recorded against a run (they feed `keel trust`).",
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
  const { recordDefectOp } = await import("../../core/trust/mod.ts");
  const r = await recordDefectOp({ run: args.run, note: args.note }, ctx.op);
  return ok(
    r,
    `Recorded against run ${r.run_id} (${r.domain}): "${r.note.note}" — ${r.count} defect(s) so far.`,
  );
}
