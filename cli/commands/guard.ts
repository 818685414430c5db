/**
 * `keel guard check|hook|pre-commit|commit-msg|post-commit`: prevention
 * from the active run's approved scope. `check` and `hook` are for people
 * and agent harnesses; the other three are run by the git hooks
 * `keel hooks install` writes.
 *
 * @module
 */

import {
  arg,
  type CliContext,
  command,
  contractOption,
  group,
  type Outcome,
  rest,
} from "../define.ts";

/** The `cmd` tag. */
export const tag = "guard";

const check = command(
  "guard check",
  "Exit 0 when every PATH is inside the active run's scope, else 1 with reasons.",
  {
    paths: rest("PATH", "Paths to check (absolute, or relative to the working directory)."),
    contract: contractOption(),
  },
);

const hook = command(
  "guard hook",
  "Pre-edit hook for agent harnesses: event JSON on stdin; exit 0 allows, 2 blocks.",
  {},
);

const preCommit = command(
  "guard pre-commit",
  "(git hook) Refuse staged files outside the active run's scope.",
  {},
);

const commitMsg = command(
  "guard commit-msg",
  "(git hook) Refuse a Keel-Unit trailer naming no planned unit.",
  { file: arg("FILE", "The commit message file git passes.", { complete: "file" }) },
);

const postCommit = command(
  "guard post-commit",
  "(git hook) Record a commit made with the hooks bypassed.",
  {},
);

/** The parser. */
export const parser = group(
  "guard",
  "Guards: check paths, answer agent pre-edit hooks, run the git hooks.",
  [check, hook, preCommit, commitMsg, postCommit],
);

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
