/**
 * Notes recorded against a finished run after the fact: rework cycles and
 * post-merge defects, each with its time, appended under the run's lock.
 *
 * @module
 */

import type { RunReport } from "../../schemas/run_report.ts";
import type { KeelLayout } from "../layout/mod.ts";
import type { Clock } from "../util/mod.ts";
import { KeelError } from "../errors.ts";
import { updateRunReport } from "../run_store/mod.ts";

/** Result of recording a note. */
export interface RecordNoteResult {
  run_id: string;
  contract: string;
  domain: string;
  kind: "rework" | "defect";
  note: { note: string; at: string };
  /** How many notes of this kind the run now has. */
  count: number;
}

/**
 * Append a rework or defect note to a run report.
 *
 * @param layout Where .keel is.
 * @param runId The run.
 * @param options Kind, text and clock.
 * @returns The note and the new count.
 * @throws {KeelError} USAGE for an empty note; RUN_NOT_FOUND.
 */
export async function appendRunNote(
  layout: KeelLayout,
  runId: string,
  options: { kind: "rework" | "defect"; note: string; clock: Clock },
): Promise<RecordNoteResult> {
  const text = options.note.trim();
  if (text === "") throw new KeelError("USAGE", "--note needs a text", { data: {} });
  const field = options.kind === "rework" ? "rework" : "defects";
  const note = { note: text, at: options.clock.now().toISOString() };
  const report: RunReport = await updateRunReport(layout, runId, (r) => {
    r[field] = [...(r[field] ?? []), note];
    return r;
  });
  return {
    run_id: report.run_id,
    contract: report.contract,
    domain: report.contract_snapshot.intent.domain,
    kind: options.kind,
    note,
    count: report[field]?.length ?? 0,
  };
}
