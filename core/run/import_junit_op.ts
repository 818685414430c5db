/**
 * `keel run import-junit` / `run/importJunit`: record every testcase of a
 * JUnit XML report, all or nothing.
 *
 * @module
 */

import { isAbsolute, join, relative } from "node:path";
import { z } from "zod";
import type { TestRecord } from "../../schemas/run_report.ts";
import { locateKeel } from "../contract/layout.ts";
import type { OpContext } from "../context.ts";
import { KeelError } from "../errors.ts";
import { ulid } from "../util/ulid.ts";
import { appendTestRecords } from "./append_tests.ts";
import { resolveActiveRun } from "./resolve_run.ts";
import { loadRunReport } from "./run_store.ts";
import { safeReadTextFile } from "../store/safe_file.ts";

/** Params of {@link importJunitOp}. */
export const ImportJunitParams = z.strictObject({
  file: z.string().min(1).describe("Path of the JUnit XML report (relative to the directory)."),
  contract: z.string().optional().describe("Contract whose active run records (default: default)."),
  run: z.string().optional().describe("Run id (instead of the contract's active run)."),
});

/** Result of {@link importJunitOp}. */
export interface ImportJunitResult {
  run_id: string;
  contract: string;
  file: string;
  /** Testcases by JUnit outcome. */
  testcases: { total: number; passed: number; failure: number; error: number; skipped: number };
  /** Planned test id → how many testcases matched it. */
  matched: Record<string, number>;
  /** Testcases that match no planned test (recorded as unplanned). */
  unplanned: number;
  /** Records written (a testcase matching two planned tests is recorded for each). */
  recorded: number;
  records: TestRecord[];
}

const STATUS = { passed: "passed", failure: "failed", error: "error", skipped: "skipped" } as const;

/**
 * Import a JUnit XML report into the active run. Each testcase is recorded
 * under every planned test whose `junit_name` matches it
 * (`classname.name`, `name`, or a prefix ending in `*`); a testcase matching
 * none is recorded under its own name (`classname.name`) as unplanned.
 * JUnit failures become `failed`, errors `error`, skips `skipped`. The
 * records of one import share a batch. The whole report is parsed before
 * anything is written.
 *
 * @param params `{file, contract?, run?}`.
 * @param ctx Operation context.
 * @returns What was recorded.
 * @throws {KeelError} JUNIT_INVALID (data: {path, line, column, reason}) —
 *   nothing recorded; ARTIFACT_NOT_FOUND for a missing file; RUN_NOT_ACTIVE.
 */
export async function importJunitOp(
  params: z.input<typeof ImportJunitParams>,
  ctx: OpContext,
): Promise<ImportJunitResult> {
  const layout = locateKeel(ctx.cwd);
  const ref = await resolveActiveRun(layout, params);
  const abs = isAbsolute(params.file) ? params.file : join(ctx.cwd, params.file);
  const shown = _display(layout.root, abs);
  let text: string;
  try {
    text = await safeReadTextFile(abs);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new KeelError("ARTIFACT_NOT_FOUND", `Cannot read ${shown}: no such file`, {
        data: { path: shown },
      });
    }
    throw error;
  }
  // Loaded here so the other run commands do not pay for the XML parser.
  const { matchJUnitCase, parseJUnit } = await import("./parse_junit.ts");
  const parsed = parseJUnit(text);
  if (!parsed.ok) {
    throw new KeelError(
      "JUNIT_INVALID",
      `Cannot parse ${shown}: ${parsed.reason} at line ${parsed.line}, column ${parsed.column}; ` +
        `nothing recorded`,
      { data: { path: shown, line: parsed.line, column: parsed.column, reason: parsed.reason } },
    );
  }
  const report = await loadRunReport(layout, ref.run_id);
  const planned = report.contract_snapshot.tests.tests;
  const now = ctx.clock.now();
  const at = now.toISOString();
  const batch = ulid(now.getTime());
  const counts = { total: 0, passed: 0, failure: 0, error: 0, skipped: 0 };
  const matched: Record<string, number> = {};
  let unplanned = 0;
  const records: TestRecord[] = [];
  for (const c of parsed.cases) {
    counts.total++;
    counts[c.outcome]++;
    const ids = matchJUnitCase(c, planned);
    if (ids.length === 0) unplanned++;
    const full = c.classname ? `${c.classname}.${c.name}` : c.name;
    for (const id of ids.length > 0 ? ids : [full]) {
      if (ids.length > 0) matched[id] = (matched[id] ?? 0) + 1;
      records.push({
        test_id: id,
        planned: ids.length > 0,
        status: STATUS[c.outcome],
        source: "junit",
        at,
        duration_ms: c.time_s === null ? null : Math.round(c.time_s * 1000),
        evidence: null,
        reason: c.message,
        junit: {
          classname: c.classname,
          name: c.name,
          file: c.file,
          outcome: c.outcome,
          time_s: c.time_s,
        },
        batch,
      });
    }
  }
  const written = await appendTestRecords(layout, ref.run_id, records);
  return {
    run_id: ref.run_id,
    contract: ref.contract,
    file: shown,
    testcases: counts,
    matched,
    unplanned,
    recorded: written.length,
    records: written,
  };
}

function _display(root: string, abs: string): string {
  const rel = relative(root, abs);
  return rel.startsWith("..") || isAbsolute(rel) ? abs : rel;
}
