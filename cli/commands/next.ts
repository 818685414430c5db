/**
 * `keel next --mission H [--agent A] [--explain]`: which WP to take next, and
 * if none, why not.
 *
 * @module
 */

import { message } from "@optique/core/message";
import { optional, withDefault } from "@optique/core/modifiers";
import { command, flag, option } from "@optique/core/primitives";
import { string } from "@optique/core/valueparser";
import { nextText } from "../../core/text/mod.ts";
import { type CliContext, commandObject, ok, type Outcome } from "../define.ts";

/** The `cmd` tag. */
export const tag = "next";

/** The parser. */
export const parser = command(
  "next",
  commandObject(tag, {
    mission: option("--mission", string({ metavar: "H" }), {
      description: message`Mission: slug, mission_id, or its unique 8-character prefix.`,
    }),
    agent: optional(option("--agent", string({ metavar: "A" }), {
      description: message`The agent asking.`,
    })),
    explain: withDefault(
      flag("--explain", { description: message`Show each candidate and why it was (not) chosen.` }),
      false,
    ),
  }),
  { brief: message`Preview the WP implement would claim (wp_id), or why none (selection_reason).` },
);

/**
 * Run the command.
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns The outcome (exit 0: the preview itself never fails a gate).
 */
export async function run(
  args: { mission: string; agent: string | undefined; explain: boolean },
  ctx: CliContext,
): Promise<Outcome> {
  const { nextOp } = await import("../../core/mission/mod.ts");
  const params: { mission: string; agent?: string; explain?: boolean } = {
    mission: args.mission,
  };
  if (args.agent !== undefined) params.agent = args.agent;
  if (args.explain) params.explain = true;
  const p = await nextOp(params, ctx.op);
  return ok(p, nextText(p));
}
