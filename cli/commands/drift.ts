/**
 * `keel drift [--run ID] [--reanalyze] [--contract NAME]`: a run's findings
 * again, and the run summary shared with `keel run finish`.
 *
 * @module
 */

import { runSummaryText } from "../../core/text/mod.ts";
import { type CliContext, command, contractOption, flag, option, type Outcome } from "../define.ts";

/** The `cmd` tag. */
export const tag = "drift";

/** The parser. */
export const parser = command(
  "drift",
  "Show a run's drift findings again (latest run by default).",
  {
    run: option("--run", "ID", "Run id (default: the latest run).", { complete: "run" }),
    contract: contractOption(),
    reanalyze: flag(
      "--reanalyze",
      "Re-check a finished run: analyse its recorded range again (refused if it differs).",
    ),
  },
);

type DriftArgs = {
  cmd: "drift";
  run: string | undefined;
  contract: string | undefined;
  reanalyze: boolean;
};

/**
 * Run the command: exit 0 when the run is aligned, 1 when drifted.
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns The outcome.
 */
export async function run(args: DriftArgs, ctx: CliContext): Promise<Outcome> {
  const { driftOp } = await import("../../core/run/mod.ts");
  const r = await driftOp({
    ...(args.run === undefined ? {} : { run: args.run }),
    ...(args.contract === undefined ? {} : { contract: args.contract }),
    ...(args.reanalyze ? { reanalyze: true } : {}),
  }, ctx.op);
  return { json: r, text: runSummaryText(r), exit: r.verdict === "aligned" ? 0 : 1 };
}
