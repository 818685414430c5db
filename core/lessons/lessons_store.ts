/**
 * `.keel/lessons.jsonl` on disk: reading (bad lines and a torn tail are
 * reported, never hiding the lines before them) and appending only what is
 * new, under the file's lock, re-reading under it.
 *
 * @module
 */

import { join } from "../util/mod.ts";
import type { KeelLayout } from "../layout/mod.ts";
import { appendJsonlUnlocked, parseJsonl } from "../store/mod.ts";
import { withLock } from "../store/mod.ts";
import { Lesson, sameLessonState } from "./lesson.ts";
import { safeReadTextFile } from "../store/mod.ts";

/** A problem found while reading lessons.jsonl. */
export interface LessonProblem {
  /** `JSONL_TORN_TAIL` (a cut-short last line) or `LESSONS_CORRUPT` (a line that is not a lesson). */
  code: "JSONL_TORN_TAIL" | "LESSONS_CORRUPT";
  /** The file, as shown to people. */
  path: string;
  /** 1-based line number. */
  line: number;
  /** What is wrong. */
  message: string;
}

/** What {@link readLessons} found. */
export interface LessonsRead {
  /** Every good record, in file order. */
  records: Lesson[];
  /** Problems (the good records are still all there). */
  problems: LessonProblem[];
}

/**
 * Path of lessons.jsonl.
 *
 * @param layout Where .keel is.
 * @returns `<root>/.keel/lessons.jsonl`.
 */
export function lessonsPath(layout: KeelLayout): string {
  return join(layout.keelDir, "lessons.jsonl");
}

/**
 * Read lessons.jsonl. A missing file reads as empty.
 *
 * @param layout Where .keel is.
 * @param options `display`: the path shown in problems (default `.keel/lessons.jsonl`).
 * @returns Records and problems.
 */
export async function readLessons(
  layout: KeelLayout,
  options: { display?: string } = {},
): Promise<LessonsRead> {
  let text = "";
  try {
    text = await safeReadTextFile(lessonsPath(layout));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return parseLessons(text, options.display ?? ".keel/lessons.jsonl");
}

/**
 * Parse the text of lessons.jsonl.
 *
 * @param text File content.
 * @param display The path shown in problems.
 * @returns Records and problems.
 */
export function parseLessons(text: string, display: string): LessonsRead {
  const parsed = parseJsonl(text);
  const records: Lesson[] = [];
  const problems: LessonProblem[] = [];
  for (const r of parsed.records) {
    const ok = Lesson.safeParse(r.value);
    if (ok.success) records.push(ok.data);
    else {
      problems.push({
        code: "LESSONS_CORRUPT",
        path: display,
        line: r.line,
        message: `line ${r.line} is not a lesson: ${ok.error.issues[0]?.message ?? "invalid"}`,
      });
    }
  }
  for (const b of parsed.bad) {
    problems.push({
      code: "LESSONS_CORRUPT",
      path: display,
      line: b.line,
      message: `line ${b.line} is not JSON: ${b.reason}`,
    });
  }
  if (parsed.torn) {
    problems.push({
      code: "JSONL_TORN_TAIL",
      path: display,
      line: parsed.torn.line,
      message: `the last line (${parsed.torn.line}) was cut short at byte ${parsed.torn.offset}`,
    });
  }
  problems.sort((a, b) => a.line - b.line);
  return { records, problems };
}

/**
 * The latest record of each key, in the order the keys first appeared.
 *
 * @param records Records in file order.
 * @returns One record per key.
 */
export function latestLessons(records: readonly Lesson[]): Lesson[] {
  const byKey = new Map<string, Lesson>();
  for (const r of records) byKey.set(r.key, r);
  return [...byKey.values()];
}

/** What {@link appendNewLessons} did. */
export interface AppendResult {
  /** Records appended. */
  appended: Lesson[];
  /** Candidates whose latest record already says the same. */
  unchanged: number;
}

/**
 * Append the candidates whose key is new, or whose latest record differs in
 * acceptance. Runs under the lessons lock and re-reads the file under it, so
 * concurrent retrospectives of the same run append each record once.
 *
 * @param layout Where .keel is.
 * @param candidates Records to append when new.
 * @returns What was appended.
 */
export async function appendNewLessons(
  layout: KeelLayout,
  candidates: readonly Lesson[],
): Promise<AppendResult> {
  const path = lessonsPath(layout);
  return await withLock(`${path}.lock`, async () => {
    const { records } = await readLessons(layout);
    const latest = new Map(latestLessons(records).map((r) => [r.key, r]));
    const appended: Lesson[] = [];
    let unchanged = 0;
    for (const c of candidates) {
      const prev = latest.get(c.key);
      if (prev !== undefined && sameLessonState(prev, c)) unchanged++;
      else {
        appended.push(c);
        latest.set(c.key, c);
      }
    }
    await appendJsonlUnlocked(path, appended);
    return { appended, unchanged };
  });
}
