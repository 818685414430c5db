/**
 * `keel mission list` and `keel mission status H`.
 *
 * @module
 */

import { type CliContext, command, group, ok, option, type Outcome } from "../define.ts";
import { renderTable } from "../render.ts";

/** The `cmd` tags of this module. */
export const tag = "mission";

const list = command(
  "mission list",
  "List the missions of kitty-specs/ with lane counts and the next WP.",
  {},
);

const status = command(
  "mission status",
  "Every WP: lane, dependencies, holder, review state, and the lane's write scope.",
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
  },
);

/** The parser. */
export const parser = group("mission", "Read spec-kitty missions (kitty-specs/).", [list, status]);

/**
 * Run the command.
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns The outcome.
 */
export async function run(
  args: { cmd: "mission list" } | { cmd: "mission status"; mission: string },
  ctx: CliContext,
): Promise<Outcome> {
  const m = await import("../../core/mission/mod.ts");
  if (args.cmd === "mission list") {
    const r = await m.missionListOp({}, ctx.op);
    const rows = [
      ["MISSION", "STATE", "WPS", "NEXT"],
      ...r.missions.map((x) => [
        x.mission_slug,
        x.error !== null ? `error ${x.error.code}` : x.mission_state ?? "-",
        String(x.wp_count),
        x.next_wp_id ?? x.selection_reason ?? "-",
      ]),
    ];
    return ok(r, r.missions.length === 0 ? "No missions." : renderTable(rows));
  }
  const r = await m.missionStatusOp({ mission: args.mission }, ctx.op);
  const rows = [
    ["WP", "LANE", "DEPS", "HOLDER", "REVIEW", "LANE_ID", "WRITE SCOPE"],
    ...r.wps.map((w) => [
      w.wp_id,
      w.lane,
      w.dependencies.length === 0
        ? "-"
        : w.dependencies.map((d) => `${d.wp_id}${d.satisfied ? "✓" : "✗"}`).join(","),
      w.holder ?? "-",
      w.review.verdict === null
        ? (w.review.override_complete ? "override" : "-")
        : w.review.verdict + (w.review.override_complete ? " (override)" : ""),
      w.lane_id ?? "-",
      w.write_scope.length === 0 ? "-" : w.write_scope.join(" "),
    ]),
  ];
  const lanesLine = r.lanes_json.status === "ok"
    ? "lanes.json: ok"
    : `lanes.json: ${r.lanes_json.status}${r.lanes_json.reason ? ` (${r.lanes_json.reason})` : ""}`;
  const text = [
    `Mission ${r.mission_slug} (${r.mission_id ?? "no mission_id"}): ${r.mission_state}`,
    `Next: ${r.next.wp_id ?? `none (${r.next.selection_reason})`}${
      r.next.warnings.map((w) => `  [warning: ${w.code} ${w.base_commit}]`).join("")
    }   ${lanesLine}`,
    renderTable(rows),
  ].join("\n");
  return ok(r, text);
}
