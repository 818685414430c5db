/**
 * Append test records to a running run, under the run's lock (re-read,
 * append, atomic write), so concurrent recorders lose nothing.
 *
 * @module
 */

import type { ImportedEvidence, TestRecord } from "../../schemas/run_report.ts";
import type { KeelLayout } from "../layout/mod.ts";
import { KeelError } from "../errors.ts";
import { updateRunReport } from "../run_store/mod.ts";

/**
 * Append records to a run that is still running. Each record's `planned`
 * flag is set from the run's contract snapshot.
 *
 * @param layout Where .keel is.
 * @param runId Run id.
 * @param records The records, in order.
 * @param imported An evidence file imported with them (recorded in `imports`).
 * @returns The records as written.
 * @throws {KeelError} RUN_NOT_ACTIVE when the run finished meanwhile.
 */
export async function appendTestRecords(
  layout: KeelLayout,
  runId: string,
  records: readonly TestRecord[],
  imported?: ImportedEvidence,
): Promise<TestRecord[]> {
  let written: TestRecord[] = [];
  await updateRunReport(layout, runId, (report) => {
    if (report.state !== "running") {
      throw new KeelError("RUN_NOT_ACTIVE", `Run ${runId} finished; nothing recorded`, {
        data: { contract: report.contract, run_id: runId },
      });
    }
    const planned = new Set(report.contract_snapshot.tests.tests.map((t) => t.id));
    written = records.map((r) => ({ ...r, planned: planned.has(r.test_id) }));
    // One at a time: a spread of 300,000 records overflows the call stack.
    for (const r of written) report.tests.push(r);
    if (imported) (report.imports ??= []).push(imported);
    return report;
  });
  return written;
}
