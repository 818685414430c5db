/**
 * `keel mission list` and `keel mission status H`.
 *
 * @module
 */

import { missionStatusText } from "../../core/text/mod.ts";
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
  const text = missionStatusText(r);
  return ok(r, text);
}
