/**
 * `keel hooks install|uninstall`: keel's git hooks (pre-commit, commit-msg,
 * post-commit), chaining any hook already there.
 *
 * @module
 */

import { type CliContext, command, group, ok, type Outcome } from "../define.ts";

/** The `cmd` tag. */
export const tag = "hooks";

const install = command(
  "hooks install",
  "Install git hooks that refuse out-of-scope commits during a run (idempotent).",
  {},
);

const uninstall = command(
  "hooks uninstall",
  "Remove keel's git hooks and restore the hooks they chained.",
  {},
);

/** The parser. */
export const parser = group(
  "hooks",
  "Git hooks: refuse out-of-scope commits while a run is active.",
  [install, uninstall],
);

/**
 * Run the command.
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns The outcome.
 */
export async function run(
  args: { cmd: "hooks install" | "hooks uninstall" },
  ctx: CliContext,
): Promise<Outcome> {
  const { hooksOp } = await import("../../core/guard/mod.ts");
  const action = args.cmd === "hooks install" ? "install" : "uninstall";
  const r = await hooksOp({ action }, ctx.op, { keelCommand: selfCommand() });
  const lines = r.hooks.map((h) =>
    `  ${h.hook}: ${h.status.replace("_", " ")}` +
    (h.chained ? ` (runs ${h.chained} first)` : "")
  );
  return ok(r, [`Hooks in ${r.hooks_dir}:`, ...lines].join("\n"));
}

/**
 * The argv that runs this keel: the compiled binary, or `deno run` of the
 * entry module when running from source.
 *
 * @returns The command.
 */
export function selfCommand(): string[] {
  const exe = Deno.execPath();
  const name = exe.split("/").at(-1) ?? "";
  if (name !== "deno" && name !== "deno.exe") return [exe];
  return [exe, "run", "-A", "--quiet", new URL(Deno.mainModule).pathname];
}
