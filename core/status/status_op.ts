/**
 * `keel status` / `contract/status`: draft, approved or stale per artifact,
 * the active run and the latest finished run.
 *
 * Status runs after every step of an agent, so it loads no zod when it does
 * not need to. The rule, in one place:
 *
 * - An artifact whose approval block is well formed (exactly what the
 *   `Approval` schema accepts, checked by `isApprovalBlock`), whose state is
 *   `approved` and whose content digest equals the approved digest is the
 *   very content that `keel approve` validated against its schema, so status
 *   reports it `approved` without applying the schema again.
 * - Every other artifact (draft, stale, approval block malformed) is
 *   validated with its zod schema, loaded then, and reported exactly as
 *   before: `invalid` with ARTIFACT_SCHEMA_INVALID when the schema refuses
 *   it. A file that is missing or not JSON is `missing` / `invalid` without
 *   any schema.
 * - The latest finished run is the newest run report (by run id) that parses
 *   as JSON and whose `contract`, `state`, `run_id`, `verdict` and
 *   `meta.finished_at` are what status prints, well typed; the rest of the
 *   report is not validated here (`keel run show` and `keel verify` do).
 *
 * So content that was approved and then made schema-invalid by a hand edit
 * that also rewrote the digest reads as approved here; `keel validate`,
 * `keel run start` and `keel approve` apply the schema in full.
 *
 * @module
 */

import type { z } from "zod";
import type { OpContext } from "../context.ts";
import { approvalState } from "../contract/digest.ts";
import {
  type ArtifactKind,
  artifactPath,
  ARTIFACTS,
  DEFAULT_CONTRACT,
  type KeelLayout,
  locateKeel,
  requireContract,
} from "../contract/layout.ts";
import { applyArtifactSchema, readArtifactJson } from "../contract/load_artifact.ts";
import type { KeelError } from "../errors.ts";
import { readActiveRun } from "../run/active_run.ts";
import { listRunIds, runReportPath } from "../run/run_paths.ts";
import { relative } from "../util/posix_path.ts";
import type { Approval } from "../../schemas/approval.ts";
import { isApprovalBlock } from "../../schemas/approval_shape.ts";
import type { StatusParamsInput } from "./params.ts";
import { STATUS_RULES } from "./param_rules.ts";
import { checkParams } from "../params.ts";

/** The state of one artifact. */
export interface ArtifactStatus {
  artifact: ArtifactKind;
  path: string;
  /** `missing` and `invalid` mean the file cannot be used at all. */
  state: "draft" | "approved" | "stale" | "missing" | "invalid";
  /** Digest of the current content (null when unreadable). */
  digest: string | null;
  /** Digest recorded at approval. */
  approved_digest: string | null;
  approved_by: string | null;
  approved_at: string | null;
  /** Why the file is invalid. */
  error: { code: string; message: string } | null;
}

/** Result of {@link statusOp}. */
export interface StatusResult {
  contract: string;
  artifacts: ArtifactStatus[];
  /** All three approved and unchanged since approval. */
  ready: boolean;
  active_run: { run_id: string; started_at: string } | null;
  /** The contract's latest finished run, so "ready" never reads as "nothing happened yet". */
  last_finished_run: {
    run_id: string;
    verdict: "aligned" | "drifted" | null;
    finished_at: string | null;
  } | null;
}

/** Each artifact's zod schema, loaded only when an artifact must be validated. */
async function _schemaOf(kind: ArtifactKind): Promise<z.ZodType> {
  switch (kind) {
    case "intent":
      return (await import("../../schemas/intent.ts")).Intent;
    case "tests":
      return (await import("../../schemas/test_contract.ts")).TestContract;
    case "plan":
      return (await import("../../schemas/commit_plan.ts")).CommitPlan;
  }
}

function _unusable(kind: ArtifactKind, path: string, error: KeelError): ArtifactStatus {
  return {
    artifact: kind,
    path,
    state: error.code === "ARTIFACT_NOT_FOUND" ? "missing" : "invalid",
    digest: null,
    approved_digest: null,
    approved_by: null,
    approved_at: null,
    error: { code: error.code, message: error.message },
  };
}

function _object(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

async function _artifactStatus(
  layout: KeelLayout,
  name: string,
  kind: ArtifactKind,
): Promise<ArtifactStatus> {
  const abs = artifactPath(layout, name, kind);
  const path = relative(layout.root, abs);
  const json = await readArtifactJson(abs, { display: path });
  if (!json.ok) return _unusable(kind, path, json.error);
  // What the schema would accept once it has run (checked below when not trusted).
  const raw = json.raw as Record<string, unknown> & { approval: Approval };
  const trusted = _object(json.raw) && isApprovalBlock(raw.approval);
  const approval = trusted ? await approvalState(raw) : null;
  if (approval?.state !== "approved") {
    // Draft, stale or malformed: the schema decides whether the file is usable.
    const r = applyArtifactSchema(json, await _schemaOf(kind), { display: path });
    if (!r.ok) return _unusable(kind, path, r.error);
  }
  const { state, digest } = approval ?? await approvalState(raw);
  return {
    artifact: kind,
    path,
    state,
    digest,
    approved_digest: raw.approval.digest,
    approved_by: raw.approval.by,
    approved_at: raw.approval.at,
    error: null,
  };
}

/**
 * The approval state of a contract's artifacts.
 *
 * @param layout Where .keel is.
 * @param name Contract name.
 * @returns Per-artifact status, in the order intent, tests, plan.
 * @throws {KeelError} PATH_OUTSIDE_REPO when an artifact path leaves the repository.
 */
export async function contractStatus(
  layout: KeelLayout,
  name: string,
): Promise<ArtifactStatus[]> {
  return await Promise.all(ARTIFACTS.map((kind) => _artifactStatus(layout, name, kind)));
}

/**
 * The contract's latest finished run: the newest report that names the
 * contract, is finished, and has the fields status prints well typed.
 *
 * @param layout Where .keel is.
 * @param name Contract name.
 * @returns The run, or null.
 */
async function _lastFinishedRun(
  layout: KeelLayout,
  name: string,
): Promise<StatusResult["last_finished_run"]> {
  for (const id of listRunIds(layout).reverse()) {
    const json = await (async () => {
      const display = `.keel/runs/${id}/run_report.json`;
      return await readArtifactJson(runReportPath(layout, id), { display });
    })().catch(() => null);
    if (!json?.ok || !_object(json.raw)) continue;
    const r = json.raw;
    if (r.contract !== name || r.state !== "finished" || typeof r.run_id !== "string") continue;
    if (r.verdict !== null && r.verdict !== "aligned" && r.verdict !== "drifted") continue;
    if (!_object(r.meta)) continue;
    const finished = r.meta.finished_at;
    if (finished !== null && typeof finished !== "string") continue;
    return { run_id: r.run_id, verdict: r.verdict, finished_at: finished };
  }
  return null;
}

/**
 * Status of a contract.
 *
 * @param params `{contract?}`.
 * @param ctx Operation context.
 * @returns The status.
 * @throws {KeelError} CONTRACT_NOT_FOUND.
 */
export async function statusOp(
  params: StatusParamsInput,
  ctx: OpContext,
): Promise<StatusResult> {
  checkParams(params, STATUS_RULES);
  const layout = locateKeel(ctx.cwd);
  const name = params.contract ?? DEFAULT_CONTRACT;
  requireContract(layout, name);
  const artifacts = await contractStatus(layout, name);
  const active = await readActiveRun(layout, name);
  const last = await _lastFinishedRun(layout, name);
  return {
    contract: name,
    artifacts,
    ready: artifacts.every((a) => a.state === "approved"),
    active_run: active,
    last_finished_run: last,
  };
}
