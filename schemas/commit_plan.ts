/**
 * commit_plan.json: the commits the run will make, as units.
 *
 * @module
 */

import { z } from "zod";
import { Approval } from "./approval.ts";
import { header, Identifier, RepoGlob } from "./common.ts";

/** One planned unit (one or more commits). */
export const PlanUnit = z.strictObject({
  id: Identifier.describe("Unit id; commits name it with a 'Keel-Unit: <id>' trailer."),
  summary: z.string().min(1).describe("What the unit does."),
  files: z.array(RepoGlob).describe("Files the unit touches (globs), inside allowed_files."),
  tests: z.array(Identifier).describe("Test ids (from the test contract) covering the unit."),
  depends_on: z.array(Identifier).describe("Units that must land before this one."),
});

/** commit_plan.json */
export const CommitPlan = z.strictObject({
  ...header("commit_plan"),
  units: z.array(PlanUnit).describe("The planned units, acyclic through depends_on."),
  approval: Approval,
}).meta({ title: "keel commit plan", description: "The commits a run will make, as units." });

/** commit_plan.json's type. */
export type CommitPlan = z.infer<typeof CommitPlan>;
/** One unit's type. */
export type PlanUnit = z.infer<typeof PlanUnit>;
