/**
 * `keel retro [--run ID]`: the end-of-run summary, and lessons appended.
 *
 * @module
 */

import { type CliContext, command, ok, type Outcome } from "../define.ts";
import { runOption } from "./deviation.ts";

/** The `cmd` tag. */
export const tag = "retro";

/** The parser. */
export const parser = command(
  "retro",
  "Summarise a run (planned vs actual, deviations) and record its lessons.",
  { run: runOption() },
);

/**
 * Run the command.
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns The outcome.
 */
export async function run(args: { run: string | undefined }, ctx: CliContext): Promise<Outcome> {
  const { retroOp } = await import("../../core/retro/mod.ts");
  const r = await retroOp(args.run === undefined ? {} : { run: args.run }, ctx.op);
  for (const w of r.warnings) ctx.warn(`keel: warning: ${w}`);
  const l = r.lessons;
  const tail = [
    "---",
    `Written to ${r.summary_path}.`,
    r.verdict === null
      ? "Lessons: none yet — they are recorded once the run has finished."
      : l.appended > 0
      ? `Lessons: ${l.appended} new record(s) appended to ${l.path}` +
        (l.unchanged ? ` (${l.unchanged} already recorded).` : ".")
      : l.records.length > 0
      ? `Lessons: nothing new; all ${l.unchanged} delta(s) already recorded in ${l.path}.`
      : "Lessons: none — the run has no plan-vs-actual delta.",
  ];
  return ok(r, r.markdown + "\n" + tail.join("\n"));
}
