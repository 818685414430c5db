/**
 * Review-cycle files (`tasks/<WP dir>/review-cycle-N.md`): where they live,
 * which one is the latest, and what its frontmatter says.
 *
 * @module
 */

import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { safeReadTextFile } from "../store/safe_file.ts";

/** The latest review-cycle file of one WP folder. */
export interface LatestReviewCycle {
  /** Absolute path of the file. */
  path: string;
  /** The folder name under `tasks/` (`WP06-canonical-progress-reporting` or `WP06`). */
  wpDir: string;
  /** File name. */
  fileName: string;
  /** The number from the file name (`review-cycle-(\d+).md`); 0 when it does not parse. */
  number: number;
  /** The frontmatter mapping, or `null` when it cannot be read. */
  frontmatter: Record<string, unknown> | null;
  /** Why the frontmatter cannot be read (`null` when it can). */
  parseError: string | null;
}

const _CYCLE_NAME = /^review-cycle-.*\.md$/;
const _CYCLE_NUMBER = /review-cycle-(\d+)\.md$/;

/**
 * The review-cycle folders of a WP, in the order they are checked:
 * `tasks/<WP_ID>` when it is a folder, then every `tasks/<WP_ID>-*` folder in
 * sorted order.
 *
 * @param tasksDir Absolute path of the mission's `tasks/` folder.
 * @param wpId The WP id (`WP06`).
 * @returns Folder names under `tasks/` (empty when there are none).
 */
export async function reviewCycleDirs(tasksDir: string, wpId: string): Promise<string[]> {
  const bare: string[] = [];
  const named: string[] = [];
  try {
    for await (const entry of Deno.readDir(tasksDir)) {
      if (!entry.isDirectory) continue;
      if (entry.name === wpId) bare.push(entry.name);
      else if (entry.name.startsWith(`${wpId}-`)) named.push(entry.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  named.sort(_codePointCompare);
  return [...bare, ...named];
}

/**
 * The latest review-cycle file in one WP folder: the highest number in the
 * file name (names that do not parse count as 0; equal numbers are ordered by
 * name, the last wins). Its frontmatter is parsed; a file without readable
 * frontmatter is reported through `parseError`, never thrown.
 *
 * @param tasksDir Absolute path of the mission's `tasks/` folder.
 * @param wpDir Folder name under `tasks/`.
 * @returns The latest cycle, or `null` when the folder has none.
 */
export async function latestReviewCycle(
  tasksDir: string,
  wpDir: string,
): Promise<LatestReviewCycle | null> {
  const dir = join(tasksDir, wpDir);
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && _CYCLE_NAME.test(entry.name)) names.push(entry.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  if (names.length === 0) return null;
  const ranked = names
    .map((name) => ({ name, number: cycleNumberFromName(name) }))
    .sort((a, b) => a.number - b.number || _codePointCompare(a.name, b.name));
  const latest = ranked[ranked.length - 1]!;
  const path = join(dir, latest.name);
  const text = await safeReadTextFile(path);
  const parsed = parseFrontmatter(text);
  return {
    path,
    wpDir,
    fileName: latest.name,
    number: latest.number,
    frontmatter: parsed.ok ? parsed.data : null,
    parseError: parsed.ok ? null : parsed.error,
  };
}

/**
 * The cycle number in a review-cycle file name.
 *
 * @param name File name.
 * @returns The number, or 0 when the name does not match `review-cycle-<digits>.md`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cycleNumberFromName } from "./review_cycles.ts";
 * assert(cycleNumberFromName("review-cycle-12.md") === 12);
 * assert(cycleNumberFromName("review-cycle-x.md") === 0);
 * ```
 */
export function cycleNumberFromName(name: string): number {
  const m = _CYCLE_NUMBER.exec(name);
  return m ? Number.parseInt(m[1]!, 10) : 0;
}

/** Result of {@link parseFrontmatter}. */
export type FrontmatterResult =
  | { ok: true; data: Record<string, unknown> }
  | { ok: false; error: string };

/**
 * Parse the YAML frontmatter of a Markdown file: a first line `---`, YAML,
 * and a closing `---` line. The YAML must be a mapping.
 *
 * @param text The file's text.
 * @returns The mapping, or why it cannot be read.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFrontmatter } from "./review_cycles.ts";
 * const r = parseFrontmatter("---\nverdict: rejected\n---\nbody\n");
 * assert(r.ok && r.data.verdict === "rejected");
 * assert(!parseFrontmatter("# no frontmatter\n").ok);
 * ```
 */
export function parseFrontmatter(text: string): FrontmatterResult {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const lines = body.split(/\r?\n/);
  if (lines[0]?.trimEnd() !== "---") {
    return { ok: false, error: "no frontmatter: the file does not start with a '---' line" };
  }
  const end = lines.findIndex((line, i) => i > 0 && line.trimEnd() === "---");
  if (end < 0) return { ok: false, error: "frontmatter is not closed by a '---' line" };
  let data: unknown;
  try {
    data = parseYaml(lines.slice(1, end).join("\n"), { logLevel: "error" });
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return { ok: false, error: `frontmatter is not valid YAML: ${message}` };
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    return { ok: false, error: "frontmatter is not a YAML mapping" };
  }
  return { ok: true, data: data as Record<string, unknown> };
}

function _codePointCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
