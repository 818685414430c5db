/**
 * The command table: each command's module, loaded only when needed. A
 * command line naming one command loads just that module (its parser and its
 * handler); help, completions and unknown commands load them all.
 *
 * Each module exports `tag` (its first word), `parser` (a command or a group
 * from `../define.ts`; `parsers` when it declares several top-level words)
 * and `run`. Add one line per command module. See `docs/cli.md`.
 *
 * @module
 */

import type { CliContext, Node, Outcome } from "../define.ts";

/** What a command module exports. */
export interface CommandModule {
  readonly tag: string;
  readonly parser: Node;
  readonly parsers?: readonly Node[];
  // deno-lint-ignore no-explicit-any
  run(args: any, ctx: CliContext): Promise<Outcome>;
}

/** Every command keel has, in help order, by its first word. */
export const COMMAND_LOADERS: Record<string, () => Promise<CommandModule>> = {
  pilot: () => import("./pilot.ts"),
  init: () => import("./init.ts"),
  validate: () => import("./validate.ts"),
  approve: () => import("./approve.ts"),
  status: () => import("./status.ts"),
  brief: () => import("./brief.ts"),
  run: () => import("./run.ts"),
  drift: () => import("./drift.ts"),
  verify: () => import("./verify.ts"),
  guard: () => import("./guard.ts"),
  hooks: () => import("./hooks.ts"),
  deviation: () => import("./deviation.ts"),
  retro: () => import("./retro.ts"),
  lessons: () => import("./lessons.ts"),
  trust: () => import("./trust.ts"),
  report: () => import("./report.ts"),
  rework: () => import("./rework.ts"),
  defect: () => import("./defect.ts"),
  next: () => import("./next.ts"),
  implement: () => import("./implement.ts"),
  mission: () => import("./mission.ts"),
  review: () => import("./review.ts"),
  merge: () => import("./merge.ts"),
  doctor: () => import("./doctor.ts"),
  schema: () => import("./schema.ts"),
  serve: () => import("./serve.ts"),
  mcp: () => import("./mcp.ts"),
  completions: () => import("./completions.ts"),
  __complete: () => import("./completions.ts"),
};

/**
 * The modules a command line needs: just its command's, or all of them for
 * help, completions and anything unknown.
 *
 * @param argv The arguments.
 * @returns The command modules, in help order.
 */
export async function commandsFor(argv: readonly string[]): Promise<CommandModule[]> {
  const first = argv[0];
  const needsAll = first === undefined || !Object.hasOwn(COMMAND_LOADERS, first) ||
    argv.includes("--help") || argv.includes("-h");
  if (!needsAll) return [await COMMAND_LOADERS[first]!()];
  return [...new Set(await Promise.all(Object.values(COMMAND_LOADERS).map((load) => load())))];
}

/**
 * The top-level nodes of modules.
 *
 * @param modules Command modules.
 * @returns Their parsers, in order.
 */
export function rootsOf(modules: readonly CommandModule[]): Node[] {
  return modules.flatMap((m) => m.parsers ?? [m.parser]);
}

/**
 * Every top-level node (loads every command module).
 *
 * @returns The nodes, in help order.
 */
export async function allRoots(): Promise<Node[]> {
  return rootsOf(await commandsFor([]));
}
