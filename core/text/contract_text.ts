/**
 * The human text of contract status and validation.
 *
 * @module
 */

import type { StatusResult, ValidateResult } from "../contract/mod.ts";
import type { ApproveMissionResult } from "../mission_run/mod.ts";
import { renderFindings, renderTable } from "./render.ts";

/**
 * `status`.
 *
 * @param r The result.
 * @returns The text.
 */
export function statusText(r: StatusResult): string {
  const rows = [
    ["ARTIFACT", "STATE", "APPROVED BY", "PATH"],
    ...r.artifacts.map((a) => [a.artifact, a.state, a.approved_by ?? "-", a.path]),
  ];
  const last = r.last_finished_run;
  const lines = [
    `Contract "${r.contract}": ${r.ready ? "ready to run" : "not ready to run"}` +
    (r.ready && last && !r.active_run
      ? ` — it already has finished run ${last.run_id} ` +
        `(${
          last.verdict ?? "not analysed"
        }, ${last.finished_at}); \`keel run start\` starts another`
      : ""),
    renderTable(rows),
    r.active_run
      ? `Active run: ${r.active_run.run_id} (since ${r.active_run.started_at})`
      : last
      ? `No active run; latest finished run ${last.run_id} (${last.verdict ?? "not analysed"}).`
      : "No active run.",
  ];
  return lines.join("\n");
}

/**
 * `validate`.
 *
 * @param r The result.
 * @returns The text.
 */
export function validateText(r: ValidateResult): string {
  const head = r.ok
    ? `Contract "${r.contract}" is valid.`
    : `Contract "${r.contract}" has ${r.counts.error} error(s).`;
  const tail =
    `${r.counts.error} error(s), ${r.counts.warning} warning(s), ${r.counts.info} note(s)`;
  const text = [head, renderFindings(r.findings), tail].filter((s) => s !== "").join("\n");
  return text;
}

/**
 * `approve --mission`: per WP, what was approved.
 *
 * @param r The result.
 * @returns The text.
 */
export function approveMissionText(r: ApproveMissionResult): string {
  const lines = [`Mission ${r.mission_slug}: ${r.wps.length} WP contract(s), by ${r.by}`];
  for (const w of r.wps) {
    lines.push(
      `${w.wp_id}  ${w.contract}  ${
        w.status === "approved"
          ? `approved${w.drafted ? " (drafted now)" : ""}`
          : "already approved"
      }  intent ${w.digests.intent.slice(0, 12)}… tests ${w.digests.tests.slice(0, 12)}… plan ${
        w.digests.plan.slice(0, 12)
      }…`,
      `      scope: ${w.allowed_files.length === 0 ? "(none)" : w.allowed_files.join(", ")}`,
      `      units: ${w.units.map((u) => `${u.id} ${u.summary}`).join("; ")}`,
      `      tests: ${
        w.tests.map((t) => `${t.id}: ${t.command ?? "(recorded by hand)"}`).join("; ")
      }`,
    );
  }
  return lines.join("\n");
}
