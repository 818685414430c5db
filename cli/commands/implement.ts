/**
 * `keel implement --mission H --agent A [WP]`: claim a WP (without WP: the one
 * `next` names, through the same selection) and prepare its lane workspace as
 * spec-kitty does (`--no-workspace`: claim only).
 *
 * @module
 */

import { implementText } from "../../core/text/mod.ts";
import {
  type CliContext,
  command,
  flag,
  ok,
  option,
  optionalArg,
  type Outcome,
} from "../define.ts";

/** The `cmd` tag. */
export const tag = "implement";

/** The parser. */
export const parser = command(
  "implement",
  "Claim a WP for an agent and prepare its lane workspace (exit 1 when nothing is claimable, 4 when held or the workspace is dirty or on another branch).",
  {
    mission: option(
      "--mission",
      "H",
      "Mission: slug, mission_id, or its unique 8-character prefix.",
      {
        required: true,
        complete: "mission",
      },
    ),
    agent: option("--agent", "A", "The agent claiming the WP.", { required: true }),
    run: flag(
      "--run",
      "Also start a keel run in the workspace on the WP's approved contract and print its brief.",
    ),
    noWorkspace: flag(
      "--no-workspace",
      "Only claim: do not create or check the lane worktree, do not commit the event log.",
    ),
    wp: optionalArg("WP", "The work package to claim (default: the one `keel next` selects)."),
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
    mission: string;
    agent: string;
    run: boolean;
    noWorkspace: boolean;
    wp: string | undefined;
  },
  ctx: CliContext,
): Promise<Outcome> {
  const { implementOp } = await import("../../core/mission/mod.ts");
  const params: { mission: string; agent: string; wp?: string; workspace?: boolean } = {
    mission: args.mission,
    agent: args.agent,
  };
  if (args.wp !== undefined) params.wp = args.wp;
  if (args.noWorkspace) params.workspace = false;
  if (args.run) {
    const { implementRunOp } = await import("../../core/mission_run/mod.ts");
    const { implementRunText } = await import("../../core/text/mod.ts");
    const rr = await implementRunOp(params, ctx.op);
    return ok(rr, implementRunText(rr));
  }
  const r = await implementOp(params, ctx.op);
  return ok(r, implementText(r));
}
