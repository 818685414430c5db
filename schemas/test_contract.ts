/**
 * test_contract.json: the tests a run must run and pass.
 *
 * @module
 */

import { z } from "zod";
import { Approval } from "./approval.ts";
import { header, Identifier } from "./common.ts";

/** One planned test. */
export const PlannedTest = z.strictObject({
  id: Identifier.describe("Test id, used by `keel run exec|record` and plan units."),
  command: z.string().min(1).optional().describe("Command line that runs the test."),
  junit_name: z.string().min(1).optional().describe(
    "Name matched against JUnit testcases: 'classname.name', 'name', or a prefix ending in '*'.",
  ),
  required: z.boolean().describe("The run must execute this test."),
  gate: z.enum(["finish", "advisory"]).describe(
    "finish: it must pass before the run can be called aligned; advisory: a failure is a warning.",
  ),
  description: z.string().optional().describe("What the test shows."),
  evidence: z.enum(["executed", "any"]).optional().describe(
    "executed: only keel-run or imported results count — a manual `run record` or a command " +
      "other than `command` is an error at finish (default any: they are warnings).",
  ),
});

/** test_contract.json */
export const TestContract = z.strictObject({
  ...header("test_contract"),
  tests: z.array(PlannedTest).describe("The planned tests."),
  approval: Approval,
}).meta({ title: "keel test contract", description: "The tests a run must run and pass." });

/** test_contract.json's type. */
export type TestContract = z.infer<typeof TestContract>;
/** One planned test's type. */
export type PlannedTest = z.infer<typeof PlannedTest>;
