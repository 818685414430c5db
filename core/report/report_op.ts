/**
 * `keel report` / `report/render`: a run, the history or a mission as an
 * HTML page, Markdown or SARIF, returned as text.
 *
 * @module
 */

import { z } from "zod";
import { parseParams } from "../params.ts";
import { nameParam } from "../param_schemas.ts";
import type { OpContext } from "../context.ts";
import { KeelError } from "../errors.ts";
import { VERSION } from "../version.ts";
import { renderHtml } from "./render_html.ts";
import { renderMarkdown } from "./render_md.ts";
import { renderSarif } from "./render_sarif.ts";
import {
  gatherHistoryView,
  gatherMissionView,
  gatherRunView,
  type ReportView,
} from "./report_views.ts";

/** The formats. */
export const REPORT_FORMATS = ["html", "md", "sarif"] as const;

/** Params of {@link renderReportOp}. */
export const ReportParams = z.strictObject({
  run: nameParam().optional().describe("Run id (default view: the latest run)."),
  history: z.boolean().optional().describe("Trust over time and every run."),
  mission: nameParam().optional().describe("A spec-kitty mission as a board (slug, id or prefix)."),
  contract: nameParam().optional().describe("Run view: the latest run of this contract."),
  window: z.number().int().min(1).max(1000).optional().describe(
    "History view: latest N finished runs per scope (default: as keel trust).",
  ),
  format: z.enum(REPORT_FORMATS).optional().describe("html (default), md or sarif (runs only)."),
});

/** Params of {@link renderReportOp} as callers pass them. */
export type ReportParamsInput = z.input<typeof ReportParams>;

/** The rendered report. */
export interface ReportDocument {
  view: ReportView["kind"];
  format: typeof REPORT_FORMATS[number];
  /** The IANA media type of `text`. */
  media_type: string;
  /** What the report is about: the run id, `history`, or the mission slug. */
  subject: string;
  /** The run's verdict (run view), else null. */
  verdict: "aligned" | "drifted" | null;
  /** Markdown only: the document was cut to stay under the limit. */
  trimmed: boolean;
  /** The document. */
  text: string;
}

const MEDIA: Record<ReportDocument["format"], string> = {
  html: "text/html; charset=utf-8",
  md: "text/markdown; charset=utf-8",
  sarif: "application/sarif+json",
};

/**
 * Render a report. The view is the latest run unless `run`, `history` or
 * `mission` says otherwise (at most one of them).
 *
 * @param params `{run?, history?, mission?, contract?, window?, format?}`.
 * @param ctx Operation context.
 * @returns The document and what it is about.
 * @throws {KeelError} USAGE (two views at once, SARIF of a view that is not a run,
 *   `contract`/`window` with the wrong view); RUN_NOT_FOUND, RUN_REPORT_INVALID,
 *   GIT_FAILED (run); CONFIG_INVALID (history); KITTY_SPECS_NOT_FOUND,
 *   MISSION_NOT_FOUND, MISSION_AMBIGUOUS, MISSION_META_INVALID, EVENT_LOG_CORRUPT (mission).
 */
export async function renderReportOp(
  params: ReportParamsInput,
  ctx: OpContext,
): Promise<ReportDocument> {
  params = parseParams(ReportParams, params);
  const format = params.format ?? "html";
  const chosen = [
    params.run !== undefined ? "--run" : null,
    params.history === true ? "--history" : null,
    params.mission !== undefined ? "--mission" : null,
  ].filter((x): x is string => x !== null);
  if (chosen.length > 1) {
    throw new KeelError("USAGE", `Choose one view, not ${chosen.join(" and ")}`, {
      data: { views: chosen },
    });
  }
  const kind = params.history === true
    ? "history"
    : params.mission !== undefined
    ? "mission"
    : "run";
  if (params.contract !== undefined && kind !== "run") {
    throw new KeelError("USAGE", "--contract selects a run; it has no meaning with --" + kind, {
      data: { view: kind },
    });
  }
  if (params.window !== undefined && kind !== "history") {
    throw new KeelError("USAGE", "--window applies to --history only", { data: { view: kind } });
  }
  if (format === "sarif" && kind !== "run") {
    throw new KeelError(
      "USAGE",
      `SARIF holds a run's drift findings; --format sarif cannot render the ${kind} view`,
      { data: { view: kind, format } },
    );
  }
  const view: ReportView = kind === "history"
    ? await gatherHistoryView(params.window === undefined ? {} : { window: params.window }, ctx)
    : kind === "mission"
    ? await gatherMissionView({ mission: params.mission! }, ctx)
    : await gatherRunView({
      ...(params.run === undefined ? {} : { run: params.run }),
      ...(params.contract === undefined ? {} : { contract: params.contract }),
    }, ctx);
  let text: string;
  let trimmed = false;
  if (format === "html") {
    text = renderHtml(view, { generatedAt: ctx.clock.now().toISOString(), version: VERSION });
  } else if (format === "md") {
    const md = renderMarkdown(view);
    text = md.text;
    trimmed = md.trimmed;
  } else if (view.kind === "run") {
    text = JSON.stringify(renderSarif(view.report, { version: VERSION }), null, 2) + "\n";
  } else throw new Error("unreachable: SARIF of a view that is not a run");
  return {
    view: view.kind,
    format,
    media_type: MEDIA[format],
    subject: view.kind === "run"
      ? view.report.run_id
      : view.kind === "history"
      ? "history"
      : view.status.mission_slug,
    verdict: view.kind === "run" ? view.report.verdict : null,
    trimmed,
    text,
  };
}
