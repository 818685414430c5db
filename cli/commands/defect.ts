/**
 * `keel defect record --run ID --note TEXT`.
 *
 * @module
 */

import { message } from "@optique/core/message";
import { command, option } from "@optique/core/primitives";
import { string } from "@optique/core/valueparser";
import { type CliContext, commandObject, ok, type Outcome } from "../define.ts";

/** The `cmd` tags of this module. */
export const tag = "defect";

const record = command(
  "record",
  commandObject("defect record", {
    run: option("--run", string({ metavar: "ID" }), { description: message`Run id.` }),
    note: option("--note", string({ metavar: "TEXT" }), { description: message`The defect.` }),
  }),
  { brief: message`Record a defect found after the run's work was merged.` },
);

/** The parser. */
export const parser = command("defect", record, {
  brief: message`Post-merge defects recorded against a run (they feed \`keel trust\`).`,
});

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
