/**
 * JSONL checks: a torn tail (with its line and byte offset) and complete
 * lines that do not parse. Never hides the lines before a problem.
 *
 * @module
 */

import { parseJsonl } from "../store/mod.ts";
import { type DoctorProblem, problem } from "./codes.ts";
import { findTornTail } from "./torn_tail.ts";
import { safeReadFile } from "../store/safe_file.ts";

/** What {@link checkJsonl} read. */
export interface JsonlCheck {
  /** Problems found. */
  problems: DoctorProblem[];
  /** The text without the torn tail (what readers use), or `null` when the file is absent. */
  goodText: string | null;
  /** Number of readable records before and around the problems. */
  records: number;
}

/**
 * Check a JSONL file for a torn tail and, when `badLines` is set, for
 * complete lines that are not JSON.
 *
 * @param abs Absolute path.
 * @param options `display` (repo-relative path), `badLines` (report JSONL_BAD_LINE), `lock` (the lock writers take, named in the explanation).
 * @returns Problems and the good text.
 */
export async function checkJsonl(
  abs: string,
  options: { display: string; badLines: boolean; lock: string },
): Promise<JsonlCheck> {
  let bytes: Uint8Array;
  try {
    bytes = await safeReadFile(abs);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { problems: [], goodText: null, records: 0 };
    throw error;
  }
  const problems: DoctorProblem[] = [];
  const torn = findTornTail(bytes);
  const good = torn === null ? bytes : bytes.subarray(0, torn.offset);
  const goodText = new TextDecoder().decode(good);
  const parsed = parseJsonl(goodText);
  if (torn !== null) {
    problems.push(problem("JSONL_TORN_TAIL", {
      path: options.display,
      message:
        `${options.display}: line ${torn.line} (byte ${torn.offset}, ${torn.bytes} bytes) is a partial record`,
      explanation:
        `A write was cut short (the writer was killed or the disk filled). The ${parsed.records.length} ` +
        `record(s) before it are intact and still read. keel doctor --fix moves the partial bytes to ` +
        `a side file beside it (under ${options.lock}) so the file ends on a whole line again; nothing is deleted.`,
      evidence: { line: torn.line, offset: torn.offset, bytes: torn.bytes, text: torn.text },
    }));
  }
  if (options.badLines) {
    for (const b of parsed.bad) {
      problems.push(problem("JSONL_BAD_LINE", {
        path: options.display,
        message: `${options.display}: line ${b.line} is not JSON: ${b.reason}`,
        explanation:
          "A complete line that is not JSON was written by hand or by a bad merge. Readers skip it and " +
          "keep every other line; fix or remove it by hand (keel never deletes a record).",
        evidence: { line: b.line, reason: b.reason },
      }));
    }
  }
  return { problems, goodText, records: parsed.records.length };
}
