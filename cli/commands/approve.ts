/**
 * `keel approve intent|tests|plan|all --by WHO [--contract NAME]`, and
 * `keel approve --mission H --by WHO`: one contract per WP, drafted and
 * approved in one step.
 *
 * @module
 */

import { KeelError } from "../../core/errors.ts";
import {
  type ArgField,
  choiceArg,
  type CliContext,
  command,
  contractOption,
  flag,
  ok,
  option,
  type Outcome,
} from "../define.ts";
import { renderFindings } from "../render.ts";

/** The `cmd` tag. */
export const tag = "approve";

/** The parser. */
export const parser = command(
  "approve",
  "Approve artifacts: validates, runs the checklist, binds to the digest.",
  {
    artifact: {
      ...choiceArg(
        "WHAT",
        ["intent", "tests", "plan", "all"],
        "The artifact to approve (tests: the test contract, plan: the commit plan), or all three; not with --mission.",
      ),
      required: false,
    } as ArgField<"intent" | "tests" | "plan" | "all" | undefined>,
    by: option("--by", "WHO", "Who approves.", { required: true }),
    contract: contractOption(),
    mission: option(
      "--mission",
      "H",
      "Approve one contract per WP of this spec-kitty mission (drafted as init --from-wp drafts it).",
      { complete: "mission" },
    ),
    allowPlaceholders: flag(
      "--allow-placeholders",
      "Approve although placeholder text from init remains.",
    ),
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
  args: {
    artifact: "intent" | "tests" | "plan" | "all" | undefined;
    by: string;
    contract: string | undefined;
    mission: string | undefined;
    allowPlaceholders: boolean;
  },
  ctx: CliContext,
): Promise<Outcome> {
  if (args.mission !== undefined) {
    if (args.contract !== undefined || (args.artifact !== undefined && args.artifact !== "all")) {
      throw new KeelError(
        "USAGE",
        "approve --mission approves all three artifacts of every WP's contract: drop WHAT and --contract",
        { data: {} },
      );
    }
    const { approveMissionOp } = await import("../../core/mission_run/mod.ts");
    const { approveMissionText } = await import("../../core/text/mod.ts");
    const m = await approveMissionOp({
      mission: args.mission,
      by: args.by,
      ...(args.allowPlaceholders ? { allowPlaceholders: true } : {}),
    }, ctx.op);
    return ok(m, approveMissionText(m));
  }
  if (args.artifact === undefined) {
    throw new KeelError(
      "USAGE",
      "missing WHAT (one of: intent, tests, plan, all), or --mission H",
      {
        data: {},
      },
    );
  }
  const { approveOp } = await import("../../core/contract/mod.ts");
  const r = await approveOp({
    artifact: args.artifact,
    by: args.by,
    ...(args.allowPlaceholders ? { allowPlaceholders: true } : {}),
    ...(args.contract === undefined ? {} : { contract: args.contract }),
  }, ctx.op);
  const lines = r.approved.map((a) =>
    `Approved ${a.path} by ${r.by} (sha256 ${a.digest.slice(0, 12)}…, ${a.checklist.length} checks)`
  );
  const g = r.git_user;
  lines.push(
    `  recorded identity: git ${g.name ?? "(no user.name)"} <${g.email ?? "no user.email"}>, ` +
      `OS user ${r.os_user ?? "(unknown)"}`,
  );
  const notes = renderFindings(r.findings);
  return ok(r, [...lines, notes].filter((s) => s !== "").join("\n"));
}
