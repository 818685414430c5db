/**
 * `keel implement --mission H --agent A [WP]`: claim a WP (without WP: the one
 * `next` names, through the same selection).
 *
 * @module
 */

import { message } from "@optique/core/message";
import { optional } from "@optique/core/modifiers";
import { argument, command, option } from "@optique/core/primitives";
import { string } from "@optique/core/valueparser";
import { implementText } from "../../core/text/mod.ts";
import { type CliContext, commandObject, ok, type Outcome } from "../define.ts";

/** The `cmd` tag. */
export const tag = "implement";

/** The parser. */
export const parser = command(
  "implement",
  commandObject(tag, {
    mission: option("--mission", string({ metavar: "H" }), {
      description: message`Mission: slug, mission_id, or its unique 8-character prefix.`,
    }),
    agent: option("--agent", string({ metavar: "A" }), {
      description: message`The agent claiming the WP.`,
    }),
    wp: optional(argument(string({ metavar: "WP" }))),
  }),
  { brief: message`Claim a WP for an agent (exit 1 when nothing is claimable, 4 when held).` },
);

/**
 * Run the command.
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns The outcome.
 */
export async function run(
  args: { mission: string; agent: string; wp: string | undefined },
  ctx: CliContext,
): Promise<Outcome> {
  const { implementOp } = await import("../../core/mission/mod.ts");
  const params: { mission: string; agent: string; wp?: string } = {
    mission: args.mission,
    agent: args.agent,
  };
  if (args.wp !== undefined) params.wp = args.wp;
  const r = await implementOp(params, ctx.op);
  return ok(r, implementText(r));
}
