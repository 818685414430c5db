import assert from "node:assert/strict";
import type { CommitPlan, Intent, TestContract, TestRecord } from "../../schemas/mod.ts";
import { analyzeDrift, type DriftCommit, type DriftInput, testOutcomes } from "./analyze_drift.ts";
import { computeVerdict } from "./compute_verdict.ts";

const approval = {
  state: "approved" as const,
  by: "me",
  at: "2026-01-01T00:00:00.000Z",
  digest: "0".repeat(64),
  checklist: [],
};

function intent(over: Partial<Intent> = {}): Intent {
  return {
    schema_version: 1,
    goal: "g",
    constraints: [],
    allowed_files: ["src/**", "tests/**"],
    forbidden_files: ["src/secret/**"],
    risk_level: "low",
    domain: "x",
    approval,
    ...over,
  };
}

function tests(list: TestContract["tests"]): TestContract {
  return { schema_version: 1, tests: list, approval };
}

function plan(units: CommitPlan["units"]): CommitPlan {
  return { schema_version: 1, units, approval };
}

const D = { intent: "a".repeat(64), tests: "b".repeat(64), plan: "c".repeat(64) };

const PLAN = plan([
  { id: "u1", summary: "core", files: ["src/core/**"], tests: ["unit"], depends_on: [] },
  { id: "u2", summary: "cli", files: ["src/cli/**", "tests/**"], tests: [], depends_on: ["u1"] },
]);
const TESTS = tests([
  { id: "unit", command: "x", required: true, gate: "finish" },
  { id: "lint", command: "y", required: false, gate: "advisory" },
]);

function commit(
  sha: string,
  files: string[],
  trailers: Record<string, string[]> = {},
): DriftCommit {
  return {
    sha: sha.padEnd(40, "0"),
    parents: [],
    subject: `commit ${sha}`,
    trailers,
    files: files.map((path) => ({ path, status: "M" })),
  };
}

function rec(test_id: string, status: TestRecord["status"], over: Partial<TestRecord> = {}) {
  return {
    test_id,
    planned: true,
    status,
    source: "exec" as const,
    command: [test_id === "unit" ? "x" : "y"],
    at: "2026-01-01T00:00:00.000Z",
    ...over,
  } satisfies TestRecord;
}

function input(over: Partial<DriftInput> = {}): DriftInput {
  return {
    snapshot: { intent: intent(), tests: TESTS, plan: PLAN },
    startDigests: D,
    currentDigests: D,
    commits: [commit("a1", ["src/core/a.ts"]), commit("a2", ["src/cli/b.ts"])],
    worktree: { staged: [], unstaged: [], untracked: [] },
    tests: [rec("unit", "passed")],
    baseIsAncestor: true,
    baseCommit: "b".repeat(40),
    head: "a2".padEnd(40, "0"),
    ...over,
  };
}

function codes(r: ReturnType<typeof analyzeDrift>): string[] {
  return r.findings.map((f) => f.code);
}

Deno.test("analyzeDrift() on a clean run", async (t) => {
  await t.step("reports nothing and the verdict is aligned", () => {
    const r = analyzeDrift(input());
    assert.deepEqual(r.findings, []);
    assert.equal(computeVerdict(r.findings, []), "aligned");
    assert.deepEqual(r.units, [
      { id: "u1", commits: ["a1".padEnd(40, "0")], status: "landed" },
      { id: "u2", commits: ["a2".padEnd(40, "0")], status: "landed" },
    ]);
    assert.deepEqual(r.commits.map((c) => [c.unit, c.matched_by, c.matched_files]), [
      ["u1", "files", 1],
      ["u2", "files", 1],
    ]);
    assert.deepEqual(r.files.map((f) => [f.path, f.source, f.in_scope, f.forbidden]), [
      ["src/cli/b.ts", "committed", true, false],
      ["src/core/a.ts", "committed", true, false],
    ]);
  });
});

Deno.test("analyzeDrift() scope", async (t) => {
  await t.step("flags a file outside allowed_files, from a commit and untracked", () => {
    const r = analyzeDrift(input({
      commits: [
        commit("a1", ["src/core/a.ts", "docs/y.md"]),
        commit("a2", ["src/cli/b.ts"]),
      ],
      worktree: { staged: [], unstaged: [], untracked: ["docs/x.md"] },
    }));
    const scope = r.findings.filter((f) => f.code === "SCOPE_FILE_OUTSIDE_ALLOWED");
    assert.deepEqual(scope.map((f) => f.evidence.path), ["docs/x.md", "docs/y.md"]);
    assert.deepEqual(scope[1]!.evidence.commits, ["a1".padEnd(40, "0")]);
    assert.deepEqual(scope[0]!.evidence.sources, ["untracked"]);
    assert.equal(scope[0]!.severity, "error");
    assert.ok(codes(r).includes("WORKTREE_UNCOMMITTED"));
    assert.ok(codes(r).includes("PLAN_COMMIT_OUTSIDE_UNIT"));
  });
  await t.step("a forbidden file is reported as forbidden only", () => {
    const r = analyzeDrift(input({
      commits: [commit("a1", ["src/core/a.ts"]), commit("a2", ["src/cli/b.ts"])],
      worktree: { staged: ["src/secret/k.ts"], unstaged: [], untracked: [] },
    }));
    assert.deepEqual(codes(r), ["SCOPE_FILE_FORBIDDEN", "WORKTREE_UNCOMMITTED"]);
    assert.equal(r.findings[0]!.evidence.path, "src/secret/k.ts");
    assert.equal(r.findings[0]!.evidence.pattern, "src/secret/**");
  });
  await t.step(".keel/ never counts as touched", () => {
    const r = analyzeDrift(input({
      commits: [
        commit("a1", ["src/core/a.ts", ".keel/contracts/default/intent.json"]),
        commit("k1", [".keel/runs/x/run_report.json"]),
        commit("a2", ["src/cli/b.ts"]),
      ],
      worktree: { staged: [".keel/x"], unstaged: [".keel/y"], untracked: [".keel/runs/z.json"] },
    }));
    assert.deepEqual(r.findings, []);
    assert.equal(r.commits[1]!.keel_only, true);
    assert.equal(r.commits[1]!.unit, null);
    assert.deepEqual(r.files.map((f) => f.path), ["src/cli/b.ts", "src/core/a.ts"]);
  });
  await t.step("a rename touches both paths", () => {
    const c = commit("a1", []);
    c.files = [{ path: "src/core/new.ts", status: "R", oldPath: "docs/old.ts" }];
    const r = analyzeDrift(input({ commits: [c, commit("a2", ["src/cli/b.ts"])] }));
    assert.deepEqual(r.commits[0]!.renames, [{ from: "docs/old.ts", to: "src/core/new.ts" }]);
    const outside = r.findings.filter((f) => f.code === "SCOPE_FILE_OUTSIDE_ALLOWED");
    assert.deepEqual(outside.map((f) => f.evidence.path), ["docs/old.ts"]);
  });
});

Deno.test("analyzeDrift() commits and units", async (t) => {
  await t.step("the Keel-Unit trailer wins over file overlap", () => {
    const r = analyzeDrift(input({
      commits: [
        commit("a1", ["src/core/a.ts"]),
        commit("a2", ["src/core/b.ts"], { "Keel-Unit": ["u2"] }),
      ],
    }));
    assert.equal(r.commits[1]!.unit, "u2");
    assert.equal(r.commits[1]!.matched_by, "trailer");
    const f = r.findings.find((x) => x.code === "PLAN_COMMIT_OUTSIDE_UNIT")!;
    assert.equal(f.evidence.sha, "a2".padEnd(40, "0"));
    assert.deepEqual(f.evidence.paths, ["src/core/b.ts"]);
    assert.equal(f.severity, "warning");
  });
  await t.step("the trailer key is case-insensitive; an unknown unit falls back to files", () => {
    const r = analyzeDrift(input({
      commits: [
        commit("a1", ["src/core/a.ts"], { "keel-unit": ["nope"] }),
        commit("a2", ["src/cli/b.ts"], { "KEEL-UNIT": ["u2"] }),
      ],
    }));
    assert.deepEqual(r.commits.map((c) => [c.unit, c.matched_by, c.trailer_unit]), [
      ["u1", "files", "nope"],
      ["u2", "trailer", "u2"],
    ]);
  });
  await t.step("most matching files wins; a tie goes to plan order", () => {
    const p = plan([
      { id: "a", summary: "a", files: ["src/x/**"], tests: [], depends_on: [] },
      { id: "b", summary: "b", files: ["src/y/**", "src/z/**"], tests: [], depends_on: [] },
    ]);
    const r = analyzeDrift(input({
      snapshot: { intent: intent(), tests: TESTS, plan: p },
      commits: [
        commit("c1", ["src/x/1", "src/y/1", "src/z/1"]),
        commit("c2", ["src/x/1", "src/y/1"]),
      ],
    }));
    assert.deepEqual(r.commits.map((c) => [c.unit, c.matched_files]), [["b", 2], ["a", 1]]);
  });
  await t.step(
    "a commit with no unit is unplanned, naming its sha; a unit without commit is missing",
    () => {
      const r = analyzeDrift(input({
        commits: [commit("a1", ["src/core/a.ts"]), commit("zz", ["src/other.ts"])],
      }));
      assert.deepEqual(codes(r), ["PLAN_COMMIT_UNPLANNED", "PLAN_UNIT_MISSING"]);
      assert.equal(r.findings[0]!.evidence.sha, "zz".padEnd(40, "0"));
      assert.deepEqual(r.findings[0]!.evidence.paths, ["src/other.ts"]);
      assert.equal(r.findings[1]!.evidence.unit, "u2");
      assert.deepEqual(r.findings.map((f) => f.id), ["F1", "F2"]);
      assert.equal(computeVerdict(r.findings, []), "drifted");
    },
  );
  await t.step("a unit landing before a unit it depends on is out of order", () => {
    const r = analyzeDrift(input({
      commits: [commit("a2", ["src/cli/b.ts"]), commit("a1", ["src/core/a.ts"])],
    }));
    assert.deepEqual(codes(r), ["PLAN_UNIT_OUT_OF_ORDER"]);
    assert.deepEqual(r.findings[0]!.evidence, {
      unit: "u2",
      depends_on: "u1",
      unit_first_commit: "a2".padEnd(40, "0"),
      dependency_first_commit: "a1".padEnd(40, "0"),
    });
  });
  await t.step("a commit touching nothing is not unplanned", () => {
    const r = analyzeDrift(input({
      commits: [commit("a1", ["src/core/a.ts"]), commit("e0", []), commit("a2", ["src/cli/b.ts"])],
    }));
    assert.deepEqual(r.findings, []);
  });
});

Deno.test("analyzeDrift() tests", async (t) => {
  await t.step("a required test not run is named", () => {
    const r = analyzeDrift(input({ tests: [] }));
    assert.deepEqual(codes(r), ["TEST_REQUIRED_NOT_RUN"]);
    assert.deepEqual(r.findings[0]!.evidence, { test_id: "unit", status: "not_run" });
  });
  await t.step("skipped counts as not run", () => {
    const r = analyzeDrift(input({ tests: [rec("unit", "skipped")] }));
    assert.deepEqual(r.findings[0]!.evidence, { test_id: "unit", status: "skipped" });
  });
  await t.step("a failing finish-gate test is an error; the latest record wins", () => {
    const r = analyzeDrift(input({
      tests: [rec("unit", "passed"), rec("unit", "failed", { reason: "boom", exit_code: 2 })],
    }));
    assert.deepEqual(codes(r), ["TEST_REQUIRED_FAILED"]);
    assert.equal(r.findings[0]!.severity, "error");
    assert.equal(r.findings[0]!.evidence.exit_code, 2);
    const fixed = analyzeDrift(input({ tests: [rec("unit", "failed"), rec("unit", "passed")] }));
    assert.deepEqual(fixed.findings, []);
  });
  await t.step("an errored test (command did not start) fails its gate", () => {
    const r = analyzeDrift(input({ tests: [rec("unit", "error", { reason: "not found" })] }));
    assert.equal(r.findings[0]!.code, "TEST_REQUIRED_FAILED");
    assert.equal(r.findings[0]!.evidence.status, "error");
  });
  await t.step("an advisory failure is a warning", () => {
    const r = analyzeDrift(input({ tests: [rec("unit", "passed"), rec("lint", "failed")] }));
    assert.deepEqual(r.findings.map((f) => [f.code, f.severity]), [
      ["TEST_REQUIRED_FAILED", "warning"],
    ]);
    assert.equal(computeVerdict(r.findings, []), "aligned");
  });
  await t.step("a batch is judged as a whole", () => {
    const r = analyzeDrift(input({
      tests: [
        rec("unit", "passed", { batch: "j1", source: "junit" }),
        rec("unit", "failed", { batch: "j1", source: "junit" }),
        rec("unit", "passed", { batch: "j1", source: "junit" }),
      ],
    }));
    assert.deepEqual(codes(r), ["TEST_REQUIRED_FAILED"]);
  });
  await t.step("unplanned tests are warnings; JUnit ones are grouped", () => {
    const r = analyzeDrift(input({
      tests: [
        rec("unit", "passed"),
        rec("extra", "passed", { planned: false }),
        rec("a.b", "passed", { planned: false, source: "junit", batch: "j" }),
        rec("a.c", "failed", { planned: false, source: "junit", batch: "j" }),
      ],
    }));
    assert.deepEqual(r.findings.map((f) => [f.code, f.severity, f.key]), [
      ["TEST_UNPLANNED", "warning", "TEST_UNPLANNED:extra"],
      ["TEST_UNPLANNED", "warning", "TEST_UNPLANNED:junit"],
    ]);
    assert.deepEqual(r.findings[1]!.evidence.test_ids, ["a.b", "a.c"]);
  });
  await t.step("testOutcomes lists planned tests first, then unplanned", () => {
    const o = testOutcomes(TESTS, [rec("x", "passed"), rec("unit", "failed")]);
    assert.deepEqual(o.map((x) => [x.test_id, x.status, x.planned]), [
      ["unit", "failed", true],
      ["lint", "not_run", true],
      ["x", "passed", false],
    ]);
  });
});

Deno.test("analyzeDrift() contract and history", async (t) => {
  await t.step("a changed artifact digest is CONTRACT_CHANGED_DURING_RUN", () => {
    const r = analyzeDrift(input({
      currentDigests: { ...D, tests: "d".repeat(64), plan: null },
      artifactPaths: { tests: ".keel/contracts/default/test_contract.json" },
    }));
    assert.deepEqual(r.findings.map((f) => f.evidence.artifact), ["tests", "plan"]);
    assert.equal(r.findings[0]!.evidence.path, ".keel/contracts/default/test_contract.json");
    assert.equal(r.findings[1]!.evidence.digest_now, null);
  });
  await t.step("a base that is no longer an ancestor is a finding", () => {
    const r = analyzeDrift(input({ baseIsAncestor: false }));
    assert.deepEqual(codes(r), ["BASE_NOT_ANCESTOR"]);
    assert.equal(r.findings[0]!.evidence.base_commit, "b".repeat(40));
  });
});

Deno.test("analyzeDrift() numbers findings in a deterministic order", () => {
  const a = analyzeDrift(input({
    baseIsAncestor: false,
    tests: [],
    commits: [commit("zz", ["docs/b.md", "docs/a.md"])],
    worktree: { staged: [], unstaged: ["src/secret/s"], untracked: ["docs/c.md"] },
  }));
  assert.deepEqual(a.findings.map((f) => `${f.id} ${f.key}`), [
    "F1 BASE_NOT_ANCESTOR:" + "b".repeat(40),
    "F2 SCOPE_FILE_FORBIDDEN:src/secret/s",
    "F3 SCOPE_FILE_OUTSIDE_ALLOWED:docs/a.md",
    "F4 SCOPE_FILE_OUTSIDE_ALLOWED:docs/b.md",
    "F5 SCOPE_FILE_OUTSIDE_ALLOWED:docs/c.md",
    "F6 PLAN_COMMIT_UNPLANNED:" + "zz".padEnd(40, "0"),
    "F7 PLAN_UNIT_MISSING:u1",
    "F8 PLAN_UNIT_MISSING:u2",
    "F9 TEST_REQUIRED_NOT_RUN:unit",
    "F10 WORKTREE_UNCOMMITTED:",
  ]);
  assert.deepEqual(
    analyzeDrift(input({
      baseIsAncestor: false,
      tests: [],
      commits: [commit("zz", ["docs/a.md", "docs/b.md"])],
      worktree: { staged: [], unstaged: ["src/secret/s"], untracked: ["docs/c.md"] },
    })).findings.map((f) => f.key),
    a.findings.map((f) => f.key),
  );
});

Deno.test("computeVerdict() accepts only a deviation naming the finding's id and code", async (t) => {
  const f = [
    { id: "F1", code: "SCOPE_FILE_OUTSIDE_ALLOWED", severity: "error" as const },
    { id: "F2", code: "TEST_UNPLANNED", severity: "warning" as const },
  ];
  await t.step("unaccepted error → drifted", () => {
    assert.equal(computeVerdict(f, []), "drifted");
  });
  await t.step("accepted → aligned", () => {
    assert.equal(
      computeVerdict(f, [{ finding_id: "F1", code: "SCOPE_FILE_OUTSIDE_ALLOWED" }]),
      "aligned",
    );
  });
  await t.step("wrong code → still drifted", () => {
    assert.equal(computeVerdict(f, [{ finding_id: "F1", code: "PLAN_UNIT_MISSING" }]), "drifted");
  });
  await t.step(
    "a deviation whose finding_key differs from the finding's key accepts nothing",
    () => {
      const keyed = [{ ...f[0]!, key: "SCOPE_FILE_OUTSIDE_ALLOWED:docs/x.md" }];
      const d = { finding_id: "F1", code: "SCOPE_FILE_OUTSIDE_ALLOWED" };
      assert.equal(
        computeVerdict(keyed, [{ ...d, finding_key: "SCOPE_FILE_OUTSIDE_ALLOWED:docs/y.md" }]),
        "drifted",
      );
      assert.equal(
        computeVerdict(keyed, [{ ...d, finding_key: "SCOPE_FILE_OUTSIDE_ALLOWED:docs/x.md" }]),
        "aligned",
      );
    },
  );
  await t.step("warnings alone → aligned", () => {
    assert.equal(computeVerdict([f[1]!], []), "aligned");
  });
});

Deno.test("analyzeDrift() properties over random runs", async () => {
  const fc = (await import("fast-check")).default;
  const seg = fc.constantFrom("src", "tests", "docs", ".keel", ".github", "src/core", "src/cli");
  const path = fc.tuple(seg, fc.constantFrom("a.ts", "b.md", "c d.ts")).map(([d, f]) =>
    `${d}/${f}`
  );
  const commitArb = fc.record({
    files: fc.uniqueArray(path, { maxLength: 4 }),
    trailer: fc.option(fc.constantFrom("u1", "u2", "zz"), { nil: undefined }),
  });
  fc.assert(
    fc.property(
      fc.array(commitArb, { maxLength: 6 }),
      fc.array(path, { maxLength: 4 }),
      (cs, untracked) => {
        const commits = cs.map((c, i) =>
          commit(`c${i}`, c.files, c.trailer ? { "Keel-Unit": [c.trailer] } : {})
        );
        const r = analyzeDrift(input({
          commits,
          worktree: { staged: [], unstaged: [], untracked },
        }));
        // Ids are F1..Fn in order; keys are unique; the analysis is deterministic.
        assert.deepEqual(r.findings.map((f) => f.id), r.findings.map((_, i) => `F${i + 1}`));
        assert.equal(new Set(r.findings.map((f) => f.key)).size, r.findings.length);
        assert.deepEqual(
          analyzeDrift(input({ commits, worktree: { staged: [], unstaged: [], untracked } })),
          r,
        );
        // .keel/ is never a touched file.
        assert.ok(r.files.every((f) => !f.path.startsWith(".keel/")));
        // Every out-of-scope touched file has exactly one scope finding naming it.
        for (const f of r.files) {
          const n = r.findings.filter((x) =>
            x.code.startsWith("SCOPE_FILE_") && x.evidence.path === f.path
          ).length;
          assert.equal(n, f.in_scope && !f.forbidden ? 0 : 1, f.path);
        }
        // Every commit with files outside .keel/ has a unit or an unplanned finding.
        for (const c of r.commits) {
          const unplanned = r.findings.some((x) =>
            x.code === "PLAN_COMMIT_UNPLANNED" && x.evidence.sha === c.sha
          );
          assert.equal(unplanned, c.unit === null && c.files.length > 0, c.sha);
        }
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("analyzeDrift() lists files once each, in UTF-16 code unit order", async () => {
  const fc = (await import("fast-check")).default;
  // Upper and lower case, a combining accent, a non-BMP code point, a private-use one: code unit
  // order differs from locale and code point order on these.
  const seg = fc.constantFrom("src", "Src", "é", "e\u0301", "😀", "\uffff", "a-b", "a.b", "a b");
  const path = fc.tuple(seg, seg).map(([d, f]) => `${d}/${f}`);
  const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  fc.assert(
    fc.property(
      fc.array(fc.uniqueArray(path, { maxLength: 4 }), { maxLength: 5 }),
      fc.array(fc.tuple(path, fc.boolean()), { maxLength: 6 }),
      (cs, dirty) => {
        // Some untracked paths were already there at run start (listed after the touched ones).
        const untracked = dirty.map(([p]) => p);
        const preexisting = dirty.filter(([, pre]) => pre).map(([p]) => p);
        const r = analyzeDrift(input({
          commits: cs.map((files, i) => commit(`c${i}`, files)),
          worktree: { staged: [], unstaged: [], untracked },
          preexisting,
        }));
        const paths = r.files.map((f) => f.path);
        assert.deepEqual(paths, [...new Set(paths)].sort(byCodeUnit));
      },
    ),
    { numRuns: 300 },
  );
});
