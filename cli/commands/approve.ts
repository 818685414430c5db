/**
 * `keel approve intent|tests|plan|all --by WHO [--contract NAME]`.
 *
 * @module
 */

import {
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
    artifact: choiceArg(
      "WHAT",
      ["intent", "tests", "plan", "all"],
      "The artifact to approve (tests: the test contract, plan: the commit plan), or all three.",
    ),
    by: option("--by", "WHO", "Who approves.", { required: true }),
    contract: contractOption(),
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
    artifact: "intent" | "tests" | "plan" | "all";
    by: string;
    contract: string | undefined;
    allowPlaceholders: boolean;
  },
  ctx: CliContext,
): Promise<Outcome> {
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
