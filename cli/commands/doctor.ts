/**
 * `keel doctor [--fix]`: find and explain on-disk problems (torn JSONL tails,
 * stale approvals, runs whose starting process has exited, locks left by dead
 * processes, corrupt event logs, a status.json that disagrees with its log),
 * and repair what is safe.
 *
 * @module
 */

import type { DoctorResult } from "../../core/doctor/mod.ts";
import { type CliContext, command, flag, type Outcome } from "../define.ts";

/** The `cmd` tag. */
export const tag = "doctor";

/** The parser. */
export const parser = command(
  "doctor",
  "Find and explain problems in keel's and spec-kitty's files on disk.",
  {
    fix: flag(
      "--fix",
      "Repair what is safe: move torn JSONL tails to side files, clear stale lock pids.",
    ),
  },
);

/**
 * Run the command. Exit 0 when nothing is wrong (or everything was fixed), 1 otherwise.
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns The outcome.
 */
export async function run(args: { fix: boolean }, ctx: CliContext): Promise<Outcome> {
  const { doctorOp } = await import("../../core/doctor/mod.ts");
  const r = await doctorOp(args.fix ? { fix: true } : {}, ctx.op);
  return { json: r, text: _render(r), exit: r.ok ? 0 : 1 };
}

function _render(r: DoctorResult): string {
  const lines: string[] = [];
  for (const p of r.problems) {
    const tag = p.fixed ? "fixed" : p.severity;
    lines.push(`${tag.toUpperCase()} ${p.code} ${p.path}`);
    lines.push(`  ${p.message}`);
    lines.push(`  ${p.explanation}`);
    if (p.fixed && p.fix) {
      const side = typeof p.fix.side_file === "string" ? ` → ${p.fix.side_file}` : "";
      lines.push(`  fixed: ${String(p.fix.action)}${side}`);
    } else if (p.fixable) lines.push("  keel doctor --fix repairs this.");
  }
  const c = r.checked;
  lines.push(
    `Checked ${c.contracts} contract(s), ${c.runs} run(s), ${c.missions} mission(s), ${c.lock_files} lock file(s): ` +
      `${r.counts.error} error(s), ${r.counts.warning} warning(s), ${r.counts.info} info, ${r.counts.fixed} fixed.`,
  );
  lines.push(r.ok ? "OK: nothing needs attention." : "Problems need attention (see above).");
  return lines.join("\n");
}
