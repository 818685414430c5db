/**
 * intent.json: what the maintainer wants from the run.
 *
 * @module
 */

import { z } from "zod";
import { Approval } from "./approval.ts";
import { header, RepoGlob } from "./common.ts";

/** intent.json */
export const Intent = z.strictObject({
  ...header("intent"),
  goal: z.string().min(1).describe("What the run must achieve, in one or two sentences."),
  constraints: z.array(z.string().min(1)).describe("Rules the run must keep."),
  allowed_files: z.array(RepoGlob).describe("Files the run may touch (globs)."),
  forbidden_files: z.array(RepoGlob).describe("Files the run must not touch (globs)."),
  risk_level: z.enum(["low", "medium", "high"]).describe("Risk of the change."),
  domain: z.string().min(1).describe(
    "The unit trust is measured in (e.g. deps, release, refactor, ui).",
  ),
  source: z.strictObject({
    mission: z.string().describe("spec-kitty mission slug."),
    wp_id: z.string().describe("Work package id."),
  }).optional().describe("The spec-kitty work package this contract was made from."),
  approval: Approval,
}).meta({ title: "keel intent", description: "What the maintainer wants from a run." });

/** intent.json's type. */
export type Intent = z.infer<typeof Intent>;
