/**
 * `keel init --from-wp MISSION:WP`: a contract drafted from a spec-kitty work
 * package — its lane's write scope (or its owned files) becomes the allowed
 * files, its subtasks become commit units, and the intent records where it
 * came from (so trust can count that WP's rejected review cycles).
 *
 * @module
 */

import { join } from "../util/mod.ts";
import type { CommitPlan, Intent, TestContract } from "../../schemas/mod.ts";
import { SCHEMA_VERSION } from "../../schemas/common.ts";
import { KeelError } from "../errors.ts";
import { laneOfWp, type Mission, normalizeWpArg, openMission } from "../mission/mod.ts";
import { normalizeRepoPath, repoPathProblem } from "../util/mod.ts";
import type { DraftArtifacts } from "./init_op.ts";
import { defaultContractNameForWp } from "./wp_names.ts";
import { safeReadTextFile } from "../store/mod.ts";

/** A parsed `MISSION:WP` reference. */
export interface WpReference {
  mission: string;
  wp: string;
}

/**
 * Split `MISSION:WP` (the WP part accepts `wp01`, `WP01`, `WP01-slug`).
 *
 * @param ref The reference.
 * @returns Mission handle and WP id.
 * @throws {KeelError} USAGE when it is not of that form.
 */
export function parseWpReference(ref: string): WpReference {
  const i = ref.lastIndexOf(":");
  const mission = i < 0 ? "" : ref.slice(0, i).trim();
  const wp = i < 0 ? "" : ref.slice(i + 1).trim();
  if (mission === "" || wp === "") {
    throw new KeelError(
      "USAGE",
      `--from-wp takes MISSION:WP (e.g. my-mission-01KQH03Y:WP02), got "${ref}"`,
      {
        data: {},
      },
    );
  }
  return { mission, wp: normalizeWpArg(wp) };
}

/**
 * Draft artifacts from one WP of a loaded mission. Pure apart from the WP
 * file's text, which is passed in.
 *
 * @param mission The mission.
 * @param options The WP id, its file text, and when the draft is written.
 * @returns The drafts.
 * @throws {KeelError} WP_NOT_FOUND with the ids that exist.
 */
export function draftsFromWp(
  mission: Mission,
  options: { wpId: string; text: string; proposedAt: string },
): DraftArtifacts {
  const wp = mission.wps.find((w) => (w.id ?? w.fileId) === options.wpId);
  if (!wp) {
    throw new KeelError("WP_NOT_FOUND", `Mission ${mission.slug} has no ${options.wpId}`, {
      data: {
        wp_id: options.wpId,
        available: mission.wps.map((w) => w.id ?? w.fileId).filter((x) => x !== null),
      },
    });
  }
  const lane = laneOfWp(mission.lanes, options.wpId);
  const fm = wp.frontmatter ?? {};
  const scope = wpWriteScope(mission, options.wpId).globs;
  const refs = _strings(fm.requirement_refs);
  const subtasks = _subtaskIds(fm.subtasks);
  const titles = _subtaskTitles(options.text);
  const approval = {
    state: "draft" as const,
    by: null,
    at: null,
    digest: null,
    checklist: [],
    proposed_at: options.proposedAt,
  };
  const testId = `${options.wpId.toLowerCase()}-tests`;
  const commands = testCommandsFrom(options.text);
  const testIds = commands.length <= 1
    ? [testId]
    : commands.map((_, i) => i === 0 ? testId : `${testId}-${i + 1}`);
  const units = (subtasks.length > 0 ? subtasks : [options.wpId]).map((id) => ({
    id,
    summary: titles.get(id) ?? (id === options.wpId ? wp.title || id : `${id} of ${options.wpId}`),
    files: scope,
    tests: testIds,
    depends_on: [],
  }));
  const mt = typeof mission.meta.mission_type === "string" ? mission.meta.mission_type : "";
  const intent: Intent = {
    $schema: "../../schemas/intent.schema.json",
    schema_version: SCHEMA_VERSION,
    goal: `${options.wpId}: ${wp.title || "(untitled work package)"}`,
    constraints: [
      `Stay inside ${options.wpId}'s ${
        lane ? `lane (${lane.lane_id}) write scope` : "owned files"
      }`,
      ...(refs.length > 0 ? [`Satisfy ${refs.join(", ")}`] : []),
    ],
    allowed_files: scope,
    forbidden_files: [],
    risk_level: "medium",
    domain: mt !== "" ? mt : "spec-kitty",
    source: { mission: mission.slug, wp_id: options.wpId },
    approval,
  };
  const tests: TestContract = {
    $schema: "../../schemas/test_contract.schema.json",
    schema_version: SCHEMA_VERSION,
    tests: commands.length === 0
      ? [{
        id: testId,
        command: `TODO: the command that runs ${options.wpId}'s tests`,
        required: true,
        gate: "finish",
        description: `${options.wpId}'s definition of done holds.`,
      }]
      : commands.map((command, i) => ({
        id: testIds[i]!,
        command,
        required: true,
        gate: "finish" as const,
        description: `From ${options.wpId}'s acceptance criteria.`,
      })),
    approval,
  };
  const plan: CommitPlan = {
    $schema: "../../schemas/commit_plan.schema.json",
    schema_version: SCHEMA_VERSION,
    units,
    approval,
  };
  return { intent, tests, plan };
}

/** A write-scope entry `init --from-wp` left out of `allowed_files`, and why. */
export interface DroppedScopeEntry {
  /** The entry as written in lanes.json or owned_files. */
  entry: unknown;
  /** `not a string`, `empty`, `absolute path`, `leaves the repository (..)`, `control character`, `duplicate`. */
  reason: string;
}

/**
 * The write scope of a WP as repo-relative globs: its lane's `write_scope`
 * in lanes.json, else its `owned_files`; entries that cannot be a
 * repository glob are dropped, with the reason.
 *
 * @param mission The mission.
 * @param wpId The WP.
 * @returns The globs, what was dropped, and where the scope came from.
 */
export function wpWriteScope(
  mission: Mission,
  wpId: string,
): { globs: string[]; dropped: DroppedScopeEntry[]; source: "lanes.json" | "owned_files" } {
  const wp = mission.wps.find((w) => (w.id ?? w.fileId) === wpId);
  const lane = laneOfWp(mission.lanes, wpId);
  const fromLane = lane !== null && lane.write_scope.length > 0;
  const raw: unknown[] = fromLane
    ? [...lane!.write_scope]
    : Array.isArray(wp?.frontmatter?.owned_files)
    ? [...(wp!.frontmatter!.owned_files as unknown[])]
    : [];
  const globs: string[] = [];
  const dropped: DroppedScopeEntry[] = [];
  const why: Record<string, string> = {
    empty: "empty",
    absolute: "absolute path",
    parent: "leaves the repository (..)",
    control: "control character",
  };
  for (const v of raw) {
    if (typeof v !== "string") {
      dropped.push({ entry: v, reason: "not a string" });
      continue;
    }
    const g = normalizeRepoPath(v);
    const problem = repoPathProblem(g);
    if (problem !== null) dropped.push({ entry: v, reason: why[problem] ?? problem });
    else if (globs.includes(g)) dropped.push({ entry: v, reason: "duplicate" });
    else globs.push(g);
  }
  return { globs, dropped, source: fromLane ? "lanes.json" : "owned_files" };
}

/**
 * Load the mission and WP of a reference and draft its contract.
 *
 * @param cwd Where to look for `kitty-specs`.
 * @param options The reference and the draft time.
 * @returns The drafts and the default contract name (`<mission>-<wp>`).
 */
export async function loadDraftsFromWp(
  cwd: string,
  options: { ref: string; proposedAt: string },
): Promise<{ drafts: DraftArtifacts; name: string; dropped: DroppedScopeEntry[] }> {
  const { mission: handle, wp } = parseWpReference(options.ref);
  const mission = await openMission(cwd, handle);
  const file = mission.wps.find((w) => (w.id ?? w.fileId) === wp);
  const text = file ? await safeReadTextFile(join(mission.dir, "tasks", file.file)) : "";
  const drafts = draftsFromWp(mission, { wpId: wp, text, proposedAt: options.proposedAt });
  const name = defaultContractNameForWp(mission.slug, wp);
  return { drafts, name, dropped: wpWriteScope(mission, wp).dropped };
}

function _strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function _subtaskIds(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const ids: string[] = [];
  for (const v of value) {
    const id = typeof v === "string"
      ? v
      : v && typeof v === "object" && typeof (v as { id?: unknown }).id === "string"
      ? (v as { id: string }).id
      : null;
    if (id !== null && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id) && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

function _subtaskTitles(text: string): Map<string, string> {
  const titles = new Map<string, string>();
  for (const m of text.matchAll(/^#{2,4}\s+(T\d+)\s*[—–:-]+\s*(.+?)\s*$/gm)) {
    if (!titles.has(m[1]!)) titles.set(m[1]!, m[2]!.replaceAll("`", ""));
  }
  return titles;
}

const _SECTION =
  /^(#{2,4})\s+.*\b(acceptance|definition of done|done when|validation|verification|success criteria)\b/i;
const _RUNNER =
  /^(?:(?:uv run|poetry run|python3? -m|bundle exec|npx|pnpm exec)\s+)?(?:pytest|ruff|mypy|tox|nox|jest|vitest|rake|deno (?:test|lint|check|fmt --check|task)|npm (?:test|run)|pnpm (?:test|run)|yarn (?:test|run)|bun test|cargo (?:test|clippy|check)|go (?:test|vet)|make|mvn|gradle|dotnet test)\b/;

/**
 * The commands a WP's acceptance criteria name: code spans and fenced lines
 * under a heading about acceptance, definition of done, validation or
 * verification that start with a test runner (pytest, ruff, mypy, deno test,
 * npm test, cargo test, go test, make, …). Other commands (`grep …`) are not
 * pass/fail tests and are left out.
 *
 * @param text The WP file's text.
 * @returns Distinct commands, in order (at most 10).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { testCommandsFrom } from "./drafts_from_wp.ts";
 * const wp = "## Definition of Done\n- [ ] `grep x a.py` → 0\n- [ ] `ruff check` + `mypy` pass\n## Risks\n`pytest`\n";
 * assert.deepEqual(testCommandsFrom(wp), ["ruff check", "mypy"]);
 * ```
 */
export function testCommandsFrom(text: string): string[] {
  const out: string[] = [];
  let level = 0;
  let fenced = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      continue;
    }
    const heading = fenced ? null : /^(#{1,6})\s/.exec(line);
    if (heading) {
      const m = _SECTION.exec(line);
      level = m ? m[1]!.length : heading[1]!.length <= level || level === 0 ? 0 : level;
      continue;
    }
    if (level === 0) continue;
    const candidates = fenced
      ? [line.trim().replace(/^\$\s+/, "")]
      : [...line.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!.trim());
    for (const c of candidates) {
      if (c !== "" && _RUNNER.test(c) && !out.includes(c) && out.length < 10) out.push(c);
    }
  }
  return out;
}
