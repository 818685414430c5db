/**
 * `keel run start|exec|record|import-junit|finish`: the run lifecycle.
 *
 * @module
 */

import { or } from "@optique/core/constructs";
import { message } from "@optique/core/message";
import { multiple, optional } from "@optique/core/modifiers";
import { argument, command, option } from "@optique/core/primitives";
import { choice, string } from "@optique/core/valueparser";
import { type CliContext, commandObject, ok, type Outcome } from "../define.ts";
import { execText, recordText, runStartText, runSummaryText } from "../../core/text/mod.ts";
import { contractOption } from "./validate.ts";

/** The `cmd` tags of this module. */
export const tag = "run";

function _runOption() {
  return optional(option("--run", string({ metavar: "ID" }), {
    description: message`Run id (default: the contract's active run).`,
  }));
}

const start = command(
  "start",
  commandObject("run start", {
    contract: contractOption(),
    session: optional(option("--session", string({ metavar: "ID" }), {
      description: message`Session id (default: $KEEL_SESSION, else a new one).`,
    })),
    agent: optional(option("--agent", string({ metavar: "NAME" }), {
      description: message`Agent making the run (default: $KEEL_AGENT).`,
    })),
  }),
  { brief: message`Start a run; refused unless all three artifacts are approved and fresh.` },
);

const exec = command(
  "exec",
  commandObject("run exec", {
    testId: argument(string({ metavar: "TEST_ID" })),
    contract: contractOption(),
    run: _runOption(),
    command: multiple(argument(string({ metavar: "CMD" })), { min: 1 }),
  }),
  {
    brief: message`Run a test command (no shell; after --), record exit code, time and output.`,
  },
);

const record = command(
  "record",
  commandObject("run record", {
    testId: argument(string({ metavar: "TEST_ID" })),
    status: option("--status", choice(["passed", "failed", "skipped"] as const), {
      description: message`The test's outcome.`,
    }),
    note: optional(option("--note", string({ metavar: "TEXT" }), {
      description: message`A note kept with the record.`,
    })),
    contract: contractOption(),
    run: _runOption(),
  }),
  { brief: message`Record a test run elsewhere.` },
);

const importJunit = command(
  "import-junit",
  commandObject("run import-junit", {
    file: argument(string({ metavar: "FILE" })),
    contract: contractOption(),
    run: _runOption(),
  }),
  { brief: message`Record every testcase of a JUnit XML report (all or nothing).` },
);

const finish = command(
  "finish",
  commandObject("run finish", { contract: contractOption(), run: _runOption() }),
  { brief: message`Collect commits and files from git, analyse drift, write the report.` },
);

/** The parser. */
export const parser = command("run", or(start, exec, record, importJunit, finish), {
  brief: message`Runs: start, record test evidence, finish with drift analysis.`,
});

type Sel = { contract: string | undefined; run: string | undefined };
type RunArgs =
  | {
    cmd: "run start";
    contract: string | undefined;
    session: string | undefined;
    agent: string | undefined;
  }
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

/**
 * Run the command. `run exec` exits 0 when the test passed, 1 when it failed
 * (or could not start); `run finish` exits 0 when aligned, 1 when drifted.
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
      }, ctx.op);
      return ok(r, runStartText(r));
    }
    case "run exec": {
      const { execTestOp } = await import("../../core/run/mod.ts");
      const r = await execTestOp(
        { testId: args.testId, command: [...args.command], ..._sel(args) },
        ctx.op,
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
      const { finishRunOp } = await import("../../core/run/mod.ts");
      const r = await finishRunOp(_sel(args), ctx.op);
      return { json: r, text: runSummaryText(r), exit: r.verdict === "aligned" ? 0 : 1 };
    }
  }
}
