/**
 * `keel verify` / `run/verify`: re-check a finished run against the
 * repository and its evidence, so a report edited after the fact shows.
 *
 * @module
 */

import { join } from "../util/posix_path.ts";
import { z } from "zod";
import { parseParams } from "../params.ts";
import { nameParam } from "../param_schemas.ts";
import type { RunReport } from "../../schemas/run_report.ts";
import { artifactDigest } from "../contract/digest.ts";
import { locateKeel } from "../contract/layout.ts";
import type { OpContext } from "../context.ts";
import { computeVerdict } from "../drift/compute_verdict.ts";
import { KeelError } from "../errors.ts";
import { openGit } from "../git/mod.ts";
import { sha256File } from "../util/sha256.ts";
import { listRunIds, loadRunReport, runDir } from "./run_store.ts";
import { runSeal } from "./seal.ts";

/** Params of {@link verifyRunOp}. */
export const VerifyRunParams = z.strictObject({
  run: nameParam().optional().describe("Run id (default: the latest finished run)."),
  contract: nameParam().optional().describe("Only runs of this contract."),
});

/** The codes a verification problem can carry. */
export type VerifyCode =
  | "EVIDENCE_DIGEST_MISMATCH"
  | "EVIDENCE_MISSING"
  | "RUN_COMMIT_MISSING"
  | "RUN_COMMIT_OUT_OF_RANGE"
  | "RUN_SNAPSHOT_MISMATCH"
  | "RUN_REPORT_SEAL_MISMATCH";

/** One thing that no longer holds. */
export interface VerifyProblem {
  code: VerifyCode;
  message: string;
  /** Evidence file (relative to the run dir), artifact or report field. */
  subject: string;
}

/** Result of {@link verifyRunOp}. */
export interface VerifyRunResult {
  run_id: string;
  contract: string;
  /** No problem found. */
  ok: boolean;
  /** The report carries a seal (runs finished by older keel versions do not). */
  sealed: boolean;
  checked: { evidence_files: number; commits: number; artifacts: number };
  problems: VerifyProblem[];
}

/**
 * Verify a finished run: its seal and verdict, every evidence file against
 * its recorded sha256, every reported commit exists and lies in the
 * recorded range base..head, and the contract snapshot against the digests
 * approved at run start.
 *
 * @param params `{run?, contract?}`.
 * @param ctx Operation context.
 * @returns The problems found (`ok` when none); the CLI exits 1 unless ok.
 * @throws {KeelError} RUN_NOT_FOUND, RUN_REPORT_INVALID, RUN_NOT_FINISHED.
 */
export async function verifyRunOp(
  params: z.input<typeof VerifyRunParams>,
  ctx: OpContext,
): Promise<VerifyRunResult> {
  params = parseParams(VerifyRunParams, params);
  const p = VerifyRunParams.parse(params);
  const layout = locateKeel(ctx.cwd);
  const report = await _select(layout, p);
  if (report.state !== "finished") {
    throw new KeelError(
      "RUN_NOT_FINISHED",
      `Run ${report.run_id} is still running; verify checks finished runs`,
      { data: { run_id: report.run_id } },
    );
  }
  const problems: VerifyProblem[] = [];
  const add = (code: VerifyCode, subject: string, message: string) =>
    problems.push({ code, subject, message });

  if (report.seal !== undefined && (await runSeal(report)) !== report.seal) {
    add(
      "RUN_REPORT_SEAL_MISMATCH",
      "run_report.json",
      `run_report.json was edited after finish: its content no longer matches its seal`,
    );
  }
  const verdict = computeVerdict(report.findings, report.deviations);
  if (report.verdict !== verdict) {
    add(
      "RUN_REPORT_SEAL_MISMATCH",
      "verdict",
      `The report says ${report.verdict} but its findings and deviations make it ${verdict}`,
    );
  }

  let artifacts = 0;
  for (const kind of ["intent", "tests", "plan"] as const) {
    artifacts++;
    const snap = report.contract_snapshot[kind] as unknown as Record<string, unknown>;
    if ((await artifactDigest(snap)) !== report.digests[kind]) {
      add(
        "RUN_SNAPSHOT_MISMATCH",
        `contract_snapshot.${kind}`,
        `The ${kind} snapshot no longer matches the digest approved at run start ` +
          `(${report.digests[kind].slice(0, 12)})`,
      );
    }
  }

  const dir = runDir(layout, report.run_id);
  const files = new Map<string, string>();
  for (const t of report.tests) {
    if (t.evidence && t.sha256) files.set(t.evidence, t.sha256);
  }
  for (const i of report.imports ?? []) {
    files.set(i.evidence, i.sha256);
    if (i.detail && i.detail_sha256) files.set(i.detail, i.detail_sha256);
  }
  for (const [rel, want] of files) {
    if (rel.includes("..") || rel.startsWith("/")) {
      add("EVIDENCE_MISSING", rel, `Evidence path ${rel} is not inside the run folder`);
      continue;
    }
    const got = await sha256File(join(dir, rel));
    if (got === null) {
      add("EVIDENCE_MISSING", rel, `Evidence file .keel/runs/${report.run_id}/${rel} is gone`);
    } else if (got !== want) {
      add(
        "EVIDENCE_DIGEST_MISMATCH",
        rel,
        `Evidence file .keel/runs/${report.run_id}/${rel} changed after it was recorded ` +
          `(sha256 ${got.slice(0, 12)}, recorded ${want.slice(0, 12)})`,
      );
    }
  }

  const base = report.meta.base_commit;
  const head = report.analysis?.head ?? null;
  if (report.commits.length > 0) {
    const git = await openGit(ctx.cwd, { backend: ctx.gitBackend });
    const baseIsAncestor = report.analysis?.base_is_ancestor ?? true;
    for (const c of report.commits) {
      const sha = await git.resolveRef(c.sha).catch(() => null);
      if (sha === null) {
        add(
          "RUN_COMMIT_MISSING",
          c.sha,
          `Commit ${c.sha.slice(0, 12)} "${c.subject}" does not exist`,
        );
        continue;
      }
      const inRange = head !== null && sha !== base &&
        (await git.isAncestor(sha, head).catch(() => false)) &&
        (base === null || !baseIsAncestor || !(await git.isAncestor(sha, base).catch(() => true)));
      if (!inRange) {
        add(
          "RUN_COMMIT_OUT_OF_RANGE",
          c.sha,
          `Commit ${c.sha.slice(0, 12)} is not in the recorded range ` +
            `${base?.slice(0, 12) ?? "(none)"}..${head?.slice(0, 12) ?? "(none)"}`,
        );
      }
    }
  }
  return {
    run_id: report.run_id,
    contract: report.contract,
    ok: problems.length === 0,
    sealed: report.seal !== undefined,
    checked: { evidence_files: files.size, commits: report.commits.length, artifacts },
    problems,
  };
}

async function _select(
  layout: ReturnType<typeof locateKeel>,
  p: { run?: string | undefined; contract?: string | undefined },
): Promise<RunReport> {
  if (p.run !== undefined) return await loadRunReport(layout, p.run);
  for (const id of listRunIds(layout).reverse()) {
    const r = await loadRunReport(layout, id).catch(() => null);
    if (r && r.state === "finished" && (p.contract === undefined || r.contract === p.contract)) {
      return r;
    }
  }
  throw new KeelError(
    "RUN_NOT_FOUND",
    p.contract === undefined ? "No finished run to verify" : `No finished run of "${p.contract}"`,
    { data: { available: listRunIds(layout) } },
  );
}
