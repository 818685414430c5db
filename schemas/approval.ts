/**
 * The approval block every approvable artifact carries.
 *
 * @module
 */

import { z } from "zod";
import { Digest, Timestamp } from "./common.ts";

/** One checklist item evaluated at approval. */
export const ChecklistItem = z.strictObject({
  id: z.string().describe("Stable id of the checklist item."),
  label: z.string().describe("What was checked, in words."),
  ok: z.boolean().describe("Whether it held at approval."),
});

/** The approval block. */
export const Approval = z.strictObject({
  state: z.enum(["draft", "approved"]).describe(
    "draft until approved. An approved artifact whose content no longer matches digest is " +
      "stale (computed, never stored), which is not approved.",
  ),
  by: z.string().nullable().describe("Who approved."),
  at: Timestamp.nullable().describe("When it was approved."),
  digest: Digest.nullable().describe("Digest of the content that was approved."),
  checklist: z.array(ChecklistItem).describe("Checklist evaluated at approval."),
  proposed_at: Timestamp.nullable().optional().describe(
    "When keel wrote the draft (the start of approval latency).",
  ),
  git_user: z.strictObject({ name: z.string().nullable(), email: z.string().nullable() })
    .nullable().optional().describe("git user.name and user.email of the approver's repository."),
  os_user: z.string().nullable().optional().describe("The operating-system user who approved."),
  placeholders_allowed: z.boolean().optional().describe(
    "Approved with --allow-placeholders while placeholder text remained.",
  ),
}).meta({ title: "Approval", description: "Approval state of an artifact, bound to a digest." });

/** The approval block's type. */
export type Approval = z.infer<typeof Approval>;
