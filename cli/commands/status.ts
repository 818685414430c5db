/**
 * `keel status [--contract NAME]`.
 *
 * @module
 */

import { type CliContext, command, contractOption, ok, type Outcome } from "../define.ts";
import { renderTable } from "../render.ts";

/** The `cmd` tag. */
export const tag = "status";

/** The parser. */
export const parser = command(
  "status",
  "Show draft / approved / stale per artifact, and the active run.",
  { contract: contractOption() },
);

/**
 * Run the command.
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns The outcome.
 */
export async function run(
  args: { contract: string | undefined },
  ctx: CliContext,
): Promise<Outcome> {
  const { statusOp } = await import("../../core/contract/mod.ts");
  const r = await statusOp(args.contract === undefined ? {} : { contract: args.contract }, ctx.op);
  const rows = [
    ["ARTIFACT", "STATE", "APPROVED BY", "PATH"],
    ...r.artifacts.map((a) => [a.artifact, a.state, a.approved_by ?? "-", a.path]),
  ];
  const lines = [
    `Contract "${r.contract}": ${r.ready ? "ready to run" : "not ready to run"}` +
    (r.ready && r.last_finished_run && !r.active_run
      ? ` — it already has finished run ${r.last_finished_run.run_id} ` +
        `(${r.last_finished_run.verdict ?? "not analysed"}, ${r.last_finished_run.finished_at}); ` +
        `\`keel run start\` starts another`
      : ""),
    renderTable(rows),
    r.active_run
      ? `Active run: ${r.active_run.run_id} (since ${r.active_run.started_at})`
      : r.last_finished_run
      ? `No active run; latest finished run ${r.last_finished_run.run_id} ` +
        `(${r.last_finished_run.verdict ?? "not analysed"}).`
      : "No active run.",
  ];
  return ok(r, lines.join("\n"));
}
