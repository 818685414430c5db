import assert from "node:assert/strict";
import type { CommitPlan, Intent, TestContract } from "../../schemas/mod.ts";
import { findCycles, validateContract } from "./validate_contract.ts";
import { approvalState, artifactDigest } from "../artifact/digest.ts";
import { evaluateChecklist } from "./checklist.ts";

const approval = { state: "draft" as const, by: null, at: null, digest: null, checklist: [] };

function intent(over: Partial<Intent> = {}): Intent {
  return {
    schema_version: 1,
    goal: "Add a cache",
    constraints: [],
    allowed_files: ["src/**"],
    forbidden_files: ["src/secrets/**"],
    risk_level: "low",
    domain: "refactor",
    approval,
    ...over,
  };
}
function tests(over: Partial<TestContract> = {}): TestContract {
  return {
    schema_version: 1,
    tests: [{ id: "unit", command: "deno test", required: true, gate: "finish" }],
    approval,
    ...over,
  };
}
function plan(units: CommitPlan["units"]): CommitPlan {
  return { schema_version: 1, units, approval };
}
const unit = (id: string, over: Partial<CommitPlan["units"][number]> = {}) => ({
  id,
  summary: `unit ${id}`,
  files: ["src/a.ts"],
  tests: ["unit"],
  depends_on: [],
  ...over,
});
const codes = (fs: { code: string }[]) => fs.map((f) => f.code).sort();

Deno.test("validateContract() accepts a consistent contract", () => {
  const f = validateContract({ intent: intent(), tests: tests(), plan: plan([unit("a")]) });
  assert.deepEqual(f.filter((x) => x.severity === "error"), []);
});

Deno.test("validateContract() rejects bad globs with distinct codes", () => {
  const f = validateContract({
    intent: intent({ allowed_files: ["", "/etc/passwd", "../x/**", "a\nb", "./src//b.ts"] }),
    tests: null,
    plan: null,
  });
  assert.deepEqual(
    f.filter((x) => x.severity === "error").map((x) => [x.code, x.location]),
    [
      ["PATH_EMPTY", "intent.json $.allowed_files[0]"],
      ["PATH_ABSOLUTE", "intent.json $.allowed_files[1]"],
      ["PATH_ESCAPES_REPO", "intent.json $.allowed_files[2]"],
      ["PATH_CONTROL_CHARACTER", "intent.json $.allowed_files[3]"],
    ],
  );
  const norm = f.find((x) => x.code === "PATH_NOT_NORMALIZED");
  assert.equal(norm?.evidence.normalized, "src/b.ts");
});

Deno.test("validateContract() flags a file both allowed and forbidden", () => {
  const f = validateContract({
    intent: intent({ allowed_files: ["src/**", "src/secrets/key.pem"] }),
    tests: null,
    plan: null,
  });
  const hit = f.filter((x) => x.code === "SCOPE_ALLOWED_AND_FORBIDDEN");
  assert.equal(hit.length, 1);
  assert.equal(hit[0]!.location, "intent.json $.allowed_files[1]");
});

Deno.test("validateContract() flags duplicate ids and tests without a command", () => {
  const f = validateContract({
    intent: intent(),
    tests: tests({
      tests: [
        { id: "unit", command: "x", required: true, gate: "finish" },
        { id: "unit", required: true, gate: "finish" },
      ],
    }),
    plan: plan([unit("a"), unit("a")]),
  });
  assert.deepEqual(codes(f.filter((x) => x.severity === "error")), [
    "PLAN_DUPLICATE_UNIT_ID",
    "TEST_DUPLICATE_ID",
    "TEST_NO_COMMAND",
  ]);
});

Deno.test("validateContract() names a depends_on cycle", () => {
  const f = validateContract({
    intent: intent(),
    tests: tests(),
    plan: plan([
      unit("a", { depends_on: ["c"] }),
      unit("b", { depends_on: ["a"] }),
      unit("c", { depends_on: ["b"] }),
      unit("d", { depends_on: ["zz"] }),
    ]),
  });
  const cyc = f.filter((x) => x.code === "PLAN_DEPENDENCY_CYCLE");
  assert.equal(cyc.length, 1);
  assert.deepEqual(cyc[0]!.evidence.cycle, ["a", "c", "b", "a"]);
  assert.equal(cyc[0]!.message, "depends_on forms a cycle: a → c → b → a");
  assert.equal(f.filter((x) => x.code === "PLAN_UNKNOWN_DEPENDENCY").length, 1);
});

Deno.test("findCycles() finds a self-dependency and reports each cycle once", () => {
  assert.deepEqual(findCycles([{ id: "a", depends_on: ["a"] }]), [["a", "a"]]);
  assert.deepEqual(
    findCycles([{ id: "a", depends_on: ["b"] }, { id: "b", depends_on: ["a"] }]),
    [["a", "b", "a"]],
  );
  assert.deepEqual(findCycles([{ id: "a", depends_on: [] }, { id: "b", depends_on: ["a"] }]), []);
});

Deno.test("validateContract() flags unit files outside scope, forbidden, and unknown tests", () => {
  const f = validateContract({
    intent: intent(),
    tests: tests(),
    plan: plan([
      unit("a", { files: ["docs/x.md", "src/**/*.ts"] }),
      unit("b", { files: ["src/secrets/k.pem"], tests: ["nope"] }),
    ]),
  });
  const outside = f.find((x) => x.code === "PLAN_UNIT_OUTSIDE_SCOPE");
  assert.deepEqual(outside?.evidence, { unit: "a", files: ["docs/x.md"] });
  const forb = f.find((x) => x.code === "PLAN_UNIT_FORBIDDEN_FILES");
  assert.deepEqual(forb?.evidence, { unit: "b", files: ["src/secrets/k.pem"] });
  const unk = f.find((x) => x.code === "PLAN_UNKNOWN_TEST");
  assert.deepEqual(unk?.evidence, { unit: "b", test_id: "nope" });
});

Deno.test("approval digests ignore the approval block and key order; edits make it stale", async () => {
  const a = { goal: "x", b: [1, { y: 2, x: 1 }], approval: { state: "draft", digest: null } };
  const b = { b: [1, { x: 1, y: 2 }], goal: "x" };
  assert.equal(await artifactDigest(a), await artifactDigest(b));
  const digest = await artifactDigest(a);
  assert.equal(digest.length, 64);
  const approved = { ...a, approval: { state: "approved", digest } };
  assert.equal((await approvalState(approved)).state, "approved");
  assert.equal((await approvalState({ ...approved, goal: "y" })).state, "stale");
  assert.equal((await approvalState(a)).state, "draft");
});

Deno.test("evaluateChecklist() fails the plan items that validation found", () => {
  const artifacts = {
    intent: intent(),
    tests: tests(),
    plan: plan([unit("a", { depends_on: ["a"] })]),
  };
  const findings = validateContract(artifacts);
  const items = evaluateChecklist("plan", { artifacts, findings });
  assert.deepEqual(items.filter((i) => !i.ok).map((i) => i.id), ["acyclic", "valid"]);
  assert.deepEqual(
    evaluateChecklist("intent", { artifacts, findings }).filter((i) => !i.ok),
    [],
  );
});
