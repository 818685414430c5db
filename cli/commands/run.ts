/**
 * `keel run start|…`: the run lifecycle.
 *
 * @module
 */

import { or } from "@optique/core/constructs";
import { message } from "@optique/core/message";
import { optional } from "@optique/core/modifiers";
import { command, option } from "@optique/core/primitives";
import { string } from "@optique/core/valueparser";
import { type CliContext, commandObject, ok, type Outcome } from "../define.ts";
import { contractOption } from "./validate.ts";

/** The `cmd` tags of this module. */
export const tag = "run";

const start = command(
  "start",
  commandObject("run start", {
    contract: contractOption(),
    session: optional(option("--session", string({ metavar: "ID" }), {
      description: message`Session id (default: $KEEL_SESSION, else a new one).`,
    })),
    agent: optional(option("--agent", string({ metavar: "NAME" }), {
      description: message`Agent making the run (default: $KEEL_AGENT).`,
    })),
  }),
  { brief: message`Start a run; refused unless all three artifacts are approved and fresh.` },
);

/** The parser. */
export const parser = command("run", or(start), {
  brief: message`Runs: start, record test evidence, finish with drift analysis.`,
});

type RunArgs = {
  cmd: "run start";
  contract: string | undefined;
  session: string | undefined;
  agent: string | undefined;
};

/**
 * Run the command.
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns The outcome.
 */
export async function run(args: RunArgs, ctx: CliContext): Promise<Outcome> {
  switch (args.cmd) {
    case "run start": {
      const { startRunOp } = await import("../../core/run/mod.ts");
      const r = await startRunOp({
        ...(args.contract === undefined ? {} : { contract: args.contract }),
        ...(args.session === undefined ? {} : { session: args.session }),
        ...(args.agent === undefined ? {} : { agent: args.agent }),
      }, ctx.op);
      const m = r.meta;
      return ok(
        r,
        [
          `Run ${r.run_id} started on contract "${r.contract}".`,
          `  branch ${m.branch ?? "(detached)"} at ${m.base_commit?.slice(0, 12) ?? "(no commit)"}`,
          `  worktree ${m.worktree}`,
          `  session ${m.session_id}${m.agent ? `, agent ${m.agent}` : ""}`,
        ].join("\n"),
      );
    }
  }
}
