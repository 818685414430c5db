/**
 * The zod schemas (source of truth) of every artifact keel reads or writes,
 * and the registry used to export them as JSON Schema 2020-12.
 *
 * @module
 */

import { z } from "zod";
import { Approval } from "./approval.ts";
import { CommitPlan } from "./commit_plan.ts";
import { Intent } from "./intent.ts";
import { RunReport } from "./run_report.ts";
import { TestContract } from "./test_contract.ts";
import { TrustMetrics } from "./trust_metrics.ts";

export * from "./codes.ts";
export * from "./common.ts";
export * from "./approval.ts";
export * from "./intent.ts";
export * from "./test_contract.ts";
export * from "./commit_plan.ts";
export * from "./run_report.ts";
export * from "./trust_metrics.ts";

/** Every exported schema, by name (the file is `schemas/<name>.schema.json`). */
export const SCHEMAS = {
  intent: Intent,
  test_contract: TestContract,
  commit_plan: CommitPlan,
  approval: Approval,
  run_report: RunReport,
  trust_metrics: TrustMetrics,
} as const satisfies Record<string, z.ZodType>;

/** A schema name. */
export type SchemaName = keyof typeof SCHEMAS;

/**
 * The JSON Schema 2020-12 document of a schema, with its `$id`.
 *
 * @param name Schema name.
 * @returns The JSON Schema document.
 */
export function jsonSchemaOf(name: SchemaName): Record<string, unknown> {
  const doc = z.toJSONSchema(SCHEMAS[name], { target: "draft-2020-12", io: "output" }) as Record<
    string,
    unknown
  >;
  return { $schema: doc.$schema, $id: `urn:keel:schema:${name}:1`, ...doc };
}
