/**
 * `keel rework record --run ID --note TEXT`.
 *
 * @module
 */

import { message } from "@optique/core/message";
import { command, option } from "@optique/core/primitives";
import { string } from "@optique/core/valueparser";
import { type CliContext, commandObject, ok, type Outcome } from "../define.ts";

/** The `cmd` tags of this module. */
export const tag = "rework";

const record = command(
  "record",
  commandObject("rework record", {
    run: option("--run", string({ metavar: "ID" }), { description: message`Run id.` }),
    note: option("--note", string({ metavar: "TEXT" }), {
      description: message`What had to be reworked.`,
    }),
  }),
  { brief: message`Record a rework cycle: a review sent the run's work back.` },
);

/** The parser. */
export const parser = command("rework", record, {
  brief: message`Rework cycles recorded against a run (they feed \`keel trust\`).`,
});

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
