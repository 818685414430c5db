/**
 * keel's method table: every RPC method, named `noun/verb` after the CLI
 * command it mirrors. Params are the core operation's zod schema (CLI flags
 * in camelCase); the result is exactly the CLI's `--json` document.
 *
 * @module
 */

import { z } from "zod";
import { method, type MethodTable } from "./method_table.ts";

/** The methods keel serves. */
export const METHODS = {
  "keel/version": {
    summary: "keel's version and build commit.",
    async load() {
      const { VERSION, BUILD_COMMIT } = await import("../core/version.ts");
      return method({
        params: z.strictObject({}),
        result: z.strictObject({ version: z.string(), commit: z.string() }),
        run: () => ({ version: VERSION, commit: BUILD_COMMIT }),
      });
    },
  },
  "schema/get": {
    summary: "The JSON Schema of an artifact (all of them, by name, when name is omitted).",
    async load() {
      const m = await import("../core/schema_registry.ts");
      return method({ params: m.SchemaGetParams, result: m.SchemaGetResult, run: m.schemaGetOp });
    },
  },
  "contract/init": {
    summary: "Write draft intent, test contract and commit plan for a contract.",
    async load() {
      const [m, r] = await Promise.all([
        import("../core/contract/mod.ts"),
        import("../core/contract/results.ts"),
      ]);
      return method({ params: m.InitParams, result: r.InitResult, run: m.initOp });
    },
  },
  "contract/validate": {
    summary: "Schema and checklist findings for a contract's three artifacts.",
    async load() {
      const [m, r] = await Promise.all([
        import("../core/contract/mod.ts"),
        import("../core/contract/results.ts"),
      ]);
      return method({ params: m.ValidateParams, result: r.ValidateResult, run: m.validateOp });
    },
  },
  "contract/approve": {
    summary: "Approve intent, tests, plan or all; refused when invalid.",
    async load() {
      const [m, r] = await Promise.all([
        import("../core/contract/mod.ts"),
        import("../core/contract/results.ts"),
      ]);
      return method({ params: m.ApproveParams, result: r.ApproveResult, run: m.approveOp });
    },
  },
  "contract/status": {
    summary: "Draft / approved / stale per artifact, and the active run.",
    async load() {
      const [m, r] = await Promise.all([
        import("../core/contract/mod.ts"),
        import("../core/status/results.ts"),
      ]);
      return method({ params: m.StatusParams, result: r.StatusResult, run: m.statusOp });
    },
  },
  "run/start": {
    summary: "Start a run; refused unless all three artifacts are approved and fresh.",
    async load() {
      const [m, s] = await Promise.all([
        import("../core/run/mod.ts"),
        import("../schemas/mod.ts"),
      ]);
      return method({ params: m.StartRunParams, result: s.RunReport, run: m.startRunOp });
    },
  },
  "run/exec": {
    summary: "Run a test (its contract command unless one is given; no shell) and record it.",
    async load() {
      const [m, r] = await Promise.all([
        import("../core/run/mod.ts"),
        import("../core/run/results.ts"),
      ]);
      return method({ params: m.ExecTestParams, result: r.RecordTestResult, run: m.execTestOp });
    },
  },
  "run/recordTest": {
    summary: "Record the result of a test run outside keel.",
    async load() {
      const [m, r] = await Promise.all([
        import("../core/run/mod.ts"),
        import("../core/run/results.ts"),
      ]);
      return method({
        params: m.RecordTestParams,
        result: r.RecordTestResult,
        run: m.recordTestOp,
      });
    },
  },
  "run/importJunit": {
    summary: "Record tests from a JUnit XML report.",
    async load() {
      const [m, r] = await Promise.all([
        import("../core/run/mod.ts"),
        import("../core/run/results.ts"),
      ]);
      return method({
        params: m.ImportJunitParams,
        result: r.ImportJunitResult,
        run: m.importJunitOp,
      });
    },
  },
  "run/finish": {
    summary: "Collect commits and files, analyse drift, write the run report.",
    async load() {
      const [m, s] = await Promise.all([
        import("../core/run/mod.ts"),
        import("../schemas/mod.ts"),
      ]);
      return method({ params: m.FinishRunParams, result: s.RunReport, run: m.finishRunOp });
    },
  },
  "run/report": {
    summary: "A run's report (the latest run by default).",
    async load() {
      const [m, s] = await Promise.all([
        import("../core/run/mod.ts"),
        import("../schemas/mod.ts"),
      ]);
      return method({ params: m.RunReportParams, result: s.RunReport, run: m.runReportOp });
    },
  },
  "run/drift": {
    summary: "A run's findings; reanalyze recomputes them from git.",
    async load() {
      const [m, s] = await Promise.all([
        import("../core/run/mod.ts"),
        import("../schemas/mod.ts"),
      ]);
      return method({ params: m.DriftParams, result: s.RunReport, run: m.driftOp });
    },
  },
  "run/list": {
    summary: "Every run: id, contract, state, verdict, agent, start and finish.",
    async load() {
      const [m, r] = await Promise.all([
        import("../core/run/mod.ts"),
        import("../core/run/results.ts"),
      ]);
      return method({ params: m.ListRunsParams, result: r.ListRunsResult, run: m.listRunsOp });
    },
  },
  "run/verify": {
    summary: "Re-check a finished run: seal, evidence digests, commits in range, snapshot.",
    async load() {
      const [m, r] = await Promise.all([
        import("../core/run/mod.ts"),
        import("../core/run/results.ts"),
      ]);
      return method({ params: m.VerifyRunParams, result: r.VerifyRunResult, run: m.verifyRunOp });
    },
  },
  "brief/get": {
    summary: "The approved contract as instructions for an agent (Markdown and structured).",
    async load() {
      const [m, r] = await Promise.all([
        import("../core/brief/mod.ts"),
        import("../core/brief/results.ts"),
      ]);
      return method({ params: m.BriefParams, result: r.BriefResult, run: m.briefOp });
    },
  },
  "lessons/relevant": {
    summary: "Lessons earlier runs left on the paths a contract covers.",
    async load() {
      const [m, r] = await Promise.all([
        import("../core/brief/mod.ts"),
        import("../core/brief/results.ts"),
      ]);
      return method({
        params: m.RelevantLessonsParams,
        result: r.RelevantLessonsResult,
        run: m.relevantLessonsOp,
      });
    },
  },
  "guard/check": {
    summary: "Whether paths are inside the active run's approved scope.",
    async load() {
      const [m, r] = await Promise.all([
        import("../core/guard/mod.ts"),
        import("../core/guard/results.ts"),
      ]);
      return method({
        params: m.GuardCheckParams,
        result: r.GuardCheckResult,
        run: m.guardCheckOp,
      });
    },
  },
  "deviation/accept": {
    summary: "Accept a drift finding with a rationale.",
    async load() {
      const [m, r] = await Promise.all([
        import("../core/retro/mod.ts"),
        import("../core/retro/results.ts"),
      ]);
      return method({
        params: m.AcceptDeviationParams,
        result: r.AcceptDeviationResult,
        run: m.acceptDeviationOp,
      });
    },
  },
  "deviation/list": {
    summary: "A run's findings and which are accepted.",
    async load() {
      const [m, r] = await Promise.all([
        import("../core/retro/mod.ts"),
        import("../core/retro/results.ts"),
      ]);
      return method({
        params: m.ListDeviationsParams,
        result: r.ListDeviationsResult,
        run: m.listDeviationsOp,
      });
    },
  },
  "retro/run": {
    summary: "Retrospective of a run; appends new lessons.",
    async load() {
      const [m, r] = await Promise.all([
        import("../core/retro/mod.ts"),
        import("../core/retro/results.ts"),
      ]);
      return method({ params: m.RetroParams, result: r.RetroResult, run: m.retroOp });
    },
  },
  "lessons/list": {
    summary: "Lessons, filtered by domain or finding code.",
    async load() {
      const [m, r] = await Promise.all([
        import("../core/retro/mod.ts"),
        import("../core/retro/results.ts"),
      ]);
      return method({
        params: m.ListLessonsParams,
        result: r.ListLessonsResult,
        run: m.listLessonsOp,
      });
    },
  },
  "trust/compute": {
    summary: "Compute trust metrics and delegation levels.",
    async load() {
      const [m, s] = await Promise.all([
        import("../core/trust/mod.ts"),
        import("../schemas/mod.ts"),
      ]);
      return method({
        params: m.ComputeTrustParams,
        result: s.TrustMetrics,
        run: m.computeTrustOp,
      });
    },
  },
  "trust/recordDefect": {
    summary: "Record a post-merge defect against a run.",
    async load() {
      const [m, r] = await Promise.all([
        import("../core/trust/mod.ts"),
        import("../core/trust/results.ts"),
      ]);
      return method({
        params: m.RecordDefectParams,
        result: r.RecordNoteResult,
        run: m.recordDefectOp,
      });
    },
  },
  "trust/recordRework": {
    summary: "Record review rework against a run.",
    async load() {
      const [m, r] = await Promise.all([
        import("../core/trust/mod.ts"),
        import("../core/trust/results.ts"),
      ]);
      return method({
        params: m.RecordReworkParams,
        result: r.RecordNoteResult,
        run: m.recordReworkOp,
      });
    },
  },
  "report/render": {
    summary: "A run, the run history or a mission board as HTML, Markdown or SARIF text.",
    async load() {
      const m = await import("../core/report/mod.ts");
      return method({
        params: m.ReportParams,
        result: z.strictObject({
          view: z.enum(["run", "history", "mission"]),
          format: z.enum(["html", "md", "sarif"]),
          media_type: z.string(),
          subject: z.string(),
          verdict: z.enum(["aligned", "drifted"]).nullable(),
          trimmed: z.boolean(),
          text: z.string(),
        }),
        run: m.renderReportOp,
      });
    },
  },
  "mission/list": {
    summary: "The spec-kitty missions of the repository.",
    async load() {
      const [m, p, r] = await Promise.all([
        import("../core/mission/mod.ts"),
        import("../core/mission/params.ts"),
        import("../core/mission/results.ts"),
      ]);
      return method({
        params: p.MissionListParams,
        result: r.MissionListResult,
        run: m.missionListOp,
      });
    },
  },
  "mission/status": {
    summary: "A mission's work packages by lane.",
    async load() {
      const [m, p, r] = await Promise.all([
        import("../core/mission/mod.ts"),
        import("../core/mission/params.ts"),
        import("../core/mission/results.ts"),
      ]);
      return method({
        params: p.MissionStatusParams,
        result: r.MissionStatusResult,
        run: m.missionStatusOp,
      });
    },
  },
  "mission/next": {
    summary: "The WP an implement would claim next, or why none.",
    async load() {
      const [m, p, r] = await Promise.all([
        import("../core/mission/mod.ts"),
        import("../core/mission/params.ts"),
        import("../core/mission/results.ts"),
      ]);
      return method({ params: p.NextParams, result: r.NextPayload, run: m.nextOp });
    },
  },
  "mission/implement": {
    summary:
      "Claim a WP for an agent (same selection as next), prepare its lane workspace; run: start its keel run.",
    async load() {
      const [m, p, r] = await Promise.all([
        import("../core/mission_run/mod.ts"),
        import("../core/mission_run/params.ts"),
        import("../core/mission_run/results.ts"),
      ]);
      return method({
        params: p.ImplementRunParams,
        result: r.ImplementAnyResult,
        run: m.implementWithRunOp,
      });
    },
  },
  "mission/approve": {
    summary: "Draft (where missing) and approve one contract per WP of a mission, in one step.",
    async load() {
      const [m, p, r] = await Promise.all([
        import("../core/mission_run/mod.ts"),
        import("../core/mission_run/params.ts"),
        import("../core/mission_run/results.ts"),
      ]);
      return method({
        params: p.ApproveMissionParams,
        result: r.ApproveMissionResult,
        run: m.approveMissionOp,
      });
    },
  },
  "mission/review": {
    summary: "Mission review (lightweight or post-merge) with its gates and each WP's latest run.",
    async load() {
      const [m, p, r] = await Promise.all([
        import("../core/mission_run/mod.ts"),
        import("../core/mission_run/params.ts"),
        import("../core/mission_run/results.ts"),
      ]);
      return method({
        params: p.ReviewWithRunsParams,
        result: r.ReviewWithRunsResult,
        run: m.reviewWithRunsOp,
      });
    },
  },
  "mission/merge": {
    summary: "Merge a mission's lanes; dryRun previews through the same gates.",
    async load() {
      const [m, r] = await Promise.all([
        import("../core/gates/mod.ts"),
        import("../core/gates/results.ts"),
      ]);
      return method({ params: m.MergeParams, result: r.MergeResult, run: m.mergeOp });
    },
  },
  "doctor/run": {
    summary: "Find (and with fix, safely repair) problems in keel's files.",
    async load() {
      const [m, r] = await Promise.all([
        import("../core/doctor/mod.ts"),
        import("../core/doctor/results.ts"),
      ]);
      return method({ params: m.DoctorParams, result: r.DoctorResult, run: m.doctorOp });
    },
  },
} as const satisfies MethodTable;

/** The name of a method keel serves. */
export type MethodName = keyof typeof METHODS;

/** The loaded method of a name (its params and result schemas, typed). */
type LoadedOf<M extends MethodName> = Awaited<ReturnType<(typeof METHODS)[M]["load"]>>;

/** The params a method accepts (its params schema's input). */
export type MethodParams<M extends MethodName> = z.input<LoadedOf<M>["params"]>;

/** What a method returns: its result schema's output (the CLI's `--json` document). */
export type MethodResult<M extends MethodName> = z.output<LoadedOf<M>["result"]>;
