/**
 * `keel pilot`: the whole loop on an embedded sample repository in a
 * temporary directory, through the real commands. The best five-minute
 * introduction to keel.
 *
 * @module
 */

import { type CliContext, command, flag, type Outcome } from "../define.ts";

/** The `cmd` tag. */
export const tag = "pilot";

/** The parser. */
export const parser = command(
  "pilot",
  "Run the whole loop on an embedded sample repository, in a temporary directory.",
  { keep: flag("--keep", "Keep the sample repository and print its path.") },
);

/** One step of the pilot's transcript. */
export interface PilotStep {
  title: string;
  command: string;
  exit: number;
  expected_exit: number;
  note: string;
}

/**
 * Run the pilot.
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns The transcript.
 */
export async function run(args: { keep: boolean }, ctx: CliContext): Promise<Outcome> {
  const { runPilot } = await import("../pilot.ts");
  const result = await runPilot({ keep: args.keep, live: !ctx.json, warn: ctx.warn });
  const ok = result.steps.every((s) => s.exit === s.expected_exit);
  return {
    json: {
      ok,
      repository: result.repository,
      kept: args.keep,
      steps: result.steps,
      first_run: result.first_run,
      levels: result.levels,
      report: result.report,
    },
    text: result.text,
    exit: ok ? 0 : 1,
  };
}
