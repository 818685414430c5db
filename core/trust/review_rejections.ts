/**
 * Rejected review cycles of a spec-kitty work package:
 * `kitty-specs/<mission>/tasks/<WP dir>/review-cycle-*.md` whose frontmatter
 * verdict is a rejection (`rejected`, `reject`, `changes_requested`,
 * `changes_requested_for_arbiter`).
 *
 * @module
 */

import { join } from "node:path";
import { parseFrontmatter, reviewCycleDirs } from "../gates/mod.ts";
import { safeReadTextFile } from "../store/safe_file.ts";

const _REJECTED = new Set([
  "rejected",
  "reject",
  "changes_requested",
  "changes_requested_for_arbiter",
]);

/**
 * Count the rejected review cycles of a WP. Files without a readable verdict
 * count as not rejected; a missing mission or WP counts 0.
 *
 * @param root The repository root (holding `kitty-specs/`).
 * @param source The mission slug and WP id.
 * @returns The number of rejected cycles.
 */
export async function countRejectedReviewCycles(
  root: string,
  source: { mission: string; wp_id: string },
): Promise<number> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(source.mission)) return 0;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(source.wp_id)) return 0;
  const tasks = join(root, "kitty-specs", source.mission, "tasks");
  let n = 0;
  for (const dir of await reviewCycleDirs(tasks, source.wp_id)) {
    try {
      for await (const e of Deno.readDir(join(tasks, dir))) {
        if (!e.isFile || !/^review-cycle-.*\.md$/.test(e.name)) continue;
        const fm = parseFrontmatter(await safeReadTextFile(join(tasks, dir, e.name)));
        const verdict = fm.ok ? fm.data.verdict : undefined;
        if (typeof verdict === "string" && _REJECTED.has(verdict.trim().toLowerCase())) n++;
      }
    } catch {
      // an unreadable folder counts nothing
    }
  }
  return n;
}
