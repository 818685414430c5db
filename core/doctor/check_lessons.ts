/**
 * `.keel/lessons.jsonl`: a torn tail, and lines that are not lessons.
 *
 * @module
 */

import { join } from "node:path";
import type { KeelLayout } from "../contract/mod.ts";
import { parseLessons } from "../retro/mod.ts";
import { checkJsonl } from "./check_jsonl.ts";
import { type DoctorProblem, problem } from "./codes.ts";

/**
 * Check lessons.jsonl.
 *
 * @param layout Where .keel is.
 * @returns Problems found.
 */
export async function checkLessons(layout: KeelLayout): Promise<DoctorProblem[]> {
  const display = ".keel/lessons.jsonl";
  const r = await checkJsonl(join(layout.keelDir, "lessons.jsonl"), {
    display,
    badLines: false,
    lock: ".keel/lessons.jsonl.lock",
  });
  const problems = [...r.problems];
  if (r.goodText !== null) {
    for (const p of parseLessons(r.goodText, display).problems) {
      if (p.code !== "LESSONS_CORRUPT") continue;
      problems.push(problem("LESSONS_CORRUPT", {
        path: display,
        message: `${display}: ${p.message}`,
        explanation:
          "keel lessons and keel trust skip this line and read every other one. It was edited by hand " +
          "or merged badly; fix or remove it by hand (keel never deletes a record).",
        evidence: { line: p.line, reason: p.message },
      }));
    }
  }
  return problems;
}
