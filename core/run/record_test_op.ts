/**
 * `keel run record` / `run/recordTest`: record a test run elsewhere.
 *
 * @module
 */

import { z } from "zod";
import { parseParams } from "../params.ts";
import { nameParam } from "../param_schemas.ts";
import type { TestRecord } from "../../schemas/run_report.ts";
import { locateKeel } from "../contract/layout.ts";
import type { OpContext } from "../context.ts";
import { ulid } from "../util/ulid.ts";
import { appendTestRecords } from "./append_tests.ts";
import { resolveActiveRun } from "./resolve_run.ts";

/** Params of {@link recordTestOp}. */
export const RecordTestParams = z.strictObject({
  testId: nameParam().describe("Test id; an id the contract does not know is unplanned."),
  status: z.enum(["passed", "failed", "skipped"]),
  note: nameParam().optional().describe("Free text kept with the record."),
  contract: nameParam().optional().describe(
    "Contract whose active run records (default: default).",
  ),
  run: nameParam().optional().describe("Run id (instead of the contract's active run)."),
});

/** Result of {@link recordTestOp} and {@link execTestOp}. */
export interface RecordTestResult {
  run_id: string;
  contract: string;
  record: TestRecord;
}

/**
 * Record a test's outcome into the active run. The record's source is
 * `manual`: a claim, not evidence — a required test satisfied only this way
 * is reported at finish (`TEST_EVIDENCE_SELF_REPORTED`).
 *
 * @param params `{testId, status, note?, contract?, run?}`.
 * @param ctx Operation context.
 * @returns The record written.
 * @throws {KeelError} RUN_NOT_ACTIVE, RUN_NOT_FOUND.
 */
export async function recordTestOp(
  params: z.input<typeof RecordTestParams>,
  ctx: OpContext,
): Promise<RecordTestResult> {
  params = parseParams(RecordTestParams, params);
  const p = RecordTestParams.parse(params);
  const layout = locateKeel(ctx.cwd);
  const ref = await resolveActiveRun(layout, p);
  const now = ctx.clock.now();
  const [record] = await appendTestRecords(layout, ref.run_id, [{
    test_id: p.testId,
    planned: false,
    status: p.status,
    source: "manual",
    at: now.toISOString(),
    note: p.note ?? null,
    batch: ulid(now.getTime()),
  }]);
  return { run_id: ref.run_id, contract: ref.contract, record: record! };
}
