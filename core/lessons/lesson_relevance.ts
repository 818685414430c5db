/**
 * Lessons fed forward: which earlier deltas happened on paths a new
 * contract covers (its allowed_files or its units' files), as
 * `LESSON_RELEVANT` info findings, one per finding code.
 *
 * @module
 */

import type { CommitPlan, Intent } from "../../schemas/mod.ts";
import type { Finding } from "../../schemas/run_report.ts";
import { compileGlobs } from "../glob/mod.ts";
import { normalizeRepoPath } from "../util/mod.ts";
import type { Lesson } from "./lesson.ts";

/** The parts of a contract the relevance check reads. */
export interface CoveringContract {
  intent: Pick<Intent, "allowed_files"> | null;
  plan: Pick<CommitPlan, "units"> | null;
}

/**
 * `LESSON_RELEVANT` findings: for each finding code, the earlier lessons
 * whose paths the contract's allowed files or unit files cover. Pure.
 *
 * @param lessons The latest lesson per delta.
 * @param contract The contract's intent and plan (either may be missing).
 * @returns Info findings, ordered by code.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { relevantLessonFindings } from "./lesson_relevance.ts";
 * const f = relevantLessonFindings([], { intent: { allowed_files: ["src/**"] }, plan: null });
 * assert(f.length === 0);
 * ```
 */
export function relevantLessonFindings(
  lessons: readonly Lesson[],
  contract: CoveringContract,
): Finding[] {
  const globs = [
    ...(contract.intent?.allowed_files ?? []),
    ...(contract.plan?.units.flatMap((u) => u.files) ?? []),
  ].map(normalizeRepoPath).filter((g) => g !== "");
  if (globs.length === 0) return [];
  const covers = compileGlobs(globs);
  const groups = new Map<string, { lessons: Lesson[]; paths: Set<string> }>();
  for (const l of lessons) {
    const hit = l.paths.filter((p) => covers(p));
    if (hit.length === 0) continue;
    const g = groups.get(l.code) ?? { lessons: [], paths: new Set<string>() };
    g.lessons.push(l);
    for (const p of hit) g.paths.add(p);
    groups.set(l.code, g);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(
    ([code, g]) => {
      const runs = [...new Set(g.lessons.map((l) => l.run))];
      const paths = [...g.paths].sort();
      const accepted = g.lessons.filter((l) => l.accepted);
      const domains = [...new Set(g.lessons.map((l) => l.domain))].sort();
      const shown = paths.slice(0, 5).join(", ") +
        (paths.length > 5 ? `, … (${paths.length})` : "");
      const why = accepted.find((l) => l.rationale)?.rationale;
      return {
        code: "LESSON_RELEVANT",
        severity: "info" as const,
        message: `Earlier drift on paths this contract covers: ${code} on ${shown} in ` +
          `${runs.length} run(s) (${domains.join(", ")}); ${accepted.length} of ` +
          `${g.lessons.length} accepted` + (why ? ` ("${why}")` : "") + ".",
        evidence: {
          lesson_code: code,
          paths,
          runs,
          domains,
          lessons: g.lessons.map((l) => l.key),
          accepted: accepted.length,
          open: g.lessons.length - accepted.length,
        },
        location: "intent.json $.allowed_files",
      };
    },
  );
}
