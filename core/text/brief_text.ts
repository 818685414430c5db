/**
 * The human text of the brief's lessons.
 *
 * @module
 */

import type { RelevantLessonsResult } from "../brief/mod.ts";

/**
 * The human text of `lessons/relevant`.
 *
 * @param r The result.
 * @returns The text.
 */
export function relevantLessonsText(r: RelevantLessonsResult): string {
  if (r.lessons.length === 0) {
    return `No lessons recorded for the paths of contract "${r.contract}".`;
  }
  return [
    `Lessons for the paths of contract "${r.contract}":`,
    ...r.lessons.map((l) => `  · ${l.message}`),
  ].join("\n");
}
