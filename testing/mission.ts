/**
 * Builders of small synthetic spec-kitty missions for tests and benchmarks:
 * `meta.json`, `tasks.md`, `tasks/WP*.md`, `status.events.jsonl` and
 * `lanes.json` in a temporary folder.
 *
 * @module
 */

import { join } from "node:path";
import { stringify as stringifyYaml } from "yaml";
import { eventLine } from "../core/mission/mod.ts";

/** One synthetic WP. */
export interface SynthWp {
  /** The WP id (`WP01`). */
  id: string;
  /** `dependencies` as written in the frontmatter (a list, or a legacy string). */
  deps?: string[] | string;
  /** The lane to seed; `null` = no events (genesis). Default `planned`. */
  lane?: string | null;
  /** Frontmatter `base_commit`. */
  baseCommit?: string;
  /** The actor of the seeding transition (the holder of an active WP). */
  actor?: string;
  /** The file name after the id: `tasks/<id>-<slug>.md` (default `work`). */
  slug?: string;
  /** Frontmatter `title` (default `Work <id>`). */
  title?: string;
  /** Frontmatter `subtasks` (default none). */
  subtasks?: string[];
  /** More frontmatter keys, written as YAML after the others. */
  frontmatter?: Record<string, unknown>;
  /** The Markdown body (default `# <id>`). */
  body?: string;
}

/** A synthetic mission. */
export interface SynthMission {
  /** Folder name. */
  slug: string;
  /** meta.json `mission_id`. */
  missionId: string;
  /** The WPs. */
  wps: SynthWp[];
  /** Write `tasks.md` (default true). */
  tasksMd?: boolean;
  /** Lanes for lanes.json (`null` = no file); default one lane per WP. */
  lanes?: { lane_id: string; wp_ids: string[]; write_scope?: string[] }[] | null;
  /** Extra lines appended to the event log. */
  extraLines?: string[];
  /** meta.json keys to add or override (`undefined` removes a key). */
  meta?: Record<string, unknown>;
  /** Edits the lanes.json document before it is written (e.g. a legacy shape). */
  editLanes?: (doc: Record<string, unknown>) => void;
}

/**
 * A transition event in spec-kitty's shape.
 *
 * @param wp WP id.
 * @param from From lane.
 * @param to To lane.
 * @param at Timestamp.
 * @param eventId Event id.
 * @param extra Keys to add or override.
 * @returns The event object.
 */
export function transitionEvent(
  wp: string,
  from: string,
  to: string,
  at: string,
  eventId: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    actor: "tester",
    at,
    event_id: eventId,
    evidence: null,
    execution_mode: "worktree",
    force: false,
    from_lane: from,
    mission_id: "01KTEST00000000000000000000".slice(0, 26),
    mission_slug: "synthetic",
    policy_metadata: null,
    reason: null,
    review_ref: null,
    review_result: null,
    to_lane: to,
    wp_id: wp,
    ...extra,
  };
}

/**
 * The event lines that put each WP in its lane (genesis → planned, then a
 * forced move to the lane).
 *
 * @param wps The WPs.
 * @returns The lines, in time order.
 */
export function seedLines(wps: readonly SynthWp[]): string[] {
  const lines: string[] = [];
  let n = 0;
  for (const wp of wps) {
    const lane = wp.lane === undefined ? "planned" : wp.lane;
    if (lane === null) continue;
    const at = (k: number) => `2026-01-01T00:00:${String(k).padStart(2, "0")}.000000+00:00`;
    n++;
    lines.push(eventLine(
      transitionEvent(
        wp.id,
        "genesis",
        "planned",
        at(n % 60),
        `SEED${String(n).padStart(6, "0")}A`,
        {
          actor: "finalize-tasks",
          force: true,
        },
      ),
    ));
    if (lane !== "planned") {
      lines.push(eventLine(
        transitionEvent(wp.id, "planned", lane, at(n % 60), `SEED${String(n).padStart(6, "0")}B`, {
          actor: wp.actor ?? "someone",
          force: true,
          reason: "seed",
          policy_metadata: { agent: wp.actor ?? "someone" },
        }),
      ));
    }
  }
  return lines;
}

/**
 * Write a synthetic mission under `<root>/kitty-specs/<slug>`.
 *
 * @param root The repository root.
 * @param mission The mission.
 * @returns The mission folder.
 */
export async function writeMission(root: string, mission: SynthMission): Promise<string> {
  const dir = join(root, "kitty-specs", mission.slug);
  await Deno.mkdir(join(dir, "tasks"), { recursive: true });
  const meta: Record<string, unknown> = {
    created_at: "2026-01-01T00:00:00+00:00",
    friendly_name: mission.slug,
    mission_id: mission.missionId,
    mission_number: null,
    mission_slug: mission.slug,
    mission_type: "software-dev",
    slug: mission.slug,
    target_branch: "main",
  };
  for (const [k, v] of Object.entries(mission.meta ?? {})) {
    if (v === undefined) delete meta[k];
    else meta[k] = v;
  }
  const sorted = Object.fromEntries(Object.entries(meta).sort(([a], [b]) => a < b ? -1 : 1));
  await Deno.writeTextFile(join(dir, "meta.json"), JSON.stringify(sorted, null, 2) + "\n");
  if (mission.tasksMd !== false) await Deno.writeTextFile(join(dir, "tasks.md"), "# Tasks\n");
  for (const wp of mission.wps) {
    const deps = wp.deps === undefined
      ? "[]"
      : typeof wp.deps === "string"
      ? JSON.stringify(wp.deps)
      : wp.deps.length === 0
      ? "[]"
      : "\n" + wp.deps.map((d) => `- ${d}`).join("\n");
    const base = wp.baseCommit === undefined ? "" : `base_commit: ${wp.baseCommit}\n`;
    const subtasks = (wp.subtasks ?? []).length === 0
      ? "[]"
      : "\n" + wp.subtasks!.map((t) => `- ${t}`).join("\n");
    const more = wp.frontmatter === undefined ? "" : stringifyYaml(wp.frontmatter);
    await Deno.writeTextFile(
      join(dir, "tasks", `${wp.id}-${wp.slug ?? "work"}.md`),
      `---\nwork_package_id: ${wp.id}\ntitle: ${wp.title ?? `Work ${wp.id}`}\n` +
        `dependencies: ${deps}\n${base}subtasks: ${subtasks}\n${more}---\n\n` +
        (wp.body ?? `# ${wp.id}\n`),
    );
  }
  const lines = [...seedLines(mission.wps), ...(mission.extraLines ?? [])];
  await Deno.writeTextFile(
    join(dir, "status.events.jsonl"),
    lines.length === 0 ? "" : lines.join("\n") + "\n",
  );
  const lanes = mission.lanes === undefined
    ? mission.wps.map((w, i) => ({
      lane_id: `lane-${String.fromCharCode(97 + (i % 26))}`,
      wp_ids: [w.id],
      write_scope: [`src/${w.id.toLowerCase()}/**`],
    }))
    : mission.lanes;
  if (lanes !== null) {
    const doc: Record<string, unknown> = {
      version: 1,
      mission_slug: mission.slug,
      mission_id: mission.missionId,
      mission_branch: `kitty/mission-${mission.slug}`,
      target_branch: "main",
      lanes: lanes.map((l) => ({
        depends_on_lanes: [],
        parallel_group: 0,
        predicted_surfaces: [],
        write_scope: [],
        ...l,
      })),
      computed_at: "2026-01-01T00:00:00+00:00",
      computed_from: "dependency_graph+ownership",
      planning_artifact_wps: [],
    };
    mission.editLanes?.(doc);
    await Deno.writeTextFile(join(dir, "lanes.json"), JSON.stringify(doc, null, 2) + "\n");
  }
  return dir;
}

/**
 * An annotation event (`kind: "annotation"`) in spec-kitty's shape.
 *
 * @param wp WP id.
 * @param at Timestamp.
 * @param eventId Event id (a ULID: spec-kitty validates it on annotations).
 * @param delta The delta (`{subtasks: {...}}`, `{note: "..."}`, …).
 * @param actor The actor.
 * @returns The event line.
 */
export function annotationLine(
  wp: string,
  at: string,
  eventId: string,
  delta: Record<string, unknown>,
  actor = "tester",
): string {
  return eventLine({ actor, at, delta, event_id: eventId, kind: "annotation", wp_id: wp });
}

/** A review-cycle file: its frontmatter (`null` = none, as in older files) and body. */
export interface SynthReviewCycle {
  /** Folder under `tasks/` (`WP06-canonical-progress-reporting`). */
  wpDir: string;
  /** N of `review-cycle-N.md`. */
  number: number;
  /** The verdict in the frontmatter; `null` writes a file without frontmatter. */
  verdict: string | null;
  /** Body text (default: a heading naming the cycle). */
  body?: string;
}

/**
 * Write `tasks/<wpDir>/review-cycle-N.md` in spec-kitty's shape (the
 * 2026-04/05 writer: `affected_files`, `cycle_number`, `mission_slug`,
 * `reproduction_command`, `reviewed_at`, `reviewer_agent`, `verdict`, `wp_id`).
 *
 * @param missionDir The mission folder.
 * @param cycle The cycle.
 * @returns The file's path.
 */
export async function writeReviewCycle(
  missionDir: string,
  cycle: SynthReviewCycle,
): Promise<string> {
  const dir = join(missionDir, "tasks", cycle.wpDir);
  await Deno.mkdir(dir, { recursive: true });
  const wpId = /^WP\d+/.exec(cycle.wpDir)?.[0] ?? cycle.wpDir;
  const slug = missionDir.split("/").pop();
  const body = cycle.body ?? `# ${wpId} Review Cycle ${cycle.number}\n\n**Issue 1**: needs work.\n`;
  const fm = cycle.verdict === null ? "" : [
    "---",
    "affected_files: []",
    `cycle_number: ${cycle.number}`,
    `mission_slug: ${slug}`,
    "reproduction_command:",
    "reviewed_at: '2026-01-01T00:00:00Z'",
    "reviewer_agent: unknown",
    `verdict: ${cycle.verdict}`,
    `wp_id: ${wpId}`,
    "---",
    "",
    "",
  ].join("\n");
  const path = join(dir, `review-cycle-${cycle.number}.md`);
  await Deno.writeTextFile(path, fm + body);
  return path;
}

/**
 * Remove every verdict the event log records (`review_result` and
 * `evidence` set to null), so that only the review-cycle files can decide.
 *
 * @param missionDir The mission folder.
 */
export async function dropLogVerdicts(missionDir: string): Promise<void> {
  const log = join(missionDir, "status.events.jsonl");
  const lines = (await Deno.readTextFile(log)).split("\n").filter((l) => l.trim() !== "")
    .map((l) => {
      const e = JSON.parse(l);
      if (e.review_result) e.review_result = null;
      if (e.evidence) e.evidence = null;
      return eventLine(e);
    });
  await Deno.writeTextFile(log, lines.join("\n") + "\n");
}

/**
 * Copy a folder recursively.
 *
 * @param from Source.
 * @param to Destination (created).
 */
export async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    const a = join(from, e.name);
    const b = join(to, e.name);
    if (e.isDirectory) await copyDir(a, b);
    else if (e.isFile) await Deno.copyFile(a, b);
  }
}
