/**
 * `keel lessons` / `lessons/list`: read lessons back, the latest record per
 * delta, filtered by domain and code; optionally from every worktree.
 *
 * @module
 */

import { relative } from "node:path";
import { z } from "zod";
import { parseParams } from "../params.ts";
import { nameParam } from "../param_schemas.ts";
import { type KeelLayout, locateKeel } from "../contract/layout.ts";
import type { OpContext } from "../context.ts";
import type { Lesson } from "./lesson.ts";
import { latestLessons, type LessonProblem, readLessons } from "./lessons_store.ts";
import { worktreeLayouts } from "./worktrees.ts";

/** Params of {@link listLessonsOp}. */
export const ListLessonsParams = z.strictObject({
  domain: nameParam().optional().describe("Only lessons of this domain."),
  code: nameParam().optional().describe("Only lessons with this finding code."),
  allWorktrees: z.boolean().optional().describe("Read every worktree of the repository."),
});

/** Result of {@link listLessonsOp}. */
export interface ListLessonsResult {
  /** The latest record of each delta that passes the filters, oldest first. */
  lessons: Lesson[];
  /** Counts over the filtered lessons. */
  counts: { lessons: number; accepted: number; open: number; runs: number };
  /** Problems found while reading (torn tail, corrupt lines); good lines are all kept. */
  problems: LessonProblem[];
  /** The files read, relative to this worktree's root. */
  sources: string[];
  filters: { domain: string | null; code: string | null };
}

/**
 * Read lessons.
 *
 * @param params `{domain?, code?, allWorktrees?}`.
 * @param ctx Operation context.
 * @returns The lessons and any problems.
 */
export async function listLessonsOp(
  params: z.input<typeof ListLessonsParams>,
  ctx: OpContext,
): Promise<ListLessonsResult> {
  params = parseParams(ListLessonsParams, params);
  const layout = locateKeel(ctx.cwd);
  const { records, problems, sources } = await readAllLessons(layout, {
    allWorktrees: params.allWorktrees === true,
  });
  const lessons = latestLessons(records).filter((l) =>
    (params.domain === undefined || l.domain === params.domain) &&
    (params.code === undefined || l.code === params.code)
  );
  const accepted = lessons.filter((l) => l.accepted).length;
  return {
    lessons,
    counts: {
      lessons: lessons.length,
      accepted,
      open: lessons.length - accepted,
      runs: new Set(lessons.map((l) => l.run)).size,
    },
    problems,
    sources,
    filters: { domain: params.domain ?? null, code: params.code ?? null },
  };
}

/**
 * Every lesson record of this worktree (or of all worktrees), ordered by
 * `recorded_at` (stable, so file order breaks ties); identical records found
 * in several worktrees count once.
 *
 * @param layout This worktree's layout.
 * @param options `allWorktrees`.
 * @returns Records, problems, and the files read.
 */
export async function readAllLessons(
  layout: KeelLayout,
  options: { allWorktrees: boolean },
): Promise<{ records: Lesson[]; problems: LessonProblem[]; sources: string[] }> {
  const layouts = options.allWorktrees ? await worktreeLayouts(layout) : [layout];
  const records: Lesson[] = [];
  const problems: LessonProblem[] = [];
  const sources: string[] = [];
  const seen = new Set<string>();
  for (const l of layouts) {
    const display = _display(layout, l);
    sources.push(display);
    const read = await readLessons(l, { display });
    problems.push(...read.problems);
    for (const r of read.records) {
      const id = JSON.stringify([r.key, r.accepted, r.rationale, r.accepted_by]);
      if (seen.has(id)) continue;
      seen.add(id);
      records.push(r);
    }
  }
  if (layouts.length > 1) records.sort((a, b) => _cmp(a.recorded_at, b.recorded_at));
  return { records, problems, sources };
}

function _display(here: KeelLayout, other: KeelLayout): string {
  const rel = relative(here.root, other.root);
  return rel === "" ? ".keel/lessons.jsonl" : `${rel}/.keel/lessons.jsonl`;
}

function _cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
