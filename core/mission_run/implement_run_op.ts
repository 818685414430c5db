/**
 * `keel implement --run` / `mission/implement` with `run: true`: claim the
 * WP, prepare its lane workspace, and start a keel run there on the WP's
 * approved contract (`<mission>-<wp>`), stamped with the mission, WP and
 * lane; the result carries the brief for the agent. Without an approved
 * contract the claim and the workspace stand and the result says why no run
 * started.
 *
 * The contract is approved in the main checkout (where `keel approve
 * --mission` and `keel init --from-wp` write it). A lane worktree that lacks
 * it gets a byte-identical copy under `.keel/contracts/<name>/`, committed on
 * the lane branch before the run starts (keel's own files never count as
 * touched by the run); a worktree holding a different version is not
 * overwritten and no run starts.
 *
 * @module
 */

import { checkParams } from "../params.ts";
import { join } from "node:path";
import { briefOp, type BriefResult } from "../brief/mod.ts";
import { wpContractName } from "../contract/drafts_from_wp.ts";
import {
  ARTIFACT_FILES,
  ARTIFACTS,
  contractDir,
  ensureKeelGitignore,
  locateKeel,
  requireApprovedContract,
  requireContract,
} from "../contract/mod.ts";
import type { OpContext } from "../context.ts";
import { isKeelError, KeelError } from "../errors.ts";
import { runGit } from "../gates/git_cli.ts";
import {
  IMPLEMENT_RULES,
  implementOp,
  type ImplementParamsInput,
  type ImplementResult,
} from "../mission/mod.ts";
import { readActiveRun, startRunOp } from "../run/mod.ts";
import { atomicWriteText } from "../store/mod.ts";
import { safeReadTextFile } from "../store/safe_file.ts";

/** The run `implement --run` started (or found active). */
export interface ImplementRun {
  /** `started`, or `active` (a run on the contract was already active in the workspace). */
  action: "started" | "active";
  /** The run id. */
  run_id: string;
  /** The contract name. */
  contract: string;
  /** Absolute path of the worktree the run lives in. */
  worktree: string;
  /** Whether keel copied the approved contract into the lane. */
  contract_copied: boolean;
  /** Whether that copy was committed on the lane branch (false when `.keel` is git-ignored there). */
  contract_committed: boolean;
}

/** Why no run started. */
export interface NoRun {
  /** A keel error code (`CONTRACT_NOT_FOUND`, `CONTRACT_NOT_APPROVED`, `CONTRACT_STALE`, `CONTRACT_DIFFERS_IN_WORKSPACE`, …). */
  code: string;
  /** In words, with what to do. */
  message: string;
}

/** Result of {@link implementRunOp}. */
export interface ImplementRunResult extends ImplementResult {
  /** The contract name of the WP. */
  contract: string;
  /** The run, or null. */
  run: ImplementRun | null;
  /** Why no run started, or null. */
  no_run: NoRun | null;
  /** The brief of the contract (null when no run started). */
  brief: BriefResult | null;
}

/**
 * `mission/implement`: claim (and prepare the workspace); with `run: true`
 * also start the run.
 *
 * @param params `{mission, agent, wp?, workspace?, run?}`.
 * @param ctx The operation context.
 * @returns The claim, and with `run` the run.
 * @throws {KeelError} `USAGE` for `run` without a workspace; whatever
 *   `implementOp` throws.
 */
export async function implementWithRunOp(
  params: ImplementParamsInput & { run?: boolean | undefined },
  ctx: OpContext,
): Promise<ImplementResult | ImplementRunResult> {
  checkParams(params, { ...IMPLEMENT_RULES, run: "boolean?" });
  const { run, ...claim } = params;
  if (run !== true) return await implementOp(claim, ctx);
  return await implementRunOp(claim, ctx);
}

/**
 * Claim, prepare the workspace, and start the WP's run there.
 *
 * @param params `{mission, agent, wp?}` (`workspace: false` is refused).
 * @param ctx The operation context.
 * @returns The claim, the run (or why none), and the brief.
 * @throws {KeelError} `USAGE` with `workspace: false`; whatever `implementOp`
 *   throws (nothing is claimed then).
 */
export async function implementRunOp(
  params: ImplementParamsInput,
  ctx: OpContext,
): Promise<ImplementRunResult> {
  if (params.workspace === false) {
    throw new KeelError("USAGE", "--run needs the workspace: drop --no-workspace", { data: {} });
  }
  const claim = await implementOp(params, ctx);
  const ws = claim.workspace!;
  const name = wpContractName(claim.mission_slug, claim.wp_id);
  const noRun = (code: string, message: string): ImplementRunResult => ({
    ...claim,
    contract: name,
    run: null,
    no_run: { code, message },
    brief: null,
  });
  const main = locateKeel(_repoRootOf(ws.abs_path, ws.path));
  const fix = `keel approve --mission ${claim.mission_slug} --by WHO`;
  try {
    requireContract(main, name);
    await requireApprovedContract(main, name, { action: "start a run" });
  } catch (error) {
    if (!isKeelError(error)) throw error;
    if (error.code === "CONTRACT_NOT_FOUND") {
      return noRun(
        error.code,
        `No contract "${name}" for ${claim.wp_id}: no run started. Draft and approve it (${fix}, or keel init --from-wp ${claim.mission_slug}:${claim.wp_id} then keel approve all --contract ${name}), then run implement --run again.`,
      );
    }
    return noRun(error.code, `${error.message} No run started.`);
  }
  const wsLayout = locateKeel(ws.abs_path);
  let copied = false;
  let committed = false;
  if (wsLayout.root !== main.root) {
    const differs: string[] = [];
    const missing: string[] = [];
    for (const kind of ARTIFACTS) {
      const rel = `.keel/contracts/${name}/${ARTIFACT_FILES[kind]}`;
      const mine = await safeReadTextFile(join(contractDir(main, name), ARTIFACT_FILES[kind]));
      let theirs: string | null = null;
      try {
        const info = await Deno.lstat(join(contractDir(wsLayout, name), ARTIFACT_FILES[kind]));
        theirs = info.isFile
          ? await safeReadTextFile(join(contractDir(wsLayout, name), ARTIFACT_FILES[kind]))
          : "";
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
      if (theirs === null) missing.push(kind);
      else if (theirs !== mine) differs.push(rel);
    }
    if (differs.length > 0 || (missing.length > 0 && missing.length < ARTIFACTS.length)) {
      return noRun(
        "CONTRACT_DIFFERS_IN_WORKSPACE",
        `The workspace ${ws.path} holds a different version of contract "${name}" (${
          differs.length > 0 ? differs.join(", ") : `missing ${missing.join(", ")}`
        }); keel does not overwrite it. Reconcile it with the approved contract in the main checkout: no run started.`,
      );
    }
    if (missing.length === ARTIFACTS.length) {
      for (const kind of ARTIFACTS) {
        const text = await safeReadTextFile(join(contractDir(main, name), ARTIFACT_FILES[kind]));
        await atomicWriteText(join(contractDir(wsLayout, name), ARTIFACT_FILES[kind]), text);
      }
      await ensureKeelGitignore(wsLayout);
      const paths = [`.keel/contracts/${name}`, ".keel/.gitignore"];
      const ignored = await runGit(["check-ignore", "-q", "--", paths[0]!], ws.abs_path);
      if (ignored.code !== 0) {
        const add = await runGit(["add", "--", ...paths], ws.abs_path);
        const args = ["commit", "-m", `keel: approved contract ${name} for ${claim.wp_id}`, "--"];
        const commit = add.code === 0 ? await runGit([...args, ...paths], ws.abs_path) : add;
        if (commit.code !== 0) {
          throw new KeelError(
            "GIT_FAILED",
            `Could not commit contract "${name}" in ${ws.path}: ${commit.stderr.trim()}`,
            { data: { args: [...args, ...paths], stderr: commit.stderr } },
          );
        }
        committed = true;
      }
      copied = true;
    }
  }
  const wsCtx: OpContext = { ...ctx, cwd: ws.abs_path };
  let run: ImplementRun;
  try {
    const report = await startRunOp({ contract: name, agent: claim.agent }, wsCtx, {
      mission: {
        slug: claim.mission_slug,
        mission_id: claim.mission_id,
        wp_id: claim.wp_id,
        lane_id: claim.lane_id,
      },
    });
    run = {
      action: "started",
      run_id: report.run_id,
      contract: name,
      worktree: ws.abs_path,
      contract_copied: copied,
      contract_committed: committed,
    };
  } catch (error) {
    if (!isKeelError(error)) throw error;
    if (error.code !== "RUN_ALREADY_ACTIVE") {
      return noRun(error.code, `${error.message} No run started.`);
    }
    const active = await readActiveRun(wsLayout, name);
    run = {
      action: "active",
      run_id: active?.run_id ?? String(error.data.run_id),
      contract: name,
      worktree: ws.abs_path,
      contract_copied: copied,
      contract_committed: committed,
    };
  }
  const brief = await briefOp({ contract: name }, wsCtx);
  return { ...claim, contract: name, run, no_run: null, brief };
}

/** The repository root from a worktree's absolute path and its repo-relative path. */
function _repoRootOf(abs: string, rel: string): string {
  const depth = rel.split("/").filter((s) => s !== "" && s !== ".").length;
  let out = abs;
  for (let i = 0; i < depth; i++) out = out.slice(0, out.lastIndexOf("/")) || "/";
  return out;
}
