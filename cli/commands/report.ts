/**
 * `keel report [--run ID | --history | --mission H] [--format html|md|sarif]
 * [-o FILE]`: a run, the run history or a mission board as a document.
 *
 * @module
 */

import { message } from "@optique/core/message";
import { optional, withDefault } from "@optique/core/modifiers";
import { command, flag, option } from "@optique/core/primitives";
import { choice, integer, string } from "@optique/core/valueparser";
import { type CliContext, commandObject, ok, type Outcome } from "../define.ts";

/** The `cmd` tag. */
export const tag = "report";

/** The parser. */
export const parser = command(
  "report",
  commandObject(tag, {
    run: optional(option("--run", string({ metavar: "ID" }), {
      description: message`A run (default: the latest run).`,
    })),
    history: withDefault(
      flag("--history", {
        description: message`Trust metrics over time per domain, delegation levels, every run.`,
      }),
      false,
    ),
    mission: optional(option("--mission", string({ metavar: "H" }), {
      description: message`A spec-kitty mission as a board (slug, mission_id or its prefix).`,
    })),
    contract: optional(option("--contract", string({ metavar: "NAME" }), {
      description: message`Run view: the latest run of this contract.`,
    })),
    window: optional(option("--window", integer({ metavar: "N", min: 1, max: 1000 }), {
      description: message`History view: the latest N finished runs per domain.`,
    })),
    format: withDefault(
      option("--format", choice(["html", "md", "sarif"] as const), {
        description: message`html (self-contained page), md (GitHub Markdown) or sarif (runs).`,
      }),
      "html" as const,
    ),
    output: optional(option("-o", "--output", string({ metavar: "FILE" }), {
      description: message`Write the document to FILE instead of stdout.`,
    })),
  }),
  {
    brief: message`Render a run, the run history or a mission as HTML, Markdown or SARIF.`,
  },
);

/** Parsed arguments. */
interface ReportArgs {
  run: string | undefined;
  history: boolean;
  mission: string | undefined;
  contract: string | undefined;
  window: number | undefined;
  format: "html" | "md" | "sarif";
  output: string | undefined;
}

/**
 * Run the command: the document on stdout, or written to `-o FILE`.
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns The outcome (`--json`: the document and, with `-o`, where it went).
 */
export async function run(args: ReportArgs, ctx: CliContext): Promise<Outcome> {
  const { renderReportOp, writeReportFile } = await import("../../core/report/mod.ts");
  const doc = await renderReportOp({
    ...(args.run === undefined ? {} : { run: args.run }),
    ...(args.history ? { history: true } : {}),
    ...(args.mission === undefined ? {} : { mission: args.mission }),
    ...(args.contract === undefined ? {} : { contract: args.contract }),
    ...(args.window === undefined ? {} : { window: args.window }),
    format: args.format,
  }, ctx.op);
  if (args.output === undefined) return ok(doc, doc.text);
  const path = await writeReportFile(ctx.op.cwd, args.output, doc.text);
  const size = new TextEncoder().encode(doc.text).length;
  return ok(
    { ...doc, output: path },
    `Wrote the ${doc.view} report (${doc.format}, ${size} bytes) to ${path}` +
      (doc.trimmed ? " (trimmed to stay under GitHub's limit)" : ""),
  );
}
