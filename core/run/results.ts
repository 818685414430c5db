/**
 * The result schemas (zod) of the run operations whose result is not the
 * run report itself: exactly what each returns (its CLI `--json` document).
 *
 * @module
 */

import { z } from "zod";
import { ImportedEvidence, TestRecord } from "../../schemas/mod.ts";

/** Result of `run/exec` and `run/recordTest`. */
export const RecordTestResult = z.strictObject({
  run_id: z.string(),
  contract: z.string(),
  record: TestRecord,
});

/** Result of `run/importJunit`. */
export const ImportJunitResult = z.strictObject({
  run_id: z.string(),
  contract: z.string(),
  file: z.string(),
  testcases: z.strictObject({
    total: z.number(),
    passed: z.number(),
    failure: z.number(),
    error: z.number(),
    skipped: z.number(),
  }).describe("Testcases by JUnit outcome."),
  matched: z.record(z.string(), z.number()).describe(
    "Planned test id → how many testcases matched it.",
  ),
  unplanned: z.number().describe("Testcases that match no planned test."),
  recorded: z.number().describe("Records written."),
  records: z.array(TestRecord),
  evidence: ImportedEvidence,
});

/** Result of `run/list`. */
export const ListRunsResult = z.strictObject({
  runs: z.array(z.strictObject({
    run_id: z.string(),
    contract: z.string(),
    state: z.enum(["running", "finished", "unreadable"]),
    verdict: z.enum(["aligned", "drifted"]).nullable(),
    agent: z.string().nullable(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
    problem: z.string().exactOptional().describe("Why the run is unreadable."),
  })),
});

/** Result of `run/verify`. */
export const VerifyRunResult = z.strictObject({
  run_id: z.string(),
  contract: z.string(),
  ok: z.boolean().describe("No problem found."),
  sealed: z.boolean().describe("The report carries a seal."),
  checked: z.strictObject({
    evidence_files: z.number(),
    commits: z.number(),
    artifacts: z.number(),
  }),
  problems: z.array(z.strictObject({
    code: z.enum([
      "EVIDENCE_DIGEST_MISMATCH",
      "EVIDENCE_MISSING",
      "RUN_COMMIT_MISSING",
      "RUN_COMMIT_OUT_OF_RANGE",
      "RUN_SNAPSHOT_MISMATCH",
      "RUN_REPORT_SEAL_MISMATCH",
    ]),
    message: z.string(),
    subject: z.string(),
  })),
});
