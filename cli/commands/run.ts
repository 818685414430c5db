/**
 * `keel run start|exec|record|import-junit|finish`: the run lifecycle.
 *
 * @module
 */

import {
  execText,
  recordText,
  runListText,
  runStartText,
  runSummaryText,
} from "../../core/text/mod.ts";
import {
  arg,
  choice,
  type CliContext,
  command,
  contractOption,
  flag,
  group,
  ok,
  option,
  type OptionField,
  type Outcome,
  rest,
} from "../define.ts";

/** The `cmd` tags of this module. */
export const tag = "run";

function _runOption(): OptionField<string | undefined> {
  return option("--run", "ID", "Run id (default: the contract's active run).", { complete: "run" });
}

const TEST_ID = "The test's id in the test contract (an unplanned id is recorded as unplanned).";

const start = command(
  "run start",
  "Start a run; refused unless all three artifacts are approved and fresh.",
  {
    contract: contractOption(),
    session: option("--session", "ID", "Session id (default: $KEEL_SESSION, else a new one)."),
    agent: option("--agent", "NAME", "Agent making the run (default: $KEEL_AGENT)."),
    requireClean: flag("--require-clean", "Refuse when files are already dirty or untracked."),
  },
);

const exec = command(
  "run exec",
  "Run a test (its contract command, or CMD after --; no shell) and record it.",
  {
    testId: arg("TEST_ID", TEST_ID),
    contract: contractOption(),
    run: _runOption(),
    command: rest(
      "CMD",
      "The test command and its arguments, run without a shell (default: the contract's command).",
      { optional: true },
    ),
  },
);

const record = command(
  "run record",
  "Record a test run elsewhere.",
  {
    testId: arg("TEST_ID", TEST_ID),
    status: choice("--status", ["passed", "failed", "skipped"], "The test's outcome.", {
      required: true,
    }),
    note: option("--note", "TEXT", "A note kept with the record."),
    contract: contractOption(),
    run: _runOption(),
  },
);

const importJunit = command(
  "run import-junit",
  "Record every testcase of a JUnit XML report (all or nothing).",
  {
    file: arg("FILE", "The JUnit XML report (a path inside the repository).", { complete: "file" }),
    contract: contractOption(),
    run: _runOption(),
  },
);

const list = command(
  "run list",
  "List runs: id, contract, state, verdict, agent, start and finish.",
  { contract: contractOption() },
);

const finish = command(
  "run finish",
  "Collect commits and files from git, analyse drift, write the report.",
  { contract: contractOption(), run: _runOption() },
);

/** The parser. */
export const parser = group(
  "run",
  "Runs: start, record test evidence, finish with drift analysis.",
  [start, exec, record, importJunit, finish, list],
);

type Sel = { contract: string | undefined; run: string | undefined };
type RunArgs =
  | {
    cmd: "run start";
    contract: string | undefined;
    session: string | undefined;
    agent: string | undefined;
    requireClean: boolean;
  }
  | { cmd: "run list"; contract: string | undefined }
  | ({ cmd: "run exec"; testId: string; command: readonly string[] } & Sel)
  | ({
    cmd: "run record";
    testId: string;
    status: "passed" | "failed" | "skipped";
    note: string | undefined;
  } & Sel)
  | ({ cmd: "run import-junit"; file: string } & Sel)
  | ({ cmd: "run finish" } & Sel);

function _sel(args: Sel): { contract?: string; run?: string } {
  return {
    ...(args.contract === undefined ? {} : { contract: args.contract }),
    ...(args.run === undefined ? {} : { run: args.run }),
  };
}

/** Forward keel's own SIGINT/SIGTERM to a running test (see execTestOp). */
function _onInterrupt(handler: (signal: "SIGINT" | "SIGTERM") => void): () => void {
  const sigs = ["SIGINT", "SIGTERM"] as const;
  const listeners = sigs.map((sig) => {
    const l = () => handler(sig);
    Deno.addSignalListener(sig, l);
    return () => Deno.removeSignalListener(sig, l);
  });
  return () => listeners.forEach((off) => off());
}

/**
 * Run the command. `run exec` exits 0 when the test passed, 1 when it failed,
 * was interrupted (or could not start); `run finish` exits 0 when aligned, 1 when drifted.
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns The outcome.
 */
export async function run(args: RunArgs, ctx: CliContext): Promise<Outcome> {
  switch (args.cmd) {
    case "run start": {
      const { startRunOp } = await import("../../core/run/mod.ts");
      const r = await startRunOp({
        ...(args.contract === undefined ? {} : { contract: args.contract }),
        ...(args.session === undefined ? {} : { session: args.session }),
        ...(args.agent === undefined ? {} : { agent: args.agent }),
        ...(args.requireClean ? { requireClean: true } : {}),
      }, ctx.op);
      const pre = r.preexisting ?? [];
      if (pre.length > 0) {
        ctx.warn(
          `keel: warning: ${pre.length} path(s) were already dirty or untracked at start; they ` +
            `are recorded as pre-existing and not blamed on the run unless it changes them: ` +
            pre.slice(0, 5).map((p) => `${p.path} (${p.state})`).join(", ") +
            (pre.length > 5 ? ` and ${pre.length - 5} more` : "") +
            ` (--require-clean refuses instead)`,
        );
      }
      return ok(r, runStartText(r));
    }
    case "run list": {
      const { listRunsOp } = await import("../../core/run/mod.ts");
      const r = await listRunsOp(
        args.contract === undefined ? {} : { contract: args.contract },
        ctx.op,
      );
      return ok(r, runListText(r));
    }
    case "run exec": {
      const { execTestOp } = await import("../../core/run/mod.ts");
      const r = await execTestOp(
        {
          testId: args.testId,
          ...(args.command.length > 0 ? { command: [...args.command] } : {}),
          ..._sel(args),
        },
        { ...ctx.op, onInterrupt: _onInterrupt },
      );
      return { json: r, text: execText(r), exit: r.record.status === "passed" ? 0 : 1 };
    }
    case "run record": {
      const { recordTestOp } = await import("../../core/run/mod.ts");
      const r = await recordTestOp({
        testId: args.testId,
        status: args.status,
        ...(args.note === undefined ? {} : { note: args.note }),
        ..._sel(args),
      }, ctx.op);
      return ok(r, recordText(r));
    }
    case "run import-junit": {
      const { importJunitOp } = await import("../../core/run/mod.ts");
      const r = await importJunitOp({ file: args.file, ..._sel(args) }, ctx.op);
      const c = r.testcases;
      const matched = Object.entries(r.matched).map(([id, n]) => `${id} (${n})`).join(", ");
      return ok(
        r,
        [
          `Imported ${c.total} testcase(s) from ${r.file} into run ${r.run_id}: ` +
          `${c.passed} passed, ${c.failure} failed, ${c.error} errored, ${c.skipped} skipped.`,
          `  planned tests matched: ${matched || "none"}`,
          `  unplanned testcases: ${r.unplanned}`,
        ].join("\n"),
      );
    }
    case "run finish": {
      const { finishRunOp } = await import("../../core/run/finish_run_op.ts");
      const r = await finishRunOp(_sel(args), ctx.op);
      return { json: r, text: runSummaryText(r), exit: r.verdict === "aligned" ? 0 : 1 };
    }
  }
}
