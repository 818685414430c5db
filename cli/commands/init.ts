/**
 * `keel init [NAME] [--force]`: scaffold draft contract artifacts.
 *
 * @module
 */

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
export const tag = "init";

/** The parser. */
export const parser = command(
  "init",
  "Write draft intent, test contract and commit plan to .keel/contracts/NAME/.",
  {
    name: optionalArg("NAME", "The contract's name (default: default).", { complete: "contract" }),
    force: flag("--force", "Overwrite existing artifacts."),
    fromWp: option(
      "--from-wp",
      "MISSION:WP",
      "Draft from a spec-kitty work package: lane write scope → allowed files, subtasks → units.",
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
  args: { name: string | undefined; force: boolean; fromWp: string | undefined },
  ctx: CliContext,
): Promise<Outcome> {
  const { initOp } = await import("../../core/contract/mod.ts");
  const result = await initOp(
    {
      ...(args.name === undefined ? {} : { name: args.name }),
      ...(args.fromWp === undefined ? {} : { fromWp: args.fromWp }),
      force: args.force,
    },
    ctx.op,
  );
  const lines = [
    `Created contract "${result.contract}"${args.fromWp ? ` from ${args.fromWp}` : ""}:`,
    ...result.created.map((p) => `  ${p}`),
    ...(result.dropped_scope?.length
      ? [
        "Left out of allowed_files (write scope entries that cannot be a repository glob):",
        ...result.dropped_scope.map((d) => `  ${JSON.stringify(d.entry)}: ${d.reason}`),
      ]
      : []),
    "",
    "Next: edit the three files (goal, allowed_files, tests, units), then",
    `  keel validate${result.contract === "default" ? "" : ` --contract ${result.contract}`}`,
    `  keel approve all --by <you>${
      result.contract === "default" ? "" : ` --contract ${result.contract}`
    }`,
    "  git add .keel .gitattributes && git commit -m 'keel contract'   # before keel run start",
  ];
  return ok(result, lines.join("\n"));
}
