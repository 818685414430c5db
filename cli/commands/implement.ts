/**
 * `keel implement --mission H --agent A [WP]`: claim a WP (without WP: the one
 * `next` names, through the same selection) and prepare its lane workspace as
 * spec-kitty does (`--no-workspace`: claim only).
 *
 * @module
 */

import {
  type CliContext,
  command,
  flag,
  ok,
  option,
  optionalArg,
  type Outcome,
} from "../define.ts";

/** The `cmd` tag. */
export const tag = "implement";

/** The parser. */
export const parser = command(
  "implement",
  "Claim a WP for an agent and prepare its lane workspace (exit 1 when nothing is claimable, 4 when held or the workspace is dirty or on another branch).",
  {
    mission: option(
      "--mission",
      "H",
      "Mission: slug, mission_id, or its unique 8-character prefix.",
      {
        required: true,
        complete: "mission",
      },
    ),
    agent: option("--agent", "A", "The agent claiming the WP.", { required: true }),
    noWorkspace: flag(
      "--no-workspace",
      "Only claim: do not create or check the lane worktree, do not commit the event log.",
    ),
    wp: optionalArg("WP", "The work package to claim (default: the one `keel next` selects)."),
  },
);

/**
 * Run the command.
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns The outcome.
 */
export async function run(
  args: { mission: string; agent: string; noWorkspace: boolean; wp: string | undefined },
  ctx: CliContext,
): Promise<Outcome> {
  const { implementOp } = await import("../../core/mission/mod.ts");
  const params: { mission: string; agent: string; wp?: string; workspace?: boolean } = {
    mission: args.mission,
    agent: args.agent,
  };
  if (args.wp !== undefined) params.wp = args.wp;
  if (args.noWorkspace) params.workspace = false;
  const r = await implementOp(params, ctx.op);
  const verb = {
    claimed: "Claimed",
    started: "Started",
    resumed: "Resuming",
    reimplement: "Re-implementing",
  }[r.action];
  const ws = r.workspace;
  const lines = [
    `${verb} ${r.wp_id} for ${r.agent} (${r.from_lane} → ${r.lane})`,
    `Prompt:    ${r.prompt_file}`,
  ];
  if (ws === null) {
    lines.push(
      `Workspace: ${r.workspace_path ?? "(no lane in lanes.json)"}${
        r.lane_id === null ? "" : `  [${r.lane_id}, ${r.execution_mode}]`
      } (not prepared: --no-workspace)`,
    );
  } else {
    const how = {
      created: `created on ${ws.branch} from ${ws.base_branch} (${
        (ws.base_commit ?? "").slice(0, 12)
      })`,
      reused: `reused, on ${ws.branch}`,
      recovered: `re-attached to the existing branch ${ws.branch}`,
      repository_root: `the repository root (${ws.lane_id}, branch ${ws.branch})`,
    }[ws.action];
    lines.push(`Workspace: ${ws.path}  [${ws.lane_id}, ${ws.execution_mode}] ${how}`);
    for (const m of ws.merged) {
      lines.push(
        `Merged:    ${
          m.kind === "dependency_lane"
            ? `dependency lane ${m.lane_id} (${m.ref})`
            : `planning commit ${m.ref}`
        }`,
      );
    }
    for (const w of ws.warnings) lines.push(`Warning:   ${w.code}: ${w.message}`);
  }
  if (r.event_log.status === "committed") {
    lines.push(
      `Event log: committed on ${r.event_log.branch} (${(r.event_log.commit ?? "").slice(0, 12)})`,
    );
  } else if (r.event_log.status === "left") {
    lines.push(`Event log: NOT committed: ${r.event_log.reason}`);
  }
  lines.push(...r.warnings.map((w) => `Warning:   ${w.code}: ${w.message}`));
  if (ws !== null && ws.path !== ".") lines.push(`Next:      cd ${ws.path}`);
  return ok(r, lines.join("\n"));
}
