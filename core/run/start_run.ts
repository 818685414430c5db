/**
 * `keel run start` / `run/start`: the gate. A run starts only when intent,
 * test contract and commit plan are all approved and unchanged since
 * approval; it then stamps the run's metadata and snapshots the contract.
 *
 * @module
 */

import { z } from "zod";
import { parseParams } from "../params.ts";
import { nameParam } from "../param_schemas.ts";
import { CommitPlan, Intent, type RunReport, TestContract } from "../../schemas/mod.ts";
import { SCHEMA_VERSION } from "../../schemas/common.ts";
import { contractStatus } from "../status/mod.ts";
import { requireApprovedContract } from "../contract/approval_gate.ts";
import {
  DEFAULT_CONTRACT,
  type KeelLayout,
  locateKeel,
  requireContract,
} from "../contract/layout.ts";
import { readContract } from "../contract/read_contract.ts";
import { attributesWithoutKeel, snapshotPreexisting } from "../drift/worktree_snapshot.ts";
import type { OpContext } from "../context.ts";
import { KeelError } from "../errors.ts";
import { openGit } from "../git/mod.ts";
import { withLock } from "../store/lock.ts";
import { ulid } from "../util/ulid.ts";
import { VERSION } from "../version.ts";
import { readActiveRun, runLockPath, writeActiveRun } from "./active_run.ts";
import { saveRunReport } from "./run_store.ts";

/** Params of {@link startRunOp}. */
export const StartRunParams = z.strictObject({
  contract: nameParam().optional().describe("Contract name (default: default)."),
  session: nameParam().optional().describe("Session id (default: $KEEL_SESSION or new)."),
  agent: nameParam().optional().describe("Agent name (default: $KEEL_AGENT)."),
  requireClean: z.boolean().optional().describe(
    "Refuse (WORKTREE_NOT_CLEAN) when files are already dirty or untracked.",
  ),
});

/**
 * Start a run.
 *
 * What is already dirty or untracked is snapshotted into the report's
 * `preexisting` (with content digests) so finish does not blame it on the
 * run; `requireClean` refuses instead.
 *
 * @param params `{contract?, session?, agent?, requireClean?}`.
 * @param ctx Operation context.
 * @param stamp What the run works on (`implement --run` stamps the mission, WP and lane).
 * @returns The new run report (state `running`).
 * @throws {KeelError} CONTRACT_NOT_APPROVED / CONTRACT_STALE (exit 1) naming
 *   each offending artifact; ARTIFACT_* (exit 3); RUN_ALREADY_ACTIVE (exit 4);
 *   REPO_NOT_FOUND outside a git repository.
 */
export async function startRunOp(
  params: z.input<typeof StartRunParams>,
  ctx: OpContext,
  stamp: { mission?: NonNullable<RunReport["meta"]["mission"]> } = {},
): Promise<RunReport> {
  params = parseParams(StartRunParams, params);
  const layout = locateKeel(ctx.cwd);
  const name = params.contract ?? DEFAULT_CONTRACT;
  requireContract(layout, name);
  await requireApprovedContract(layout, name);
  const git = await openGit(ctx.cwd, { backend: ctx.gitBackend });
  const [head, branch, worktree, status] = await Promise.all([
    git.head(),
    git.currentBranch(),
    git.worktreeRoot(),
    git.worktreeStatus(),
  ]);
  const [preexisting, attributes] = await Promise.all([
    snapshotPreexisting(worktree, status),
    attributesWithoutKeel(worktree),
  ]);
  if (params.requireClean && preexisting.length > 0) {
    throw new KeelError(
      "WORKTREE_NOT_CLEAN",
      `Cannot start a run: ${preexisting.length} path(s) already dirty or untracked: ` +
        preexisting.slice(0, 5).map((p) => `${p.path} (${p.state})`).join(", ") +
        (preexisting.length > 5 ? ` and ${preexisting.length - 5} more` : "") +
        `. Commit or stash them first.`,
      {
        data: {
          contract: name,
          preexisting: preexisting.map((p) => ({ path: p.path, state: p.state })),
        },
      },
    );
  }
  return await withLock(runLockPath(layout, name), async () => {
    const active = await readActiveRun(layout, name);
    if (active) {
      throw new KeelError(
        "RUN_ALREADY_ACTIVE",
        `Run ${active.run_id} is already active on contract "${name}"; finish it first`,
        { data: { contract: name, run_id: active.run_id } },
      );
    }
    // Re-read under the lock: the snapshot must be exactly what is approved now.
    const contract = await readContract(layout, name);
    // Status trusts approved content by its digest; the snapshot is checked against the schemas.
    for (const read of Object.values(contract.reads)) if (!read.ok) throw read.error;
    const fresh = await contractStatus(layout, name);
    if (fresh.some((s) => s.state !== "approved")) {
      throw new KeelError("STATE_CHANGED", `Contract "${name}" changed while starting the run`, {
        data: { path: `.keel/contracts/${name}` },
      });
    }
    const digestOf = (kind: "intent" | "tests" | "plan") =>
      fresh.find((s) => s.artifact === kind)!.digest!;
    const now = ctx.clock.now();
    const runId = ulid(now.getTime());
    const report: RunReport = {
      $schema: "../../schemas/run_report.schema.json",
      schema_version: SCHEMA_VERSION,
      run_id: runId,
      contract: name,
      state: "running",
      digests: { intent: digestOf("intent"), tests: digestOf("tests"), plan: digestOf("plan") },
      contract_snapshot: {
        intent: Intent.parse(contract.artifacts.intent),
        tests: TestContract.parse(contract.artifacts.tests),
        plan: CommitPlan.parse(contract.artifacts.plan),
      },
      meta: {
        branch,
        worktree,
        base_commit: head,
        session_id: params.session ?? ctx.env.KEEL_SESSION ?? ulid(now.getTime()),
        agent: params.agent ?? ctx.env.KEEL_AGENT ?? null,
        host: _hostname(),
        pid: Deno.pid,
        started_at: now.toISOString(),
        finished_at: null,
        keel_version: VERSION,
        git_backend: git.backend,
        gitattributes_sha256: attributes,
        ...(stamp.mission === undefined ? {} : { mission: stamp.mission }),
      },
      preexisting,
      tests: [],
      commits: [],
      files: [],
      findings: [],
      deviations: [],
      verdict: null,
    };
    await saveRunReport(layout, report);
    await writeActiveRun(layout, name, { run_id: runId, started_at: report.meta.started_at });
    return report;
  });
}

/**
 * The layout for run commands (re-exported for the other run operations).
 *
 * @param ctx Operation context.
 * @returns The layout.
 */
export function runLayout(ctx: OpContext): KeelLayout {
  return locateKeel(ctx.cwd);
}

function _hostname(): string {
  try {
    return Deno.hostname();
  } catch {
    return "unknown";
  }
}
