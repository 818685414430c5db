/**
 * The semantic checks of a contract (the schema has already been checked):
 * paths, scope, duplicate ids, dependency cycles, units inside scope, tests
 * the plan names. Pure: artifacts in, findings out.
 *
 * @module
 */

import type { CodeRegistryOf } from "../codes.ts";
import type { CommitPlan, Intent, TestContract } from "../../schemas/mod.ts";
import type { ValidationCode } from "../../schemas/codes.ts";
import type { Finding } from "../../schemas/run_report.ts";
import { compileGlobs, globCoveredBy, globProblem } from "../glob/mod.ts";
import { normalizeRepoPath, repoPathProblem } from "../util/mod.ts";

/** The artifacts of a contract; a missing or unreadable one is `null`. */
export interface ContractArtifacts {
  intent: Intent | null;
  tests: TestContract | null;
  plan: CommitPlan | null;
}

/** Finding codes of `keel validate` (and `keel approve`), each with its severity. */
export const VALIDATION_CODES = {
  PATH_EMPTY: { severity: "error", doc: "A path or glob is empty." },
  PATH_ABSOLUTE: {
    severity: "error",
    doc: "A path or glob is absolute; globs are repository-relative.",
  },
  PATH_ESCAPES_REPO: {
    severity: "error",
    doc: "A path or glob contains '..' and could leave the repository.",
  },
  PATH_CONTROL_CHARACTER: {
    severity: "error",
    doc: "A path or glob contains a control character.",
  },
  PATH_NOT_NORMALIZED: {
    severity: "info",
    doc: "A glob is not in normal repo-relative POSIX form (shown normalised).",
  },
  GLOB_INVALID: {
    severity: "error",
    doc: "A glob cannot be compiled (a reversed character range such as [z-a]).",
  },
  SCOPE_EMPTY: { severity: "warning", doc: "allowed_files is empty: the run may touch nothing." },
  SCOPE_ALLOWED_AND_FORBIDDEN: {
    severity: "error",
    doc: "An allowed glob is entirely covered by forbidden_files.",
  },
  TEST_DUPLICATE_ID: { severity: "error", doc: "Two tests share an id." },
  TEST_NO_COMMAND: {
    severity: "error",
    doc: "A required test has neither command nor junit_name.",
  },
  PLAN_DUPLICATE_UNIT_ID: { severity: "error", doc: "Two units share an id." },
  PLAN_UNKNOWN_DEPENDENCY: {
    severity: "error",
    doc: "depends_on names a unit that does not exist.",
  },
  PLAN_DEPENDENCY_CYCLE: {
    severity: "error",
    doc: "depends_on forms a cycle (evidence.cycle names it).",
  },
  PLAN_UNIT_OUTSIDE_SCOPE: {
    severity: "error",
    doc: "A unit's files fall outside the intent's allowed_files.",
  },
  PLAN_UNIT_FORBIDDEN_FILES: {
    severity: "error",
    doc: "A unit's files are forbidden by the intent.",
  },
  PLAN_UNKNOWN_TEST: {
    severity: "error",
    doc: "A unit names a test the test contract does not define.",
  },
  PLAN_UNIT_NO_FILES: {
    severity: "warning",
    doc: "A unit lists no files, so commits can only match it by trailer.",
  },
  PLACEHOLDER_TEXT: {
    severity: "warning",
    doc: "A field still holds the placeholder text `keel init` wrote.",
  },
  LESSON_RELEVANT: {
    severity: "info",
    doc: "Earlier runs drifted on paths this contract covers (one finding per finding code).",
  },
} as const satisfies CodeRegistryOf<ValidationCode>;

/** A validation finding code. */
export type { ValidationCode };

/**
 * Check a contract's artifacts against each other.
 *
 * @param artifacts The parsed artifacts (null when missing or invalid).
 * @returns Findings, errors first in artifact order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { validateContract } from "./validate_contract.ts";
 * const findings = validateContract({ intent: null, tests: null, plan: {
 *   schema_version: 1,
 *   units: [
 *     { id: "a", summary: "A", files: [], tests: [], depends_on: ["b"] },
 *     { id: "b", summary: "B", files: [], tests: [], depends_on: ["a"] },
 *   ],
 *   approval: { state: "draft", by: null, at: null, digest: null, checklist: [] },
 * } });
 * assert(findings.some((f) => f.code === "PLAN_DEPENDENCY_CYCLE"));
 * ```
 */
export function validateContract(artifacts: ContractArtifacts): Finding[] {
  const findings: Finding[] = [];
  const { intent, tests, plan } = artifacts;
  let allowed: string[] = [];
  let forbidden: string[] = [];
  if (intent) {
    allowed = _checkGlobs(intent.allowed_files, "intent.json", "allowed_files", findings);
    forbidden = _checkGlobs(intent.forbidden_files, "intent.json", "forbidden_files", findings);
    if (intent.allowed_files.length === 0) {
      findings.push(
        _f("SCOPE_EMPTY", "allowed_files is empty: the run may touch no file", {
          location: "intent.json $.allowed_files",
        }),
      );
    }
    allowed.forEach((glob, i) => {
      if (forbidden.length > 0 && globCoveredBy(glob, forbidden)) {
        findings.push(_f("SCOPE_ALLOWED_AND_FORBIDDEN", `"${glob}" is both allowed and forbidden`, {
          location: `intent.json $.allowed_files[${i}]`,
          evidence: { glob, forbidden: forbidden.filter((f) => globCoveredBy(glob, [f])) },
        }));
      }
    });
  }
  const testIds = new Set<string>();
  if (tests) {
    tests.tests.forEach((t, i) => {
      if (testIds.has(t.id)) {
        findings.push(_f("TEST_DUPLICATE_ID", `Test id "${t.id}" is defined twice`, {
          location: `test_contract.json $.tests[${i}].id`,
          evidence: { test_id: t.id },
        }));
      }
      testIds.add(t.id);
      if (t.required && t.command === undefined && t.junit_name === undefined) {
        findings.push(
          _f("TEST_NO_COMMAND", `Required test "${t.id}" has neither command nor junit_name`, {
            location: `test_contract.json $.tests[${i}]`,
            evidence: { test_id: t.id },
          }),
        );
      }
    });
  }
  if (plan) _checkPlan(plan, { allowed, forbidden, intent, tests, testIds }, findings);
  _checkPlaceholders(artifacts, findings);
  return findings;
}

function _checkPlan(
  plan: CommitPlan,
  scope: {
    allowed: string[];
    forbidden: string[];
    intent: Intent | null;
    tests: TestContract | null;
    testIds: Set<string>;
  },
  findings: Finding[],
): void {
  const ids = new Set<string>();
  plan.units.forEach((u, i) => {
    if (ids.has(u.id)) {
      findings.push(_f("PLAN_DUPLICATE_UNIT_ID", `Unit id "${u.id}" is defined twice`, {
        location: `commit_plan.json $.units[${i}].id`,
        evidence: { unit: u.id },
      }));
    }
    ids.add(u.id);
  });
  const isForbidden = compileGlobs(scope.forbidden);
  plan.units.forEach((u, i) => {
    const files = _checkGlobs(u.files, "commit_plan.json", `units[${i}].files`, findings);
    if (u.files.length === 0) {
      findings.push(_f("PLAN_UNIT_NO_FILES", `Unit "${u.id}" lists no files`, {
        location: `commit_plan.json $.units[${i}].files`,
        evidence: { unit: u.id },
      }));
    }
    if (scope.intent) {
      const outside = files.filter((g) => !globCoveredBy(g, scope.allowed));
      if (outside.length > 0) {
        findings.push(
          _f(
            "PLAN_UNIT_OUTSIDE_SCOPE",
            `Unit "${u.id}" plans files outside allowed_files: ${outside.join(", ")}`,
            {
              location: `commit_plan.json $.units[${i}].files`,
              evidence: { unit: u.id, files: outside },
            },
          ),
        );
      }
      const banned = files.filter((g) =>
        isForbidden(g) || (scope.forbidden.length > 0 && globCoveredBy(g, scope.forbidden))
      );
      if (banned.length > 0) {
        findings.push(
          _f(
            "PLAN_UNIT_FORBIDDEN_FILES",
            `Unit "${u.id}" plans forbidden files: ${banned.join(", ")}`,
            {
              location: `commit_plan.json $.units[${i}].files`,
              evidence: { unit: u.id, files: banned },
            },
          ),
        );
      }
    }
    u.depends_on.forEach((d, j) => {
      if (!ids.has(d)) {
        findings.push(
          _f("PLAN_UNKNOWN_DEPENDENCY", `Unit "${u.id}" depends on unknown unit "${d}"`, {
            location: `commit_plan.json $.units[${i}].depends_on[${j}]`,
            evidence: { unit: u.id, depends_on: d },
          }),
        );
      }
    });
    if (scope.tests) {
      u.tests.forEach((t, j) => {
        if (!scope.testIds.has(t)) {
          findings.push(
            _f(
              "PLAN_UNKNOWN_TEST",
              `Unit "${u.id}" names test "${t}", which the test contract does not define`,
              {
                location: `commit_plan.json $.units[${i}].tests[${j}]`,
                evidence: { unit: u.id, test_id: t },
              },
            ),
          );
        }
      });
    }
  });
  for (const cycle of findCycles(plan.units)) {
    findings.push(
      _f("PLAN_DEPENDENCY_CYCLE", `depends_on forms a cycle: ${cycle.join(" → ")}`, {
        location: "commit_plan.json $.units",
        evidence: { cycle },
      }),
    );
  }
}

/** Prefix of the placeholder text `keel init` writes. */
export const PLACEHOLDER = "TODO:";

function _checkPlaceholders(artifacts: ContractArtifacts, findings: Finding[]): void {
  const check = (value: string | undefined, location: string) => {
    if (value !== undefined && value.trim().startsWith(PLACEHOLDER)) {
      findings.push(
        _f("PLACEHOLDER_TEXT", "still holds the placeholder text `keel init` wrote", {
          location,
          evidence: { text: value },
        }),
      );
    }
  };
  const { intent, tests, plan } = artifacts;
  if (intent) {
    check(intent.goal, "intent.json $.goal");
    check(intent.domain, "intent.json $.domain");
    intent.constraints.forEach((c, i) => check(c, `intent.json $.constraints[${i}]`));
  }
  tests?.tests.forEach((t, i) => check(t.command, `test_contract.json $.tests[${i}].command`));
  plan?.units.forEach((u, i) => check(u.summary, `commit_plan.json $.units[${i}].summary`));
}

/**
 * The dependency cycles among units, each as the path that closes it
 * (`["a", "b", "a"]`), each cycle reported once.
 *
 * @param units Units with `id` and `depends_on`.
 * @returns The cycles.
 */
export function findCycles(
  units: readonly { id: string; depends_on: readonly string[] }[],
): string[][] {
  const deps = new Map<string, readonly string[]>();
  for (const u of units) if (!deps.has(u.id)) deps.set(u.id, u.depends_on);
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const seen = new Set<string>();
  function visit(id: string): void {
    state.set(id, 1);
    stack.push(id);
    for (const d of deps.get(id) ?? []) {
      if (!deps.has(d)) continue;
      const s = state.get(d);
      if (s === 1) {
        const cycle = [...stack.slice(stack.indexOf(d)), d];
        const key = [...cycle.slice(0, -1)].sort().join("\u0000");
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
      } else if (s === undefined) visit(d);
    }
    stack.pop();
    state.set(id, 2);
  }
  for (const id of deps.keys()) if (!state.has(id)) visit(id);
  return cycles;
}

function _checkGlobs(
  globs: readonly string[],
  file: string,
  field: string,
  findings: Finding[],
): string[] {
  const out: string[] = [];
  globs.forEach((raw, i) => {
    const location = `${file} $.${field}[${i}]`;
    const norm = normalizeRepoPath(raw);
    const problem = repoPathProblem(norm);
    if (problem !== null) {
      const code = ({
        empty: "PATH_EMPTY",
        absolute: "PATH_ABSOLUTE",
        parent: "PATH_ESCAPES_REPO",
        control: "PATH_CONTROL_CHARACTER",
      } as const)[problem];
      findings.push(_f(code, `${VALIDATION_CODES[code].doc} (${JSON.stringify(raw)})`, {
        location,
        evidence: { glob: raw },
      }));
      return;
    }
    const invalid = globProblem(norm);
    if (invalid !== null) {
      findings.push(
        _f("GLOB_INVALID", `Invalid glob ${JSON.stringify(raw)}: ${invalid}`, {
          location,
          evidence: { glob: raw, reason: invalid },
        }),
      );
      return;
    }
    if (norm !== raw) {
      findings.push(
        _f("PATH_NOT_NORMALIZED", `${JSON.stringify(raw)} is read as ${JSON.stringify(norm)}`, {
          location,
          evidence: { glob: raw, normalized: norm },
        }),
      );
    }
    out.push(norm);
  });
  return out;
}

function _f(
  code: ValidationCode,
  message: string,
  extra: { location?: string; evidence?: Record<string, unknown> },
): Finding {
  return {
    code,
    severity: VALIDATION_CODES[code].severity,
    message,
    evidence: extra.evidence ?? {},
    ...(extra.location === undefined ? {} : { location: extra.location }),
  };
}
