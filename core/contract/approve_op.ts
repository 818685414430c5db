/**
 * `keel approve` / `contract/approve`: validate, run the checklist, and bind
 * the approval to the content digest. Refuses when anything fails.
 *
 * @module
 */

import { gitIdentity } from "../git/mod.ts";
import { join } from "../util/mod.ts";
import { z } from "zod";
import { parseParams } from "../params.ts";
import { nameParam } from "../param_schemas.ts";
import type { Finding } from "../../schemas/run_report.ts";
import type { OpContext } from "../context.ts";
import { KeelError } from "../errors.ts";
import { atomicWriteJson } from "../store/mod.ts";
import { withLock } from "../store/mod.ts";
import { readKeelConfig } from "./config.ts";
import { type ChecklistResult, evaluateChecklist } from "./checklist.ts";
import { artifactDigest } from "../artifact/mod.ts";
import {
  ARTIFACT_FILES,
  type ArtifactKind,
  artifactPath,
  ARTIFACTS,
  DEFAULT_CONTRACT,
  type KeelLayout,
  locateKeel,
  requireContract,
} from "../layout/mod.ts";
import { lessonFindingsFor } from "./lesson_hook.ts";
import { readContract } from "./read_contract.ts";
import { validateContract } from "./validate_contract.ts";
import { safeReadTextFile } from "../store/mod.ts";

/** Params of {@link approveOp}. */
export const ApproveParams = z.strictObject({
  artifact: z.enum(["intent", "tests", "plan", "all"]).describe("What to approve."),
  by: nameParam().describe("Who approves."),
  contract: nameParam().optional().describe("Contract name (default: default)."),
  allowPlaceholders: z.boolean().optional().describe(
    "Approve although fields still hold the placeholder text `keel init` wrote.",
  ),
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
  /** git user.name / user.email where the approval was made (null when unset). */
  git_user: { name: string | null; email: string | null };
  /** The operating-system user. */
  os_user: string | null;
  /** Warnings and infos seen while approving (errors refuse). */
  findings: Finding[];
}

/**
 * Approve one artifact or all three.
 *
 * @param params `{artifact, by, contract?}`.
 * @param ctx Operation context.
 * @returns What was approved.
 * Placeholder text `keel init` wrote (`PLACEHOLDER_TEXT`) is an error at
 * approval unless `allowPlaceholders`. The approval records `by`, the git
 * identity and the OS user; when `.keel/config.json` lists `approvers`,
 * anyone else is refused.
 *
 * @throws {KeelError} CONTRACT_INVALID (exit 1) with the failing findings and
 *   checklist items; APPROVER_NOT_ALLOWED (exit 1); ARTIFACT_* (exit 3) when an artifact cannot be read;
 *   STATE_CHANGED (exit 4) when a file changed while approving.
 */
export async function approveOp(
  params: z.input<typeof ApproveParams>,
  ctx: OpContext,
): Promise<ApproveResult> {
  params = parseParams(ApproveParams, params);
  const by = params.by.trim();
  if (by === "") {
    throw new KeelError("USAGE", "--by needs a name", { data: {} });
  }
  const layout = locateKeel(ctx.cwd);
  const name = params.contract ?? DEFAULT_CONTRACT;
  requireContract(layout, name);
  const gitUser = await gitIdentity(ctx.cwd, ctx.gitBackend);
  const osUser = _osUser(ctx);
  const approvers = await loadApprovers(layout);
  if (approvers !== null && !approvers.some((a) => _approverMatches(a, by, gitUser.email))) {
    throw new KeelError(
      "APPROVER_NOT_ALLOWED",
      `${by}${gitUser.email ? ` <${gitUser.email}>` : ""} may not approve: .keel/config.json ` +
        `allows only ${approvers.join(", ")}`,
      { data: { by, git_user: gitUser, approvers } },
    );
  }
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
    ].map((f) =>
      f.code === "PLACEHOLDER_TEXT" && !params.allowPlaceholders
        ? {
          ...f,
          severity: "error" as const,
          message: `${f.message}; approval refuses placeholders (edit it, or pass ` +
            `--allow-placeholders)`,
        }
        : f
    );
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
        git_user: gitUser,
        os_user: osUser,
        ...(findings.some((f) =>
            f.code === "PLACEHOLDER_TEXT" && (f.location ?? "").startsWith(ARTIFACT_FILES[kind])
          )
          ? { placeholders_allowed: true }
          : {}),
      };
      await atomicWriteJson(path, { ...raw, approval });
      approved.push({ artifact: kind, path: contract.paths[kind], digest, checklist });
    }
    return {
      contract: name,
      approved,
      by,
      at,
      git_user: gitUser,
      os_user: osUser,
      findings: findings.filter((f) => f.severity !== "error"),
    };
  });
}

/**
 * The `approvers` list of `.keel/config.json`, or null when there is none.
 *
 * @param layout Where .keel is.
 * @returns The list.
 * @throws {KeelError} CONFIG_INVALID.
 */
export async function loadApprovers(layout: KeelLayout): Promise<string[] | null> {
  return (await readKeelConfig(layout))?.approvers ?? null;
}

function _approverMatches(entry: string, by: string, email: string | null): boolean {
  const m = /^(.*?)\s*<([^>]*)>\s*$/.exec(entry.trim());
  if (m === null) return entry.trim() === by;
  return m[1]!.trim() === by && email !== null &&
    m[2]!.trim().toLowerCase() === email.toLowerCase();
}

function _osUser(ctx: OpContext): string | null {
  const env = ctx.env.USER ?? ctx.env.LOGNAME ?? ctx.env.USERNAME;
  if (env) return env;
  try {
    const uid = Deno.uid();
    return uid === null ? null : `uid ${uid}`;
  } catch {
    return null;
  }
}
