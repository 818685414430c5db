/**
 * `keel deviation accept FINDING_ID --why TEXT --by WHO [--run ID]` and
 * `keel deviation list [--run ID]`.
 *
 * @module
 */

import { or } from "@optique/core/constructs";
import { message } from "@optique/core/message";
import { optional } from "@optique/core/modifiers";
import { argument, command, option } from "@optique/core/primitives";
import { string } from "@optique/core/valueparser";
import { type CliContext, commandObject, ok, type Outcome } from "../define.ts";
import { renderFindings } from "../render.ts";
import { deviationAcceptText } from "../../core/text/mod.ts";

/** The `cmd` tags of this module. */
export const tag = "deviation";

/** `--run ID`, shared by the retrospective commands. */
export function runOption() {
  return optional(option("--run", string({ metavar: "ID" }), {
    description: message`Run id (default: the latest finished run).`,
  }));
}

const accept = command(
  "accept",
  commandObject("deviation accept", {
    findingId: argument(string({ metavar: "FINDING_ID" })),
    why: option("--why", string({ metavar: "TEXT" }), {
      description: message`Why the deviation is acceptable (required, not empty).`,
    }),
    by: option("--by", string({ metavar: "WHO" }), { description: message`Who accepts it.` }),
    run: runOption(),
  }),
  { brief: message`Accept a drift finding as a deviation, with a rationale.` },
);

const list = command(
  "list",
  commandObject("deviation list", { run: runOption() }),
  { brief: message`List a run's accepted deviations and its open findings.` },
);

/** The parser. */
export const parser = command("deviation", or(accept, list), {
  brief: message`Accepted deviations: accept a finding with a rationale, or list them.`,
});

type Args =
  | { cmd: "deviation accept"; findingId: string; why: string; by: string; run: string | undefined }
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
      const r = await acceptDeviationOp(
        { findingId: args.findingId, why: args.why, by: args.by, ...runParam },
        ctx.op,
      );
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
