/**
 * `keel run import-junit` / `run/importJunit`: record every testcase of a
 * JUnit XML report, all or nothing.
 *
 * @module
 */

import { isAbsolute, join, relative } from "../util/posix_path.ts";
import { z } from "zod";
import { parseParams } from "../params.ts";
import { nameParam } from "../param_schemas.ts";
import type { ImportedEvidence, TestRecord } from "../../schemas/run_report.ts";
import { locateKeel } from "../contract/layout.ts";
import type { OpContext } from "../context.ts";
import { KeelError } from "../errors.ts";
import { sha256Bytes } from "../util/sha256.ts";
import { ulid } from "../util/ulid.ts";
import { appendTestRecords } from "./append_tests.ts";
import { resolveActiveRun } from "./resolve_run.ts";
import { ensureSafeDir, openForWrite, safeReadFile } from "../store/safe_file.ts";
import { loadRunReport, runDir } from "./run_store.ts";

/**
 * Up to this many testcase records are kept in the run report; a larger
 * report keeps its testcases in the run's evidence folder (JSON lines) and
 * the run report holds one record per matched planned test and a summary
 * of the unplanned ones.
 */
export const JUNIT_INLINE_MAX = 1000;

/** How many unplanned testcase names a summary keeps. */
const SAMPLE = 20;

/** Params of {@link importJunitOp}. */
export const ImportJunitParams = z.strictObject({
  file: nameParam().describe("Path of the JUnit XML report (relative to the directory)."),
  contract: nameParam().optional().describe(
    "Contract whose active run records (default: default).",
  ),
  run: nameParam().optional().describe("Run id (instead of the contract's active run)."),
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
  /** The records written into the run report. */
  records: TestRecord[];
  /** The copy of the report kept as evidence, with its digest (and the per-testcase detail). */
  evidence: ImportedEvidence;
}

const STATUS = { passed: "passed", failure: "failed", error: "error", skipped: "skipped" } as const;

/**
 * Import a JUnit XML report into the active run. Each testcase is recorded
 * under every planned test whose `junit_name` matches it
 * (`classname.name`, `name`, or a prefix ending in `*`); a testcase matching
 * none is recorded under its own name (`classname.name`) as unplanned.
 * JUnit failures become `failed`, errors `error`, skips `skipped`. The
 * records of one import share a batch. The whole report is parsed before
 * anything is written. The XML is copied into the run's evidence folder with
 * its sha256 (an imported file inside the repository is never a scope
 * finding). Beyond {@link JUNIT_INLINE_MAX} records, the per-testcase
 * records go to `evidence/junit-<n>.jsonl` and the report keeps one record
 * per matched planned test (the worst testcase, with `testcases`) and a
 * summary of the unplanned testcases, so the report stays small.
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
  params = parseParams(ImportJunitParams, params);
  const layout = locateKeel(ctx.cwd);
  const ref = await resolveActiveRun(layout, params);
  const abs = isAbsolute(params.file) ? params.file : join(ctx.cwd, params.file);
  const shown = _display(layout.root, abs);
  let bytes: Uint8Array;
  let text: string;
  try {
    // A regular file only (never a FIFO, device or symlink), up to 1 GiB.
    bytes = await safeReadFile(abs, { maxBytes: 1024 * 1024 * 1024 });
    text = new TextDecoder().decode(bytes);
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
  const dir = join(runDir(layout, ref.run_id), "evidence");
  await ensureSafeDir(dir);
  const copy = await _reserve(dir, "junit", ".xml");
  await _write(copy.file, bytes);
  const evidence: ImportedEvidence = {
    path: shown,
    evidence: `evidence/${copy.name}`,
    sha256: await sha256Bytes(bytes),
    batch,
    detail: null,
  };
  let inline = records;
  if (records.length > JUNIT_INLINE_MAX) {
    const detail = await _reserve(dir, copy.name.slice(0, -4), ".jsonl");
    const enc = new TextEncoder();
    const parts: Uint8Array[] = [];
    let size = 0;
    for (const r of records) {
      const line = enc.encode(JSON.stringify(r) + "\n");
      parts.push(line);
      size += line.length;
    }
    const all = new Uint8Array(size);
    let off = 0;
    for (const p of parts) {
      all.set(p, off);
      off += p.length;
    }
    await _write(detail.file, all);
    evidence.detail = `evidence/${detail.name}`;
    evidence.detail_sha256 = await sha256Bytes(all);
    inline = _aggregate(records);
    const un = records.filter((r) => !r.planned);
    const failingFirst = [
      ...un.filter((r) => r.status === "failed" || r.status === "error"),
      ...un.filter((r) => r.status !== "failed" && r.status !== "error"),
    ];
    evidence.unplanned = {
      total: un.length,
      passed: un.filter((r) => r.status === "passed").length,
      failed: un.filter((r) => r.status === "failed").length,
      error: un.filter((r) => r.status === "error").length,
      skipped: un.filter((r) => r.status === "skipped").length,
      sample: failingFirst.slice(0, SAMPLE).map((r) => r.test_id),
    };
  }
  const written = await appendTestRecords(layout, ref.run_id, inline, evidence);
  return {
    run_id: ref.run_id,
    contract: ref.contract,
    file: shown,
    testcases: counts,
    matched,
    unplanned,
    recorded: records.length,
    records: written,
    evidence,
  };
}

const RANK = { error: 4, interrupted: 3, failed: 2, passed: 1, skipped: 0 } as const;

/** One record per planned test id: its worst testcase, with how many there were. */
function _aggregate(records: readonly TestRecord[]): TestRecord[] {
  const by = new Map<string, { worst: TestRecord; n: number }>();
  for (const r of records) {
    if (!r.planned) continue;
    const cur = by.get(r.test_id);
    if (!cur) by.set(r.test_id, { worst: r, n: 1 });
    else {
      cur.n++;
      if (RANK[r.status] > RANK[cur.worst.status]) cur.worst = r;
    }
  }
  return [...by.values()].map(({ worst, n }) => ({ ...worst, testcases: n }));
}

async function _reserve(
  dir: string,
  base: string,
  ext: string,
): Promise<{ file: Deno.FsFile; name: string }> {
  for (let n = 1;; n++) {
    const name = base.startsWith("junit-") ? `${base}${ext}` : `${base}-${n}${ext}`;
    try {
      const file = await openForWrite(join(dir, name), { createNew: true });
      return { file, name };
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists) || base.startsWith("junit-")) throw error;
    }
  }
}

async function _write(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  try {
    let off = 0;
    while (off < bytes.length) off += await file.write(bytes.subarray(off));
    await file.sync();
  } finally {
    file.close();
  }
}

function _display(root: string, abs: string): string {
  const rel = relative(root, abs);
  return rel.startsWith("..") || isAbsolute(rel) ? abs : rel;
}
