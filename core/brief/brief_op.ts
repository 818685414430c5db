/**
 * `keel brief` / `brief/get`: the approved contract as instructions for the
 * agent that will do the work — goal, constraints, the files it may and must
 * not touch, the units in dependency order with the exact `Keel-Unit:`
 * trailer, the tests and how to run them, and the lessons earlier runs left
 * on these paths. Refused unless the contract is approved and fresh.
 *
 * @module
 */

import { z } from "zod";
import { parseParams } from "../params.ts";
import { nameParam } from "../param_schemas.ts";
import { CommitPlan, Intent, type PlanUnit, TestContract } from "../../schemas/mod.ts";
import type { Finding } from "../../schemas/run_report.ts";
import { requireApprovedContract } from "../contract/approval_gate.ts";
import { DEFAULT_CONTRACT, locateKeel, requireContract } from "../contract/layout.ts";
import { readContract } from "../contract/read_contract.ts";
import type { OpContext } from "../context.ts";
import { readActiveRun } from "../run/active_run.ts";
import { lessonsFor } from "./relevant_lessons_op.ts";

/** Params of {@link briefOp}. */
export const BriefParams = z.strictObject({
  contract: nameParam().optional().describe("Contract name (default: default)."),
});

/** One unit of the brief. */
export interface BriefUnit {
  id: string;
  summary: string;
  files: string[];
  tests: string[];
  depends_on: string[];
  /** The trailer line every commit of the unit ends with. */
  trailer: string;
}

/** One test of the brief. */
export interface BriefTest {
  id: string;
  required: boolean;
  gate: "finish" | "advisory";
  description: string | null;
  /** The contract's command, or null when the test is recorded by hand. */
  command: string | null;
  /** How to run (or record) it through keel. */
  run: string;
}

/** Result of {@link briefOp}. */
export interface BriefResult {
  contract: string;
  /** The contract's active run, or null. */
  run_id: string | null;
  goal: string;
  constraints: string[];
  risk_level: string;
  domain: string;
  allowed_files: string[];
  forbidden_files: string[];
  /** Units in dependency order (ties: plan order). */
  units: BriefUnit[];
  tests: BriefTest[];
  /** `LESSON_RELEVANT` findings: earlier drift on paths this contract covers. */
  lessons: Finding[];
  /** The brief as Markdown. */
  markdown: string;
}

/**
 * The brief of an approved contract.
 *
 * @param params `{contract?}`.
 * @param ctx Operation context.
 * @returns The brief, structured and as Markdown.
 * @throws {KeelError} CONTRACT_NOT_FOUND; CONTRACT_NOT_APPROVED /
 *   CONTRACT_STALE (exit 1) naming each offending artifact; ARTIFACT_*.
 */
export async function briefOp(
  params: z.input<typeof BriefParams>,
  ctx: OpContext,
): Promise<BriefResult> {
  params = parseParams(BriefParams, params);
  const p = BriefParams.parse(params);
  const layout = locateKeel(ctx.cwd);
  const name = p.contract ?? DEFAULT_CONTRACT;
  requireContract(layout, name);
  await requireApprovedContract(layout, name, { action: "brief an agent" });
  const c = await readContract(layout, name);
  const intent = Intent.parse(c.artifacts.intent);
  const tests = TestContract.parse(c.artifacts.tests);
  const plan = CommitPlan.parse(c.artifacts.plan);
  const [active, lessons] = await Promise.all([
    readActiveRun(layout, name),
    lessonsFor(layout, { intent, plan }),
  ]);
  const flag = name === DEFAULT_CONTRACT ? "" : ` --contract ${name}`;
  const result: Omit<BriefResult, "markdown"> = {
    contract: name,
    run_id: active?.run_id ?? null,
    goal: intent.goal,
    constraints: intent.constraints,
    risk_level: intent.risk_level,
    domain: intent.domain,
    allowed_files: intent.allowed_files,
    forbidden_files: intent.forbidden_files,
    units: dependencyOrder(plan.units).map((u) => ({
      id: u.id,
      summary: u.summary,
      files: u.files,
      tests: u.tests,
      depends_on: u.depends_on,
      trailer: `Keel-Unit: ${u.id}`,
    })),
    tests: tests.tests.map((t) => ({
      id: t.id,
      required: t.required,
      gate: t.gate,
      description: t.description ?? null,
      command: t.command ?? null,
      run: t.command === undefined
        ? `keel run record ${t.id} --status passed|failed${flag}`
        : `keel run exec ${t.id}${flag}`,
    })),
    lessons,
  };
  return { ...result, markdown: renderBrief(result, { flag }) };
}

/**
 * Units in dependency order: each after the units it depends on, otherwise
 * in plan order (a dependency the plan lacks is ignored).
 *
 * @param units The plan's units.
 * @returns The ordered units.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dependencyOrder } from "./brief_op.ts";
 * const u = (id: string, depends_on: string[]) =>
 *   ({ id, summary: id, files: [], tests: [], depends_on });
 * assert.deepEqual(dependencyOrder([u("b", ["a"]), u("a", [])]).map((x) => x.id), ["a", "b"]);
 * ```
 */
export function dependencyOrder(units: readonly PlanUnit[]): PlanUnit[] {
  const ids = new Set(units.map((u) => u.id));
  const done = new Set<string>();
  const out: PlanUnit[] = [];
  while (out.length < units.length) {
    const next = units.find((u) =>
      !done.has(u.id) && u.depends_on.every((d) => done.has(d) || !ids.has(d))
    ) ?? units.find((u) => !done.has(u.id))!;
    done.add(next.id);
    out.push(next);
  }
  return out;
}

/**
 * The brief as Markdown.
 *
 * @param b The brief's content.
 * @param options `flag`: ` --contract NAME` for a contract other than default.
 * @returns The Markdown text.
 */
export function renderBrief(b: Omit<BriefResult, "markdown">, options: { flag: string }): string {
  const code = (s: string) => "`" + s + "`";
  const list = (xs: readonly string[]) => xs.length === 0 ? "(none)" : xs.map(code).join(", ");
  const out: string[] = [
    `# Brief: contract "${b.contract}"`,
    "",
    b.run_id === null
      ? `No run is active yet: start one with ${code(`keel run start${options.flag}`)} ` +
        "before the first commit."
      : `Run ${code(b.run_id)} is active: your commits and tests are recorded into it.`,
    "",
    "## Goal",
    "",
    b.goal,
    "",
    `Risk: ${b.risk_level} · domain: ${b.domain}`,
    "",
    "## Constraints",
    "",
    ...(b.constraints.length === 0 ? ["(none)"] : b.constraints.map((c) => `- ${c}`)),
    "",
    "## Files",
    "",
    `- Allowed — touch only files matching: ${list(b.allowed_files)}`,
    `- Forbidden — never touch: ${list(b.forbidden_files)}`,
    "- Anything else is out of scope: an edit or commit there is blocked by keel's guards " +
    "(when installed) and reported as drift at finish.",
    "",
    "## Units (commit in this order)",
    "",
  ];
  if (b.units.length === 0) out.push("(no units planned)");
  b.units.forEach((u, i) => {
    out.push(
      `${i + 1}. ${code(u.id)} — ${u.summary}`,
      `   - files: ${list(u.files)}`,
      `   - tests: ${list(u.tests)}`,
      `   - after: ${list(u.depends_on)}`,
      `   - end each commit message of this unit with the trailer line ${code(u.trailer)}`,
    );
  });
  out.push("", "## Tests", "");
  if (b.tests.length === 0) out.push("(no tests planned)");
  for (const t of b.tests) {
    out.push(
      `- ${code(t.id)} (${t.required ? "required" : "optional"}, ${t.gate} gate)` +
        (t.description ? `: ${t.description}` : ""),
      `  - run: ${code(t.run)}` + (t.command ? ` (runs ${code(t.command)})` : ""),
    );
  }
  out.push("", "## Lessons from earlier runs on these paths", "");
  if (b.lessons.length === 0) out.push("(none recorded)");
  for (const l of b.lessons) out.push(`- ${l.message}`);
  out.push(
    "",
    "## When done",
    "",
    `Run every required test, then ${code(`keel run finish${options.flag}`)}: it compares ` +
      "what you did with this contract and lists any drift.",
    "",
  );
  return out.join("\n");
}
