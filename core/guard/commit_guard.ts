/**
 * The git hooks' decisions (`keel guard pre-commit | commit-msg | post-commit`,
 * run by the hooks `keel hooks install` writes):
 *
 * - pre-commit: staged paths outside the active run's scope refuse the commit;
 * - commit-msg: a `Keel-Unit:` trailer naming no planned unit refuses it; a
 *   commit that passes both leaves a mark for post-commit;
 * - post-commit (git runs it even for `--no-verify` commits): a commit
 *   without the mark bypassed the hooks, and is recorded in the run's
 *   `guard.jsonl` so `run finish` reports it.
 *
 * With no active run every hook allows and records nothing.
 *
 * @module
 */

import { join } from "node:path";
import { locateKeel } from "../contract/layout.ts";
import type { OpContext } from "../context.ts";
import { KeelError } from "../errors.ts";
import { requireCliGit, runGit } from "../git/mod.ts";
import { parseCommitMessage } from "../git/mod.ts";
import { runDir } from "../run/run_store.ts";
import { appendJsonl, atomicWriteText } from "../store/mod.ts";
import { type BypassRecord, guardLogPath } from "./guard_log.ts";
import { guardedRuns } from "./active_scope.ts";
import { checkPaths, type GuardCheckResult } from "./guard_check_op.ts";

/** The answer of a commit hook. */
export interface CommitGuardResult {
  /** Whether git may go on. */
  allow: boolean;
  /** What to print (the refusal, or a one-line note). */
  message: string;
  /** The decisions for staged paths (pre-commit). */
  check?: GuardCheckResult;
}

const MARK = "guard_verified";

/**
 * pre-commit: refuse staged paths outside the active runs' scope.
 *
 * @param ctx Operation context (the worktree; git's `GIT_INDEX_FILE` is honoured).
 * @returns allow, or the refusal naming each path and the approved globs.
 * @throws {KeelError} GIT_FAILED when the staged paths cannot be listed;
 *   GIT_BACKEND_UNSUPPORTED under `--git-backend isomorphic` (with an active run).
 */
export async function preCommitGuard(ctx: OpContext): Promise<CommitGuardResult> {
  const layout = locateKeel(ctx.cwd);
  const runs = await guardedRuns(layout);
  if (runs.length === 0) return { allow: true, message: "keel: no active run" };
  requireCliGit(ctx.gitBackend, "guard pre-commit");
  for (const r of runs) await Deno.remove(join(runDir(layout, r.run_id), MARK)).catch(() => {});
  const out = await runGit(["diff", "--cached", "--name-only", "-z", "--no-renames"], layout.root);
  if (out.code !== 0) {
    throw new KeelError("GIT_FAILED", `git diff --cached failed: ${out.stderr.trim()}`, {
      data: { args: ["diff", "--cached"], stderr: out.stderr },
    });
  }
  const staged = out.stdout.split("\0").filter((p) => p !== "");
  if (staged.length === 0) return { allow: true, message: "keel: nothing staged" };
  const check = await checkPaths(layout, staged, { cwd: layout.root });
  if (check.ok) return { allow: true, message: "keel: staged files are in scope", check };
  const bad = check.paths.filter((d) => !d.allowed);
  const lines = [
    `keel: commit refused — ${bad.length} staged file(s) outside the approved scope:`,
    ...bad.map((d) => `  ${d.path}  (${d.reason})`),
  ];
  for (const r of check.runs) {
    lines.push(
      `Approved for run ${r.run_id} (contract "${r.contract}"): allowed_files ` +
        `${r.allowed_files.join(", ") || "(none)"}` +
        (r.forbidden_files.length > 0 ? `; forbidden_files ${r.forbidden_files.join(", ")}` : ""),
    );
  }
  lines.push("Unstage them (git restore --staged PATH), or amend and re-approve the contract.");
  return { allow: false, message: lines.join("\n"), check };
}

/**
 * commit-msg: refuse a `Keel-Unit:` trailer naming no planned unit; on
 * success leave the mark post-commit looks for.
 *
 * @param message The commit message (the file git passes).
 * @param ctx Operation context.
 * @returns allow, or the refusal naming the planned units.
 */
export async function commitMsgGuard(message: string, ctx: OpContext): Promise<CommitGuardResult> {
  const layout = locateKeel(ctx.cwd);
  const runs = await guardedRuns(layout);
  if (runs.length === 0) return { allow: true, message: "keel: no active run" };
  const text = message.split("\n").filter((l) => !l.startsWith("#")).join("\n");
  const trailers = parseCommitMessage(text).trailers;
  const named = Object.entries(trailers)
    .filter(([k]) => k.toLowerCase() === "keel-unit")
    .flatMap(([, v]) => v.map((x) => x.trim()).filter((x) => x !== ""));
  const planned = new Set(runs.flatMap((r) => r.units.map((u) => u.id)));
  const unknown = named.filter((u) => !planned.has(u));
  if (unknown.length > 0) {
    const units = runs.flatMap((r) => r.units.map((u) => u.id));
    return {
      allow: false,
      message: [
        `keel: commit refused — Keel-Unit: ${unknown.join(", ")} names no planned unit.`,
        `Planned units: ${units.join(", ") || "(none)"}. Use one of them, e.g. ` +
        `"Keel-Unit: ${units[0] ?? "UNIT"}" as the last line of the message.`,
      ].join("\n"),
    };
  }
  const now = ctx.clock.now().toISOString();
  for (const r of runs) {
    await atomicWriteText(join(runDir(layout, r.run_id), MARK), now);
  }
  return { allow: true, message: "keel: commit message ok" };
}

/**
 * post-commit: record HEAD as bypassed when the hooks did not pass it.
 *
 * @param ctx Operation context.
 * @returns Always allows (git ignores post-commit's exit code).
 */
export async function postCommitGuard(ctx: OpContext): Promise<CommitGuardResult> {
  const layout = locateKeel(ctx.cwd);
  const runs = await guardedRuns(layout);
  if (runs.length === 0) return { allow: true, message: "keel: no active run" };
  requireCliGit(ctx.gitBackend, "guard post-commit");
  const head = (await runGit(["rev-parse", "HEAD"], layout.root)).stdout.trim();
  let bypassed = false;
  for (const r of runs) {
    const mark = join(runDir(layout, r.run_id), MARK);
    const had = await Deno.remove(mark).then(() => true, () => false);
    if (had || head === "") continue;
    bypassed = true;
    const rec: BypassRecord = { event: "bypassed", sha: head, at: ctx.clock.now().toISOString() };
    await appendJsonl(guardLogPath(runDir(layout, r.run_id)), [rec]);
  }
  return {
    allow: true,
    message: bypassed
      ? `keel: commit ${head.slice(0, 12)} bypassed the keel hooks (--no-verify); ` +
        "run finish will report it"
      : "keel: commit verified",
  };
}
