/**
 * `keel report [--run ID | --history | --mission H] [--format html|md|sarif]
 * [-o FILE]`: a run, the run history or a mission board as a document.
 *
 * @module
 */

import {
  choice,
  type CliContext,
  command,
  contractOption,
  flag,
  integer,
  ok,
  option,
  type Outcome,
} from "../define.ts";

/** The `cmd` tag. */
export const tag = "report";

/** The parser. */
export const parser = command(
  "report",
  "Render a run, the run history or a mission as HTML, Markdown or SARIF.",
  {
    run: option("--run", "ID", "A run (default: the latest run).", { complete: "run" }),
    history: flag("--history", "Trust metrics over time per domain, delegation levels, every run."),
    mission: option("--mission", "H", "A spec-kitty mission as a board (slug, id or prefix).", {
      complete: "mission",
    }),
    contract: contractOption(),
    window: integer("--window", "N", "History view: the latest N finished runs per domain.", {
      min: 1,
      max: 1000,
    }),
    format: choice(
      "--format",
      ["html", "md", "sarif"],
      "html (self-contained page), md (GitHub Markdown) or sarif (runs only).",
      { default: "html" },
    ),
    output: option("--output", "FILE", "Write the document to FILE instead of stdout.", {
      complete: "file",
      short: "-o",
    }),
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
