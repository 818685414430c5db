/**
 * `keel approve --mission H --by WHO`: one contract per WP of a mission,
 * drafted as `init --from-wp` drafts it (lane write scope, subtasks as units,
 * the acceptance criteria's test commands) and approved in one step, each
 * bound to its digest.
 *
 * A WP whose contract `<mission>-<wp>` already exists keeps it: an approved,
 * fresh one is reported as such; a draft (possibly edited) is approved as it
 * stands. Missing contracts are drafted first. Every WP is checked before any
 * is approved: if one would be refused (placeholders, checklist, findings)
 * none is approved, the drafts stay for editing, and the refusal lists every
 * WP and what fails.
 *
 * @module
 */

import { join } from "node:path";
import { openMission } from "../mission/mod.ts";
import type { z } from "zod";
import { parseParams } from "../params.ts";
import { ApproveMissionParams } from "./params.ts";
import type { OpContext } from "../context.ts";
import { isKeelError, KeelError } from "../errors.ts";
import { safeReadTextFile } from "../store/mod.ts";
import { draftsFromWp, wpContractName } from "../contract/drafts_from_wp.ts";
import {
  approveOp,
  contractDir,
  contractStatus,
  locateKeel,
  readContract,
  writeContract,
} from "../contract/mod.ts";

/** What was approved for one WP. */
export interface MissionWpApproval {
  wp_id: string;
  contract: string;
  /** `approved` now, or `already_approved` (approved and fresh before). */
  status: "approved" | "already_approved";
  /** Whether keel drafted the contract in this call. */
  drafted: boolean;
  /** The scope (intent `allowed_files`). */
  allowed_files: string[];
  /** The units (commit plan), id and summary. */
  units: { id: string; summary: string }[];
  /** The tests, id and command. */
  tests: { id: string; command: string | null }[];
  /** Digest of each artifact. */
  digests: { intent: string; tests: string; plan: string };
}

/** Result of {@link approveMissionOp}. */
export interface ApproveMissionResult {
  mission_slug: string;
  by: string;
  wps: MissionWpApproval[];
}

/**
 * Draft (where missing) and approve one contract per WP.
 *
 * @param params `{mission, by, allowPlaceholders?}`.
 * @param ctx The operation context.
 * @returns Per WP: what was approved.
 * @throws {KeelError} `CONTRACT_INVALID` `{mission_slug, failing: [{wp_id,
 *   contract, failing}]}` when any WP's contract would be refused (none is
 *   approved then); the mission reader's codes; `APPROVER_NOT_ALLOWED`.
 */
export async function approveMissionOp(
  params: z.input<typeof ApproveMissionParams>,
  ctx: OpContext,
): Promise<ApproveMissionResult> {
  params = parseParams(ApproveMissionParams, params);
  const by = params.by.trim();
  if (by === "") throw new KeelError("USAGE", "--by needs a name", { data: {} });
  const mission = await openMission(ctx.cwd, params.mission);
  const layout = locateKeel(mission.repoRoot);
  const wpCtx: OpContext = { ...ctx, cwd: mission.repoRoot };
  const wps = mission.wps.filter((w) => w.id !== null);
  if (wps.length === 0) {
    throw new KeelError("WP_NOT_FOUND", `Mission ${mission.slug} has no work package with an id`, {
      data: { wp_id: null, available: [] },
    });
  }
  const plan: { wpId: string; name: string; drafted: boolean; fresh: boolean }[] = [];
  const proposedAt = ctx.clock.now().toISOString();
  for (const wp of wps) {
    const wpId = wp.id!;
    const name = wpContractName(mission.slug, wpId);
    const exists = await Deno.lstat(contractDir(layout, name)).then(() => true, () => false);
    if (!exists) {
      const text = await safeReadTextFile(join(mission.dir, "tasks", wp.file));
      const drafts = draftsFromWp(mission, { wpId, text, proposedAt });
      await writeContract(layout, name, { drafts, force: false });
      plan.push({ wpId, name, drafted: true, fresh: false });
      continue;
    }
    const statuses = await contractStatus(layout, name);
    plan.push({
      wpId,
      name,
      drafted: false,
      fresh: statuses.every((s) => s.state === "approved"),
    });
  }
  // Check every WP before approving any: a dry approval per contract.
  const failing: { wp_id: string; contract: string; message: string; failing: unknown }[] = [];
  for (const p of plan) {
    if (p.fresh) continue;
    const problem = await _wouldRefuse(layout.root, p.name, by, params.allowPlaceholders, wpCtx);
    if (problem !== null) failing.push({ wp_id: p.wpId, contract: p.name, ...problem });
  }
  if (failing.length > 0) {
    throw new KeelError(
      "CONTRACT_INVALID",
      `Cannot approve mission ${mission.slug}: ${failing.length} of ${plan.length} WP contract(s) ` +
        `would be refused; none was approved (drafts are in .keel/contracts/ for editing):\n  ` +
        failing.map((f) => `${f.wp_id} (${f.contract}): ${f.message.replaceAll("\n", "\n    ")}`)
          .join("\n  "),
      { data: { mission_slug: mission.slug, failing } },
    );
  }
  const out: MissionWpApproval[] = [];
  for (const p of plan) {
    if (!p.fresh) {
      await approveOp({
        artifact: "all",
        by,
        contract: p.name,
        ...(params.allowPlaceholders ? { allowPlaceholders: true } : {}),
      }, wpCtx);
    }
    const c = await readContract(layout, p.name);
    const statuses = await contractStatus(layout, p.name);
    const digest = (k: "intent" | "tests" | "plan") =>
      statuses.find((s) => s.artifact === k)?.digest ?? "";
    const a = c.artifacts as {
      intent: { allowed_files?: string[] };
      tests: { tests?: { id: string; command?: string }[] };
      plan: { units?: { id: string; summary: string }[] };
    };
    out.push({
      wp_id: p.wpId,
      contract: p.name,
      status: p.fresh ? "already_approved" : "approved",
      drafted: p.drafted,
      allowed_files: a.intent.allowed_files ?? [],
      units: (a.plan.units ?? []).map((u) => ({ id: u.id, summary: u.summary })),
      tests: (a.tests.tests ?? []).map((t) => ({ id: t.id, command: t.command ?? null })),
      digests: { intent: digest("intent"), tests: digest("tests"), plan: digest("plan") },
    });
  }
  return { mission_slug: mission.slug, by, wps: out };
}

/**
 * Whether approving a contract would be refused, without approving it: the
 * approval runs on a scratch copy of `.keel/contracts/<name>` in a temporary
 * folder.
 */
async function _wouldRefuse(
  root: string,
  name: string,
  by: string,
  allowPlaceholders: boolean | undefined,
  ctx: OpContext,
): Promise<{ message: string; failing: unknown } | null> {
  const scratch = await Deno.makeTempDir({ prefix: "keel-approve-mission-" });
  try {
    const from = join(root, ".keel", "contracts", name);
    const to = join(scratch, ".keel", "contracts", name);
    await Deno.mkdir(to, { recursive: true });
    for await (const e of Deno.readDir(from)) {
      if (e.isFile) await Deno.copyFile(join(from, e.name), join(to, e.name));
    }
    try {
      const config = join(root, ".keel", "config.json");
      await Deno.copyFile(config, join(scratch, ".keel", "config.json"));
    } catch {
      // no config
    }
    await approveOp({
      artifact: "all",
      by,
      contract: name,
      ...(allowPlaceholders ? { allowPlaceholders: true } : {}),
    }, { ...ctx, cwd: scratch });
    return null;
  } catch (error) {
    if (isKeelError(error)) {
      return { message: error.message, failing: error.data.failing ?? error.data };
    }
    throw error;
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
}
