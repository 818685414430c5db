/**
 * `keel run exec` / `run/exec`: run a test command (without a shell), show
 * its output live, keep it as evidence, and record the outcome.
 *
 * @module
 */

import { join } from "../util/posix_path.ts";
import { z } from "zod";
import { parseParams } from "../params.ts";
import { nameParam } from "../param_schemas.ts";
import type { TestRecord } from "../../schemas/run_report.ts";
import { locateKeel } from "../contract/layout.ts";
import type { OpContext } from "../context.ts";
import { KeelError } from "../errors.ts";
import { splitCommand } from "../util/argv.ts";
import { sha256File } from "../util/sha256.ts";
import { ulid } from "../util/ulid.ts";
import { appendTestRecords } from "./append_tests.ts";
import type { RecordTestResult } from "./record_test_op.ts";
import { resolveActiveRun } from "./resolve_run.ts";
import { loadRunReport, runDir } from "./run_store.ts";
import { ensureSafeDir, openForWrite } from "../store/safe_file.ts";

/** Output kept in an evidence file: the last 1 MiB. */
export const EVIDENCE_MAX_BYTES = 1024 * 1024;

/** How long an interrupted test gets to exit before its process group is killed. */
export const INTERRUPT_GRACE_MS = 2000;

/** Params of {@link execTestOp}. */
export const ExecTestParams = z.strictObject({
  testId: nameParam().describe("Test id; an id the contract does not know is unplanned."),
  command: z.array(z.string()).min(1).optional().describe(
    "The command and its arguments (no shell); default: the test's contract command.",
  ),
  contract: nameParam().optional().describe(
    "Contract whose active run records (default: default).",
  ),
  run: nameParam().optional().describe("Run id (instead of the contract's active run)."),
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
 * Without `command` the test's contract `command` is run, split into argv
 * without a shell. The command runs in its own process group; when keel is
 * interrupted (`ctx.onInterrupt`), the signal is forwarded to the group, and
 * after {@link INTERRUPT_GRACE_MS} the group is killed; the record says
 * `interrupted`, with the output so far. Every record carries the sha256 of
 * its evidence file and the contract's command (`contract_command`).
 *
 * @param params `{testId, command?, contract?, run?}`.
 * @param ctx Operation context.
 * @returns The record: `passed` on exit 0, `interrupted` when stopped, else `failed`.
 * @throws {KeelError} RUN_NOT_ACTIVE, RUN_NOT_FOUND before anything runs;
 *   TEST_COMMAND_MISSING (exit 2) when no command is given and the contract
 *   has none for the test (or it needs a shell);
 *   TEST_COMMAND_FAILED_TO_START after recording an `error` record when the
 *   command cannot be started (data: {test_id, reason, run_id, evidence}).
 */
export async function execTestOp(
  params: z.input<typeof ExecTestParams>,
  ctx: OpContext,
): Promise<RecordTestResult> {
  params = parseParams(ExecTestParams, params);
  const layout = locateKeel(ctx.cwd);
  const ref = await resolveActiveRun(layout, params);
  const snapshot = (await loadRunReport(layout, ref.run_id)).contract_snapshot.tests.tests;
  const planned = snapshot.find((t) => t.id === params.testId);
  const contractLine = planned?.command ?? null;
  const contractSplit = contractLine === null ? null : splitCommand(contractLine);
  const contractCommand = contractSplit?.ok ? contractSplit.argv : null;
  let argv: string[];
  if (params.command !== undefined) argv = [...params.command];
  else if (contractSplit?.ok) argv = contractSplit.argv;
  else {
    const reason = planned === undefined
      ? `the test contract has no test "${params.testId}"`
      : contractSplit === null
      ? `test "${params.testId}" has no command in the test contract`
      : `the contract command of "${params.testId}" cannot run without a shell: ${contractSplit.reason}`;
    throw new KeelError(
      "TEST_COMMAND_MISSING",
      `Nothing to run: ${reason}; pass the command after --`,
      { data: { test_id: params.testId, reason, run_id: ref.run_id } },
    );
  }
  const cap = params.maxEvidenceBytes ?? EVIDENCE_MAX_BYTES;
  const dir = join(runDir(layout, ref.run_id), "evidence");
  await ensureSafeDir(dir);
  const { file, name } = await _reserveEvidenceFile(dir, params.testId);
  const evidence = `evidence/${name}`;
  const started = ctx.clock.now();
  const t0 = performance.now();
  const [cmd, ...args] = argv as [string, ...string[]];
  const tail = new _Tail(cap);
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(cmd, {
      args,
      cwd: ctx.cwd,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      // Its own process group, so an interrupt reaches every process of the test.
      detached: true,
    }).spawn();
  } catch (error) {
    const reason = _startFailure(cmd, error);
    await _writeEvidence(file, {
      header: _header(params.testId, argv, started),
      tail,
      footer: `# keel: the command could not be started: ${reason}\n`,
    });
    const sha256 = await sha256File(join(dir, name));
    const [record] = await appendTestRecords(layout, ref.run_id, [{
      test_id: params.testId,
      planned: false,
      status: "error",
      source: "exec",
      at: started.toISOString(),
      exit_code: null,
      duration_ms: Math.round(performance.now() - t0),
      command: argv,
      contract_command: contractCommand,
      evidence,
      sha256,
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
  let interrupted: "SIGINT" | "SIGTERM" | null = null;
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  const signalGroup = (sig: Deno.Signal) => {
    try {
      Deno.kill(-child.pid, sig);
    } catch {
      // the group is gone
    }
  };
  const unsubscribe = ctx.onInterrupt?.((sig) => {
    if (interrupted === null) {
      interrupted = sig;
      signalGroup(sig);
      killTimer = setTimeout(() => signalGroup("SIGKILL"), INTERRUPT_GRACE_MS);
    } else {
      signalGroup("SIGKILL");
    }
  });
  let status: Deno.CommandStatus;
  try {
    [status] = await Promise.all([
      child.status,
      pump(child.stdout, "stdout"),
      pump(child.stderr, "stderr"),
    ]);
  } finally {
    unsubscribe?.();
    clearTimeout(killTimer);
    // Nothing of the test outlives it: whatever is left in its group is killed.
    signalGroup("SIGKILL");
  }
  const duration = Math.round(performance.now() - t0);
  const passed = status.success && interrupted === null;
  const exitCode = status.signal === null ? status.code : null;
  const reason = interrupted !== null
    ? `interrupted by ${interrupted}` +
      (status.signal !== null
        ? ` (killed by signal ${status.signal})`
        : ` (exit code ${status.code})`)
    : passed
    ? null
    : status.signal !== null
    ? `killed by signal ${status.signal}`
    : `exit code ${status.code}`;
  const outcome: TestRecord["status"] = interrupted !== null
    ? "interrupted"
    : passed
    ? "passed"
    : "failed";
  await _writeEvidence(file, {
    header: _header(params.testId, argv, started),
    tail,
    footer: `# keel: ${outcome} (${reason ?? "exit code 0"}) in ${duration} ms\n`,
  });
  const record: TestRecord = {
    test_id: params.testId,
    planned: false,
    status: outcome,
    source: "exec",
    at: started.toISOString(),
    exit_code: exitCode,
    duration_ms: duration,
    command: argv,
    contract_command: contractCommand,
    evidence,
    sha256: await sha256File(join(dir, name)),
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
