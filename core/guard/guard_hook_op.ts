/**
 * `keel guard hook` / `guard/hook`: an agent harness's pre-edit hook. The
 * event (JSON on stdin) names a tool and its input; the paths it would write
 * are checked against the active run's scope. The common event shape is
 * `{tool_name, tool_input: {file_path | path | notebook_path | edits: [...]}, cwd?}`
 * (Claude Code's `PreToolUse`, Gemini CLI's `BeforeTool`); the CLI answers in
 * their convention: exit 0 allows, exit 2 with the reason on stderr blocks.
 *
 * @module
 */

import { isAbsolute } from "node:path";
import { z } from "zod";
import { locateKeel } from "../layout/mod.ts";
import type { OpContext } from "../context.ts";
import { KeelError } from "../errors.ts";
import type { PathDecision } from "./active_scope.ts";
import { checkPaths } from "./guard_check_op.ts";

/** Params of {@link guardHookOp}. */
export const GuardHookParams = z.strictObject({
  event: z.unknown().describe("The hook event: JSON text or the parsed object."),
});

/** Result of {@link guardHookOp}. */
export interface GuardHookResult {
  decision: "allow" | "block";
  /** Why (for a block: what the agent reads). */
  reason: string;
  /** The tool named by the event. */
  tool: string | null;
  /** The decisions for the paths the tool would write. */
  paths: PathDecision[];
}

/** Tools that only read: never blocked, whatever paths they name. */
const READ_ONLY = /^(read|view|glob|grep|ls|list|search|find|fetch|web|notebookread|cat)/i;

/**
 * The tool and the paths an edit event would write.
 *
 * @param event The parsed event.
 * @returns `{tool, paths, cwd}` (paths empty for a read-only tool or none named).
 * @throws {KeelError} HOOK_EVENT_INVALID when the event is not an object.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hookEventPaths } from "./guard_hook_op.ts";
 * const e = { tool_name: "MultiEdit", tool_input: { file_path: "/r/src/a.ts", edits: [] } };
 * assert.deepEqual(hookEventPaths(e).paths, ["/r/src/a.ts"]);
 * ```
 */
export function hookEventPaths(
  event: unknown,
): { tool: string | null; paths: string[]; cwd: string | null } {
  if (event === null || typeof event !== "object" || Array.isArray(event)) {
    throw new KeelError("HOOK_EVENT_INVALID", "The hook event is not a JSON object", {
      data: { reason: "not an object" },
    });
  }
  const e = event as Record<string, unknown>;
  const tool = typeof e.tool_name === "string" ? e.tool_name : null;
  const cwd = typeof e.cwd === "string" && isAbsolute(e.cwd) ? e.cwd : null;
  if (tool !== null && READ_ONLY.test(tool.replace(/^mcp__[^_]+__/, ""))) {
    return { tool, paths: [], cwd };
  }
  const input = e.tool_input ?? e.toolInput ?? e.input;
  const paths: string[] = [];
  const take = (o: unknown) => {
    if (o === null || typeof o !== "object") return;
    const r = o as Record<string, unknown>;
    for (const k of ["file_path", "path", "notebook_path", "filePath"]) {
      if (typeof r[k] === "string" && r[k] !== "") paths.push(r[k] as string);
    }
  };
  take(input);
  const edits = (input as Record<string, unknown> | undefined)?.edits;
  if (Array.isArray(edits)) edits.forEach(take);
  return { tool, paths: [...new Set(paths)], cwd };
}

/**
 * Decide a pre-edit hook event.
 *
 * @param params `{event}`: the event as JSON text or object.
 * @param ctx Operation context (relative paths start from the event's `cwd`, else `ctx.cwd`).
 * @returns allow or block, with the reason and the per-path decisions.
 * @throws {KeelError} HOOK_EVENT_INVALID when the text is not JSON or not an object.
 */
export async function guardHookOp(
  params: z.input<typeof GuardHookParams>,
  ctx: OpContext,
): Promise<GuardHookResult> {
  let event = params.event;
  if (typeof event === "string") {
    try {
      event = JSON.parse(event);
    } catch (e) {
      throw new KeelError("HOOK_EVENT_INVALID", `The hook event is not JSON: ${_msg(e)}`, {
        data: { reason: _msg(e) },
      });
    }
  }
  const { tool, paths, cwd } = hookEventPaths(event);
  if (paths.length === 0) {
    return { decision: "allow", reason: "no file to write", tool, paths: [] };
  }
  const base = cwd ?? ctx.cwd;
  const r = await checkPaths(locateKeel(base), paths, { cwd: base });
  const bad = r.paths.filter((d) => !d.allowed);
  if (bad.length === 0) {
    return {
      decision: "allow",
      reason: r.runs.length === 0 ? "no active run" : "inside the approved scope",
      tool,
      paths: r.paths,
    };
  }
  const run = r.runs.find((x) => x.run_id === bad[0]!.run_id) ?? r.runs[0]!;
  const reason = [
    `keel: ${tool ?? "this edit"} blocked — outside the approved scope of run ${run.run_id} ` +
    `(contract "${run.contract}"):`,
    ...bad.map((d) => `  ${d.path}: ${d.reason}`),
    `Allowed files: ${run.allowed_files.join(", ") || "(none)"}` +
    (run.forbidden_files.length > 0 ? `; forbidden: ${run.forbidden_files.join(", ")}` : ""),
    "Stay inside the contract, or ask the maintainer to amend and re-approve it.",
  ].join("\n");
  return { decision: "block", reason, tool, paths: r.paths };
}

function _msg(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
