/**
 * `keel hooks install | uninstall`: git `pre-commit`, `commit-msg` and
 * `post-commit` hooks that run `keel guard …`. Hooks go where git looks for
 * them (`git rev-parse --git-path hooks`: `core.hooksPath`, shared by every
 * worktree); a hook already there is kept as `<hook>.pre-keel` and run first.
 * Installing again rewrites keel's hooks (idempotent); uninstalling restores
 * the kept ones.
 *
 * @module
 */

import { isAbsolute, join } from "node:path";
import { z } from "zod";
import { parseParams } from "../params.ts";
import { locateKeel } from "../contract/layout.ts";
import type { OpContext } from "../context.ts";
import { KeelError } from "../errors.ts";
import { requireCliGit, runGit } from "../git/mod.ts";
import { atomicWriteText } from "../store/mod.ts";

/** Params of {@link hooksOp}. */
export const HooksParams = z.strictObject({
  action: z.enum(["install", "uninstall"]).describe("Install or remove keel's git hooks."),
});

/** The hooks keel manages, with the guard each runs. */
export const GIT_HOOKS = ["pre-commit", "commit-msg", "post-commit"] as const;

/** The line that marks a hook as keel's. */
export const HOOK_MARK = "# keel-managed hook:";

/** Result of {@link hooksOp}. */
export interface HooksResult {
  action: "install" | "uninstall";
  /** Absolute hooks directory. */
  hooks_dir: string;
  hooks: {
    hook: string;
    /** What was done. */
    status: "installed" | "updated" | "removed" | "not_installed";
    /** The kept hook run first (`<hook>.pre-keel`), or null. */
    chained: string | null;
  }[];
}

/**
 * Install or remove keel's git hooks.
 *
 * @param params `{action}`.
 * @param ctx Operation context.
 * @param options `keelCommand`: the argv that runs keel (written into the hooks).
 * @returns What was done per hook.
 * @throws {KeelError} REPO_NOT_FOUND outside a git repository; GIT_FAILED;
 *   ARTIFACT_EXISTS when both a foreign hook and a kept `.pre-keel` exist;
 *   GIT_BACKEND_UNSUPPORTED under `--git-backend isomorphic`.
 */
export async function hooksOp(
  params: z.input<typeof HooksParams>,
  ctx: OpContext,
  options: { keelCommand: readonly string[] },
): Promise<HooksResult> {
  const p = parseParams(HooksParams, params);
  // Hooks are git's: installing them asks the git CLI where they live.
  requireCliGit(ctx.gitBackend, "hooks");
  const layout = locateKeel(ctx.cwd);
  if (!layout.inGit) {
    throw new KeelError("REPO_NOT_FOUND", "keel hooks needs a git repository", {
      data: { path: ctx.cwd },
    });
  }
  const out = await runGit(["rev-parse", "--git-path", "hooks"], layout.root);
  if (out.code !== 0) {
    throw new KeelError("GIT_FAILED", `git rev-parse --git-path hooks failed: ${out.stderr}`, {
      data: { args: ["rev-parse", "--git-path", "hooks"], stderr: out.stderr },
    });
  }
  const rel = out.stdout.trim();
  const dir = isAbsolute(rel) ? rel : join(layout.root, rel);
  const hooks: HooksResult["hooks"] = [];
  if (p.action === "install") await Deno.mkdir(dir, { recursive: true });
  for (const hook of GIT_HOOKS) {
    const path = join(dir, hook);
    const kept = `${path}.pre-keel`;
    const current = await _read(path);
    const ours = current !== null && current.includes(HOOK_MARK);
    const hasKept = await _exists(kept);
    if (p.action === "install") {
      if (current !== null && !ours) {
        if (hasKept) {
          throw new KeelError(
            "ARTIFACT_EXISTS",
            `${hook}: both a hook and ${hook}.pre-keel exist in ${dir}; move one away first`,
            { data: { paths: [path, kept] } },
          );
        }
        await Deno.rename(path, kept);
      }
      // Never through a symlink planted at the hook's path.
      await atomicWriteText(path, hookScript(hook, options.keelCommand), { mode: 0o755 });
      await Deno.chmod(path, 0o755);
      hooks.push({
        hook,
        status: ours ? "updated" : "installed",
        chained: current !== null && !ours || hasKept ? `${hook}.pre-keel` : null,
      });
    } else {
      if (!ours) {
        hooks.push({ hook, status: "not_installed", chained: null });
        continue;
      }
      await Deno.remove(path);
      if (hasKept) await Deno.rename(kept, path);
      hooks.push({ hook, status: "removed", chained: hasKept ? `${hook}.pre-keel` : null });
    }
  }
  return { action: p.action, hooks_dir: dir, hooks };
}

/**
 * The shell script of one hook: the kept hook first (its failure stops the
 * commit), then `keel guard <hook>`.
 *
 * @param hook `pre-commit`, `commit-msg` or `post-commit`.
 * @param keelCommand The argv that runs keel.
 * @returns The script.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hookScript } from "./hooks_op.ts";
 * const s = hookScript("commit-msg", ["keel"]);
 * assert.match(s, /'keel' guard commit-msg "\$1"/);
 * ```
 */
export function hookScript(
  hook: (typeof GIT_HOOKS)[number],
  keelCommand: readonly string[],
): string {
  const keel = keelCommand.map(_quote).join(" ");
  const guard = hook === "commit-msg"
    ? `exec ${keel} guard commit-msg "$1"`
    : hook === "post-commit"
    ? `${keel} guard post-commit || true`
    : `exec ${keel} guard pre-commit`;
  return [
    "#!/bin/sh",
    `${HOOK_MARK} \`keel hooks uninstall\` removes it (and restores ${hook}.pre-keel).`,
    `kept="$(dirname "$0")/${hook}.pre-keel"`,
    `if [ -x "$kept" ]; then "$kept" "$@" || exit $?; fi`,
    guard,
    "",
  ].join("\n");
}

function _quote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

async function _read(path: string): Promise<string | null> {
  try {
    const st = await Deno.lstat(path);
    if (st.isDirectory) {
      throw new KeelError("ARTIFACT_EXISTS", `${path} is a directory`, { data: { paths: [path] } });
    }
    return await Deno.readTextFile(path).catch(() => "");
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

async function _exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}
