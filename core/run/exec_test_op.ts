/**
 * `keel run exec` / `run/exec`: run a test command (without a shell), show
 * its output live, keep it as evidence, and record the outcome.
 *
 * @module
 */

import { join } from "node:path";
import { z } from "zod";
import type { TestRecord } from "../../schemas/run_report.ts";
import { locateKeel } from "../contract/layout.ts";
import type { OpContext } from "../context.ts";
import { KeelError } from "../errors.ts";
import { ulid } from "../util/ulid.ts";
import { appendTestRecords } from "./append_tests.ts";
import type { RecordTestResult } from "./record_test_op.ts";
import { resolveActiveRun } from "./resolve_run.ts";
import { runDir } from "./run_store.ts";
import { ensureSafeDir, openForWrite } from "../store/safe_file.ts";

/** Output kept in an evidence file: the last 1 MiB. */
export const EVIDENCE_MAX_BYTES = 1024 * 1024;

/** Params of {@link execTestOp}. */
export const ExecTestParams = z.strictObject({
  testId: z.string().min(1).describe("Test id; an id the contract does not know is unplanned."),
  command: z.array(z.string()).min(1).describe("The command and its arguments (no shell)."),
  contract: z.string().optional().describe("Contract whose active run records (default: default)."),
  run: z.string().optional().describe("Run id (instead of the contract's active run)."),
  maxEvidenceBytes: z.number().int().positive().optional().describe(
    "Keep at most this many bytes of output (the tail); default 1 MiB.",
  ),
});

/**
 * Run a test command and record it. The command runs in the operation's
 * directory with stdin closed; stdout and stderr go live to `ctx.onOutput`
 * and, interleaved as they arrive, to
 * `.keel/runs/<id>/evidence/<test>-<n>.log` (only the last 1 MiB is kept,
 * and the file and the record say when output was cut).
 *
 * @param params `{testId, command, contract?, run?}`.
 * @param ctx Operation context.
 * @returns The record: `passed` on exit 0, else `failed`.
 * @throws {KeelError} RUN_NOT_ACTIVE, RUN_NOT_FOUND before anything runs;
 *   TEST_COMMAND_FAILED_TO_START after recording an `error` record when the
 *   command cannot be started (data: {test_id, reason, run_id, evidence}).
 */
export async function execTestOp(
  params: z.input<typeof ExecTestParams>,
  ctx: OpContext,
): Promise<RecordTestResult> {
  const layout = locateKeel(ctx.cwd);
  const ref = await resolveActiveRun(layout, params);
  const cap = params.maxEvidenceBytes ?? EVIDENCE_MAX_BYTES;
  const dir = join(runDir(layout, ref.run_id), "evidence");
  await ensureSafeDir(dir);
  const { file, name } = await _reserveEvidenceFile(dir, params.testId);
  const evidence = `evidence/${name}`;
  const started = ctx.clock.now();
  const t0 = performance.now();
  const [cmd, ...args] = params.command as [string, ...string[]];
  const tail = new _Tail(cap);
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(cmd, {
      args,
      cwd: ctx.cwd,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    const reason = _startFailure(cmd, error);
    await _writeEvidence(file, {
      header: _header(params.testId, params.command, started),
      tail,
      footer: `# keel: the command could not be started: ${reason}\n`,
    });
    const [record] = await appendTestRecords(layout, ref.run_id, [{
      test_id: params.testId,
      planned: false,
      status: "error",
      source: "exec",
      at: started.toISOString(),
      exit_code: null,
      duration_ms: Math.round(performance.now() - t0),
      command: [...params.command],
      evidence,
      output_truncated: false,
      output_bytes: 0,
      reason,
      batch: ulid(started.getTime()),
    }]);
    throw new KeelError(
      "TEST_COMMAND_FAILED_TO_START",
      `Test ${params.testId}: cannot start ${JSON.stringify(cmd)}: ${reason} (recorded as error)`,
      { data: { test_id: params.testId, reason, run_id: ref.run_id, evidence, record } },
    );
  }
  const pump = async (stream: ReadableStream<Uint8Array>, kind: "stdout" | "stderr") => {
    for await (const chunk of stream) {
      tail.push(chunk);
      ctx.onOutput?.(chunk, kind);
    }
  };
  const [status] = await Promise.all([
    child.status,
    pump(child.stdout, "stdout"),
    pump(child.stderr, "stderr"),
  ]);
  const duration = Math.round(performance.now() - t0);
  const passed = status.success;
  const exitCode = status.signal === null ? status.code : null;
  const reason = passed
    ? null
    : status.signal !== null
    ? `killed by signal ${status.signal}`
    : `exit code ${status.code}`;
  await _writeEvidence(file, {
    header: _header(params.testId, params.command, started),
    tail,
    footer: `# keel: ${passed ? "passed" : "failed"} (${
      reason ?? "exit code 0"
    }) in ${duration} ms\n`,
  });
  const record: TestRecord = {
    test_id: params.testId,
    planned: false,
    status: passed ? "passed" : "failed",
    source: "exec",
    at: started.toISOString(),
    exit_code: exitCode,
    duration_ms: duration,
    command: [...params.command],
    evidence,
    output_truncated: tail.dropped > 0,
    output_bytes: tail.total,
    reason,
    batch: ulid(started.getTime()),
  };
  const [written] = await appendTestRecords(layout, ref.run_id, [record]);
  return { run_id: ref.run_id, contract: ref.contract, record: written! };
}

/** Keeps the last `cap` bytes of a stream of chunks. */
class _Tail {
  chunks: Uint8Array[] = [];
  size = 0;
  total = 0;
  dropped = 0;
  constructor(readonly cap: number) {}

  push(chunk: Uint8Array): void {
    this.total += chunk.length;
    this.chunks.push(chunk.slice());
    this.size += chunk.length;
    while (this.size > this.cap) {
      const first = this.chunks[0]!;
      const excess = this.size - this.cap;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
        this.dropped += first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
        this.dropped += excess;
      }
    }
  }
}

async function _reserveEvidenceFile(
  dir: string,
  testId: string,
): Promise<{ file: Deno.FsFile; name: string }> {
  const base = testId.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_").slice(0, 100) || "test";
  for (let n = 1;; n++) {
    const name = `${base}-${n}.log`;
    try {
      const file = await openForWrite(join(dir, name), { createNew: true });
      return { file, name };
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
  }
}

function _header(testId: string, command: readonly string[], at: Date): string {
  return `# keel evidence: test ${testId}\n# command: ${JSON.stringify(command)}\n` +
    `# started: ${at.toISOString()}\n`;
}

async function _writeEvidence(
  file: Deno.FsFile,
  parts: { header: string; tail: _Tail; footer: string },
): Promise<void> {
  const enc = new TextEncoder();
  try {
    let head = parts.header;
    if (parts.tail.dropped > 0) {
      head += `# keel: output truncated: the first ${parts.tail.dropped} of ${parts.tail.total} ` +
        `bytes were cut; the last ${parts.tail.size} bytes follow\n`;
    }
    await _writeAll(file, enc.encode(head + "\n"));
    for (const c of parts.tail.chunks) await _writeAll(file, c);
    const last = parts.tail.chunks.at(-1);
    const sep = last && last.length > 0 && last[last.length - 1] !== 10 ? "\n" : "";
    await _writeAll(file, enc.encode(`${sep}\n${parts.footer}`));
    await file.sync();
  } finally {
    file.close();
  }
}

async function _writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += await file.write(bytes.subarray(off));
}

function _startFailure(cmd: string, error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return `command not found: ${cmd}`;
  if (error instanceof Deno.errors.PermissionDenied) return `permission denied: ${cmd}`;
  return error instanceof Error ? error.message : String(error);
}
