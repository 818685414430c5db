/**
 * The result schemas (zod) of the contract operations: exactly what each
 * returns, which is its CLI `--json` document. Kept apart from the
 * operations so the CLI never loads them; the method table checks each
 * operation's return type against its schema.
 *
 * @module
 */

import { z } from "zod";
import { Finding } from "../../schemas/mod.ts";
import { ARTIFACTS } from "../layout/mod.ts";

/** Result of `contract/init`. */
export const InitResult = z.strictObject({
  contract: z.string(),
  created: z.array(z.string()).describe("Files written (repository-relative)."),
  overwritten: z.array(z.string()).describe("Files replaced (with force)."),
  dropped_scope: z.array(z.strictObject({ entry: z.unknown(), reason: z.string() }))
    .exactOptional()
    .describe("With fromWp: write-scope entries left out of allowed_files, and why."),
});

/** Result of `contract/validate`. */
export const ValidateResult = z.strictObject({
  contract: z.string(),
  ok: z.boolean().describe("No error finding."),
  input_invalid: z.boolean().describe(
    "Some artifact is missing, not JSON, or does not match its schema.",
  ),
  counts: z.strictObject({ error: z.number(), warning: z.number(), info: z.number() }),
  findings: z.array(Finding),
  paths: z.record(z.string(), z.string()).describe("Artifact → repository-relative path."),
});

/** One checklist item of an approval. */
export const ChecklistResult = z.strictObject({
  id: z.string(),
  label: z.string(),
  ok: z.boolean(),
});

/** Result of `contract/approve`. */
export const ApproveResult = z.strictObject({
  contract: z.string(),
  approved: z.array(z.strictObject({
    artifact: z.enum(ARTIFACTS),
    path: z.string(),
    digest: z.string(),
    checklist: z.array(ChecklistResult),
  })),
  by: z.string(),
  at: z.string(),
  git_user: z.strictObject({ name: z.string().nullable(), email: z.string().nullable() })
    .describe("git user.name / user.email where the approval was made (null when unset)."),
  os_user: z.string().nullable().describe("The operating-system user."),
  findings: z.array(Finding).describe("Warnings and infos seen while approving."),
});
