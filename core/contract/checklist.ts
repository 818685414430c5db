/**
 * The approval checklist of each artifact: what a maintainer would check
 * before saying yes. Every item must hold for `keel approve` to write.
 *
 * @module
 */

import type { Finding } from "../../schemas/run_report.ts";
import type { ContractArtifacts } from "./validate_contract.ts";
import { ARTIFACT_FILES, type ArtifactKind } from "../layout/mod.ts";

/** One evaluated checklist item. */
export interface ChecklistResult {
  id: string;
  label: string;
  ok: boolean;
}

/**
 * Evaluate the checklist of one artifact.
 *
 * @param kind Which artifact.
 * @param input The contract's artifacts and the validation findings.
 * @returns The items, in order.
 */
export function evaluateChecklist(
  kind: ArtifactKind,
  input: { artifacts: ContractArtifacts; findings: readonly Finding[] },
): ChecklistResult[] {
  const { intent, tests, plan } = input.artifacts;
  const file = ARTIFACT_FILES[kind];
  const errorsIn = (codes?: string[]) =>
    input.findings.filter((f) =>
      f.severity === "error" && (f.location ?? "").startsWith(file) &&
      (codes === undefined || codes.includes(f.code))
    ).length;
  const item = (id: string, label: string, ok: boolean): ChecklistResult => ({ id, label, ok });
  switch (kind) {
    case "intent":
      return [
        item(
          "goal_stated",
          "The goal is stated",
          intent !== null && intent.goal.trim() !== "" &&
            !input.findings.some((f) =>
              f.code === "PLACEHOLDER_TEXT" && f.severity === "error" &&
              f.location === `${file} $.goal`
            ),
        ),
        item(
          "scope_set",
          "allowed_files names at least one path",
          (intent?.allowed_files.length ?? 0) > 0,
        ),
        item(
          "domain_set",
          "The domain is set (trust is measured per domain)",
          intent !== null && intent.domain.trim() !== "",
        ),
        item("valid", "No validation error in intent.json", errorsIn() === 0),
      ];
    case "tests":
      return [
        item(
          "has_required_test",
          "At least one required test",
          tests?.tests.some((t) => t.required) ?? false,
        ),
        item(
          "required_runnable",
          "Every required test has a command or a junit_name",
          errorsIn(["TEST_NO_COMMAND"]) === 0,
        ),
        item("valid", "No validation error in test_contract.json", errorsIn() === 0),
      ];
    case "plan":
      return [
        item("has_units", "At least one unit", (plan?.units.length ?? 0) > 0),
        item("intent_readable", "intent.json is readable (scope can be checked)", intent !== null),
        item(
          "units_in_scope",
          "Every unit's files are inside allowed_files and not forbidden",
          intent !== null &&
            errorsIn(["PLAN_UNIT_OUTSIDE_SCOPE", "PLAN_UNIT_FORBIDDEN_FILES"]) === 0,
        ),
        item("acyclic", "depends_on has no cycle", errorsIn(["PLAN_DEPENDENCY_CYCLE"]) === 0),
        item(
          "tests_defined",
          "Every test a unit names is in the test contract",
          tests !== null && errorsIn(["PLAN_UNKNOWN_TEST"]) === 0,
        ),
        item("valid", "No validation error in commit_plan.json", errorsIn() === 0),
      ];
  }
}
