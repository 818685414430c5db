/**
 * `keel guard check|hook|pre-commit|commit-msg|post-commit`: prevention
 * from the active run's approved scope. `check` and `hook` are for people
 * and agent harnesses; the other three are run by the git hooks
 * `keel hooks install` writes.
 *
 * @module
 */

import { or } from "@optique/core/constructs";
import { message } from "@optique/core/message";
import { multiple } from "@optique/core/modifiers";
import { argument, command } from "@optique/core/primitives";
import { string } from "@optique/core/valueparser";
import { type CliContext, commandObject, type Outcome } from "../define.ts";
import { contractOption } from "./validate.ts";

/** The `cmd` tag. */
export const tag = "guard";

const check = command(
  "check",
  commandObject("guard check", {
    paths: multiple(argument(string({ metavar: "PATH" })), { min: 1 }),
    contract: contractOption(),
  }),
  { brief: message`Exit 0 when every PATH is inside the active run's scope, else 1 with reasons.` },
);

const hook = command(
  "hook",
  commandObject("guard hook", {}),
  {
    brief: message`Pre-edit hook for agent harnesses: event JSON on stdin; exit 0 allow, 2 block.`,
  },
);

const preCommit = command("pre-commit", commandObject("guard pre-commit", {}), {
  brief: message`(git hook) Refuse staged files outside the active run's scope.`,
});

const commitMsg = command(
  "commit-msg",
  commandObject("guard commit-msg", { file: argument(string({ metavar: "FILE" })) }),
  { brief: message`(git hook) Refuse a Keel-Unit trailer naming no planned unit.` },
);

const postCommit = command("post-commit", commandObject("guard post-commit", {}), {
  brief: message`(git hook) Record a commit made with the hooks bypassed.`,
});

/** The parser. */
export const parser = command("guard", or(check, hook, preCommit, commitMsg, postCommit), {
  brief: message`Guards: check paths, answer agent pre-edit hooks, run the git hooks.`,
});

type Args =
  | { cmd: "guard check"; paths: readonly string[]; contract: string | undefined }
  | { cmd: "guard hook" }
  | { cmd: "guard pre-commit" }
  | { cmd: "guard commit-msg"; file: string }
  | { cmd: "guard post-commit" };

/**
 * Run the command. `check`: exit 0 allowed, 1 not. `hook`: exit 0 allow,
 * 2 block (reason on stderr). Git hooks: exit 0 allow, 1 refuse (message on
 * stderr).
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns The outcome.
 */
export async function run(args: Args, ctx: CliContext): Promise<Outcome> {
  const g = await import("../../core/guard/mod.ts");
  switch (args.cmd) {
    case "guard check": {
      const r = await g.guardCheckOp({
        paths: [...args.paths],
        ...(args.contract === undefined ? {} : { contract: args.contract }),
      }, ctx.op);
      const { guardCheckText } = await import("../../core/text/mod.ts");
      return { json: r, text: guardCheckText(r), exit: r.ok ? 0 : 1 };
    }
    case "guard hook": {
      const event = await new Response(Deno.stdin.readable).text();
      const r = await g.guardHookOp({ event }, ctx.op);
      if (r.decision === "block" && !ctx.json) ctx.warn(r.reason);
      return { json: r, text: "", exit: r.decision === "block" ? 2 : 0 };
    }
    case "guard pre-commit": {
      const r = await g.preCommitGuard(ctx.op);
      if (!r.allow) ctx.warn(r.message);
      return { json: r, text: "", exit: r.allow ? 0 : 1 };
    }
    case "guard commit-msg": {
      const text = await Deno.readTextFile(args.file);
      const r = await g.commitMsgGuard(text, ctx.op);
      if (!r.allow) ctx.warn(r.message);
      return { json: r, text: "", exit: r.allow ? 0 : 1 };
    }
    case "guard post-commit": {
      const r = await g.postCommitGuard(ctx.op);
      if (r.message.includes("bypassed")) ctx.warn(r.message);
      return { json: r, text: "", exit: 0 };
    }
  }
}
