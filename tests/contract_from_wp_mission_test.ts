/**
 * `init --from-wp` on a synthetic mission in the shape of
 * workflow-parity-988-989-991-01KRKTT5 (three planned WPs, one lane each, a
 * 2026-05 WP file with subtasks, owned files and a Definition of Done naming
 * its runner commands). In process: no CLI is spawned.
 */

import assert from "node:assert/strict";
import type { OpContext } from "../core/context.ts";
import { approveOp, initOp, validateOp } from "../core/contract/mod.ts";
import { ERROR_CODES } from "../core/errors.ts";
import type { CommitPlan, Intent, TestContract } from "../schemas/mod.ts";
import { keelFailure } from "../testing/keel_failure.ts";
import { writeMission } from "../testing/mission.ts";
import { readJson, tempRepo } from "./helpers.ts";
import { testContext } from "../testing/context.ts";

const SLUG = "workflow-parity-988-989-991-01KRKTT5";
const WP02_SCOPE = [
  "src/specify_cli/cli/commands/review/__init__.py",
  "src/specify_cli/cli/commands/review/_dead_code.py",
  "src/specify_cli/cli/commands/review/_diagnostics.py",
  "src/specify_cli/cli/commands/review/_mode.py",
  "tests/specify_cli/cli/commands/review/test_dead_code_baseline.py",
];

const WP02_BODY = `# WP02 — Lightweight review dead-code parity (#989)

## Objective

Stop lightweight review from passing silently without a baseline.

## Subtasks

### T004 — Add diagnostic codes

**Validation**:
- [ ] \`rg "LIGHTWEIGHT_REVIEW_MISSING_BASELINE" src/\` returns at least one hit.

### T005 — Update \`scan_dead_code()\` branching

**Validation**:
- [ ] \`mypy --strict src/specify_cli/cli/commands/review\` passes.

### T006 — Regression test

- [ ] \`uv run pytest tests/specify_cli/cli/commands/review/test_dead_code_baseline.py -q\` is green.

## Definition of Done

- [ ] Three subtasks complete and committed.
- [ ] \`uv run pytest tests/specify_cli/cli/commands/review/ tests/specify_cli/cli/commands/test_review.py -q\` is green.
- [ ] \`uv run mypy --strict src/specify_cli/cli/commands/review\` is green.
- [ ] \`rg "LIGHTWEIGHT_REVIEW_MISSING_BASELINE" src/ tests/\` returns hits in both surfaces.

## Risks & Mitigations

- Re-run \`uv run pytest tests/specify_cli/cli/commands/review/test_mode_resolution.py\`.
`;

const ctxFor = (cwd: string): OpContext =>
  testContext(cwd, { at: "2026-06-01T00:00:00.000Z", stepMs: 0, gitBackend: "cli" });

/** A git repository holding the workflow-parity-shaped mission. */
async function repoWithMission(): Promise<string> {
  const repo = await tempRepo();
  await writeMission(repo, {
    slug: SLUG,
    missionId: "01KRKTT58XC5KR0HF523333R9S",
    meta: {
      target_branch: "fix/workflow-parity-988-989-991",
      topology: "lanes",
      status_phase: "1",
    },
    wps: [
      { id: "WP01", slug: "next-json-claimability", subtasks: ["T001", "T002", "T003"] },
      {
        id: "WP02",
        slug: "lightweight-review-baseline",
        title: "Lightweight review dead-code parity",
        subtasks: ["T004", "T005", "T006"],
        frontmatter: {
          requirement_refs: ["FR-004", "FR-005", "FR-006", "FR-010", "C-004", "C-005"],
          agent: "claude",
          execution_mode: "code_change",
          mission_slug: SLUG,
          // Listed in another order than lanes.json: the lane's write_scope decides.
          owned_files: [...WP02_SCOPE].reverse(),
          role: "implementer",
          tags: [],
        },
        body: WP02_BODY,
      },
      { id: "WP03", slug: "merge-dry-run-review-artifact", subtasks: ["T007", "T008"] },
    ],
    lanes: [
      { lane_id: "lane-a", wp_ids: ["WP01"], write_scope: ["src/specify_cli/next/**"] },
      { lane_id: "lane-b", wp_ids: ["WP02"], write_scope: WP02_SCOPE },
      {
        lane_id: "lane-c",
        wp_ids: ["WP03"],
        write_scope: ["src/specify_cli/cli/commands/merge.py"],
      },
    ],
    editLanes: (doc) => {
      doc.target_branch = "fix/workflow-parity-988-989-991";
    },
  });
  return repo;
}

Deno.test("init --from-wp drafts a contract from a workflow-parity-shaped WP (lane scope, subtasks, DoD commands)", async () => {
  const repo = await repoWithMission();
  try {
    const ctx = ctxFor(repo);
    const r = await initOp({ fromWp: `${SLUG}:wp02` }, ctx);
    const name = `${SLUG.toLowerCase()}-wp02`;
    assert.equal(r.contract, name);
    assert.deepEqual(r.dropped_scope, []);
    const dir = `${repo}/.keel/contracts/${name}`;
    const intent = await readJson<Intent>(`${dir}/intent.json`);
    assert.deepEqual(intent.source, { mission: SLUG, wp_id: "WP02" });
    assert.deepEqual(intent.allowed_files, WP02_SCOPE);
    assert.equal(intent.goal, "WP02: Lightweight review dead-code parity");
    assert.deepEqual(intent.constraints, [
      "Stay inside WP02's lane (lane-b) write scope",
      "Satisfy FR-004, FR-005, FR-006, FR-010, C-004, C-005",
    ]);
    const plan = await readJson<CommitPlan>(`${dir}/commit_plan.json`);
    assert.deepEqual(plan.units.map((u) => [u.id, u.summary]), [
      ["T004", "Add diagnostic codes"],
      ["T005", "Update scan_dead_code() branching"],
      ["T006", "Regression test"],
    ]);
    const v = await validateOp({ contract: name }, ctx);
    assert.equal(v.ok, true, JSON.stringify(v.findings));
    // The tests come from the Definition of Done's runner commands (not rg, not the Risks).
    const tc = await readJson<TestContract>(`${dir}/test_contract.json`);
    assert.deepEqual(tc.tests.map((t) => [t.id, t.command]), [
      [
        "wp02-tests",
        "uv run pytest tests/specify_cli/cli/commands/review/ tests/specify_cli/cli/commands/test_review.py -q",
      ],
      ["wp02-tests-2", "uv run mypy --strict src/specify_cli/cli/commands/review"],
    ]);
    // No placeholder left: it approves as drafted.
    const a = await approveOp({ artifact: "all", by: "me", contract: name }, ctx);
    assert.equal(a.contract, name);
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("init --from-wp on a workflow-parity-shaped mission refuses unknown WPs and missions, and references that are not MISSION:WP", async () => {
  const repo = await repoWithMission();
  try {
    const ctx = ctxFor(repo);
    const wp = await keelFailure(initOp({ fromWp: `${SLUG}:WP09` }, ctx));
    assert.equal(wp.code, "WP_NOT_FOUND");
    assert.equal(ERROR_CODES[wp.code].exit, 3);
    assert.deepEqual(wp.data.available, ["WP01", "WP02", "WP03"]);
    const m = await keelFailure(initOp({ fromWp: "nope:WP01" }, ctx));
    assert.equal(m.code, "MISSION_NOT_FOUND");
    assert.equal(ERROR_CODES[m.code].exit, 3);
    const bad = await keelFailure(initOp({ fromWp: "WP01" }, ctx));
    assert.equal(bad.code, "USAGE");
    assert.equal(ERROR_CODES[bad.code].exit, 2);
    assert.equal(
      (await Deno.stat(`${repo}/.keel`).catch(() => null))?.isDirectory ?? false,
      false,
    );
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});
