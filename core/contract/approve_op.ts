/**
 * `keel approve` / `contract/approve`: validate, run the checklist, and bind
 * the approval to the content digest. Refuses when anything fails.
 *
 * @module
 */

import { join } from "node:path";
import { z } from "zod";
import type { Finding } from "../../schemas/run_report.ts";
import type { OpContext } from "../context.ts";
import { KeelError } from "../errors.ts";
import { atomicWriteJson } from "../store/atomic_write.ts";
import { withLock } from "../store/lock.ts";
import { type ChecklistResult, evaluateChecklist } from "./checklist.ts";
import { artifactDigest } from "./digest.ts";
import {
  ARTIFACT_FILES,
  type ArtifactKind,
  artifactPath,
  ARTIFACTS,
  DEFAULT_CONTRACT,
  locateKeel,
  requireContract,
} from "./layout.ts";
import { lessonFindingsFor } from "./lesson_hook.ts";
import { readContract } from "./read_contract.ts";
import { validateContract } from "./validate_contract.ts";
import { safeReadTextFile } from "../store/safe_file.ts";

/** Params of {@link approveOp}. */
export const ApproveParams = z.strictObject({
  artifact: z.enum(["intent", "tests", "plan", "all"]).describe("What to approve."),
  by: z.string().min(1).describe("Who approves."),
  contract: z.string().optional().describe("Contract name (default: default)."),
});

/** One approved artifact. */
export interface ApprovedArtifact {
  artifact: ArtifactKind;
  path: string;
  digest: string;
  checklist: ChecklistResult[];
}

/** Result of {@link approveOp}. */
export interface ApproveResult {
  contract: string;
  approved: ApprovedArtifact[];
  by: string;
  at: string;
  /** Warnings and infos seen while approving (errors refuse). */
  findings: Finding[];
}

/**
 * Approve one artifact or all three.
 *
 * @param params `{artifact, by, contract?}`.
 * @param ctx Operation context.
 * @returns What was approved.
 * @throws {KeelError} CONTRACT_INVALID (exit 1) with the failing findings and
 *   checklist items; ARTIFACT_* (exit 3) when an artifact cannot be read;
 *   STATE_CHANGED (exit 4) when a file changed while approving.
 */
export async function approveOp(
  params: z.input<typeof ApproveParams>,
  ctx: OpContext,
): Promise<ApproveResult> {
  const by = params.by.trim();
  if (by === "") {
    throw new KeelError("USAGE", "--by needs a name", { data: {} });
  }
  const layout = locateKeel(ctx.cwd);
  const name = params.contract ?? DEFAULT_CONTRACT;
  requireContract(layout, name);
  const kinds: ArtifactKind[] = params.artifact === "all" ? [...ARTIFACTS] : [params.artifact];
  return await withLock(join(layout.keelDir, "locks", `contract-${name}.lock`), async () => {
    const contract = await readContract(layout, name);
    for (const kind of kinds) {
      const r = contract.reads[kind];
      if (!r.ok) throw r.error;
    }
    const findings = [
      ...validateContract(contract.artifacts),
      ...(await lessonFindingsFor(layout, contract.artifacts)),
    ];
    const at = ctx.clock.now().toISOString();
    const failing: { artifact: ArtifactKind; findings: Finding[]; checklist: ChecklistResult[] }[] =
      [];
    const plans: { kind: ArtifactKind; checklist: ChecklistResult[] }[] = [];
    for (const kind of kinds) {
      const checklist = evaluateChecklist(kind, { artifacts: contract.artifacts, findings });
      const errors = findings.filter((f) =>
        f.severity === "error" && (f.location ?? "").startsWith(ARTIFACT_FILES[kind])
      );
      if (errors.length > 0 || checklist.some((c) => !c.ok)) {
        failing.push({
          artifact: kind,
          findings: errors,
          checklist: checklist.filter((c) => !c.ok),
        });
      }
      plans.push({ kind, checklist });
    }
    if (failing.length > 0) {
      const lines = failing.flatMap((f) => [
        ...f.checklist.map((c) => `${f.artifact}: checklist "${c.label}" failed`),
        ...f.findings.map((x) => `${f.artifact}: ${x.code}: ${x.message}`),
      ]);
      throw new KeelError(
        "CONTRACT_INVALID",
        `Cannot approve ${failing.map((f) => f.artifact).join(", ")}:\n  ` + lines.join("\n  "),
        { data: { contract: name, failing } },
      );
    }
    const approved: ApprovedArtifact[] = [];
    for (const { kind, checklist } of plans) {
      const r = contract.reads[kind];
      if (!r.ok) throw r.error;
      const path = artifactPath(layout, name, kind);
      const current = await safeReadTextFile(path).catch(() => null);
      if (current !== r.text) {
        throw new KeelError("STATE_CHANGED", `${contract.paths[kind]} changed while approving`, {
          data: { path: contract.paths[kind] },
        });
      }
      const raw = r.raw as Record<string, unknown>;
      const digest = await artifactDigest(raw);
      const previous = (raw.approval ?? {}) as Record<string, unknown>;
      const approval = {
        state: "approved",
        by,
        at,
        digest,
        checklist,
        proposed_at: (previous.proposed_at as string | null | undefined) ?? null,
      };
      await atomicWriteJson(path, { ...raw, approval });
      approved.push({ artifact: kind, path: contract.paths[kind], digest, checklist });
    }
    return {
      contract: name,
      approved,
      by,
      at,
      findings: findings.filter((f) => f.severity !== "error"),
    };
  });
}
