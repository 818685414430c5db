/**
 * `keel deviation accept FINDING_ID --why TEXT --by WHO [--run ID]` and
 * `keel deviation list [--run ID]`.
 *
 * @module
 */

import {
  arg,
  type CliContext,
  command,
  group,
  ok,
  option,
  type OptionField,
  type Outcome,
  rest,
} from "../define.ts";
import { renderFindings } from "../render.ts";
import { deviationAcceptText } from "../../core/text/mod.ts";

/** The `cmd` tags of this module. */
export const tag = "deviation";

/**
 * `--run ID`, shared by the retrospective commands.
 *
 * @returns The field.
 */
export function runOption(): OptionField<string | undefined> {
  return option("--run", "ID", "Run id (default: the latest finished run).", { complete: "run" });
}

const accept = command(
  "deviation accept",
  "Accept a drift finding as a deviation, with a rationale.",
  {
    findingId: arg("FINDING_ID", "The finding's id as the run report shows it (F1, F2, …).", {
      complete: "finding",
    }),
    more: rest("FINDING_ID", "More findings to accept with the same rationale (all or none).", {
      optional: true,
      bare: true,
    }),
    why: option("--why", "TEXT", "Why the deviation is acceptable (not empty).", {
      required: true,
    }),
    by: option("--by", "WHO", "Who accepts it.", { required: true }),
    run: runOption(),
  },
);

const list = command(
  "deviation list",
  "List a run's accepted deviations and its open findings.",
  { run: runOption() },
);

/** The parser. */
export const parser = group(
  "deviation",
  "Accepted deviations: accept a finding with a rationale, or list them.",
  [accept, list],
);

type Args =
  | {
    cmd: "deviation accept";
    findingId: string;
    more: readonly string[];
    why: string;
    by: string;
    run: string | undefined;
  }
  | { cmd: "deviation list"; run: string | undefined };

/**
 * Run the command.
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns The outcome.
 */
export async function run(args: Args, ctx: CliContext): Promise<Outcome> {
  const { acceptDeviationOp, listDeviationsOp } = await import("../../core/retro/mod.ts");
  const runParam = args.run === undefined ? {} : { run: args.run };
  switch (args.cmd) {
    case "deviation accept": {
      const ids = args.more.length > 0
        ? { findingIds: [args.findingId, ...args.more] }
        : { findingId: args.findingId };
      const r = await acceptDeviationOp(
        { ...ids, why: args.why, by: args.by, ...runParam },
        ctx.op,
      );
      for (const w of r.warnings) ctx.warn(`keel: warning: ${w}`);
      return ok(r, deviationAcceptText(r));
    }
    case "deviation list": {
      const r = await listDeviationsOp(runParam, ctx.op);
      const lines = [
        `Run ${r.run_id} (contract "${r.contract}"): ${r.verdict ?? "no verdict yet"}`,
      ];
      lines.push(
        r.deviations.length
          ? `Accepted deviations (${r.deviations.length}):`
          : "No accepted deviations.",
      );
      for (const d of r.deviations) {
        lines.push(`  ✓ [${d.finding_id}] ${d.code}: "${d.why}" — ${d.by}, ${d.at}`);
      }
      if (r.open.length) {
        lines.push(`Open findings (${r.open.length}):`, renderFindings(r.open));
      }
      return ok(r, lines.join("\n"));
    }
  }
}
