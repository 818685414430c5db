import assert from "node:assert/strict";
import { DEFAULT_TRUST_CONFIG, resolveTrustConfig } from "../contract/config.ts";
import { delegationFor } from "./delegation.ts";
import { measureScope } from "./measure_scope.ts";
import type { RunFacts } from "./run_facts.ts";

function facts(i: number, over: Partial<RunFacts> = {}): RunFacts {
  return {
    run_id: `R${i}`,
    domain: "refactor",
    contract: "c",
    finished_at: `2026-01-01T00:0${i}:00.000Z`,
    drift_codes: [],
    test_gate_codes: [],
    accepted: 0,
    rework_notes: 0,
    review_rejections: 0,
    approval_latency_minutes: null,
    approval_key: `k${i}`,
    commits: [],
    reverted: [],
    defects: 0,
    ...over,
  };
}

Deno.test("measureScope() counts facts over the latest N runs", async (t) => {
  await t.step("the window keeps the latest runs by finish time", () => {
    const fs = [facts(3), facts(1, { drift_codes: ["SCOPE_FILE_OUTSIDE_ALLOWED"] }), facts(2)];
    const m = measureScope("refactor", fs, { window: 2 });
    assert.deepEqual(m.run_ids, ["R2", "R3"]);
    assert.equal(m.runs_available, 3);
    assert.equal(m.metrics.plan_drift_rate, 0);
  });
  await t.step("one approval shared by several runs is measured once", () => {
    const fs = [
      facts(1, { approval_key: "same", approval_latency_minutes: 10 }),
      facts(2, { approval_key: "same", approval_latency_minutes: 10 }),
      facts(3, { approval_key: "other", approval_latency_minutes: 40 }),
    ];
    const m = measureScope("refactor", fs, { window: 10 });
    assert.equal(m.counts.approvals_measured, 2);
    assert.equal(m.metrics.approval_latency_minutes, 25);
  });
  await t.step("unknown git history makes the revert count null, not 0", () => {
    const m = measureScope("refactor", [facts(1, { reverted: null }), facts(2)], { window: 10 });
    assert.equal(m.metrics.rollback_or_revert_count, null);
    assert.equal(m.counts.reverted_commits, null);
  });
  await t.step("review churn counts rework notes and rejected review cycles", () => {
    const fs = [facts(1, { rework_notes: 2 }), facts(2, { review_rejections: 1 }), facts(3)];
    const m = measureScope("refactor", fs, { window: 10 });
    assert.equal(m.metrics.review_churn_rate, 0.6667);
    assert.equal(m.counts.rework_cycles, 3);
  });
});

Deno.test("delegationFor() decides levels from thresholds", async (t) => {
  await t.step("below min_runs is insufficient-data", () => {
    const d = delegationFor(
      measureScope("ui", [facts(1), facts(2)], { window: 10 }),
      DEFAULT_TRUST_CONFIG,
    );
    assert.equal(d.level, "insufficient-data");
    assert.equal(
      d.reason,
      "Only 2 finished ui runs so far; keel needs at least 3 before it recommends a level.",
    );
  });
  await t.step("clean runs are high-trust", () => {
    const d = delegationFor(
      measureScope("deps", [facts(1), facts(2), facts(3)], { window: 10 }),
      DEFAULT_TRUST_CONFIG,
    );
    assert.equal(d.level, "high-trust");
  });
  await t.step("3 of 5 scope drifts is low-trust, said in words", () => {
    const scope = { drift_codes: ["SCOPE_FILE_OUTSIDE_ALLOWED"] };
    const fs = [facts(1, scope), facts(2, scope), facts(3, scope), facts(4), facts(5)];
    const d = delegationFor(measureScope("refactor", fs, { window: 10 }), DEFAULT_TRUST_CONFIG);
    assert.equal(d.level, "low-trust");
    assert.equal(
      d.reason,
      "3 of the last 5 refactor runs touched files outside scope (60%; low-trust at 40%).",
    );
  });
  await t.step("one revert keeps a domain from high-trust but not low", () => {
    const fs = [facts(1, { commits: ["a"], reverted: ["a"] }), facts(2), facts(3)];
    const d = delegationFor(measureScope("deps", fs, { window: 10 }), DEFAULT_TRUST_CONFIG);
    assert.equal(d.level, "medium-trust");
    assert.equal(
      d.reason,
      "1 commit(s) of the last 3 deps runs were later reverted (high-trust needs 0 or less).",
    );
  });
  await t.step("configured thresholds apply", () => {
    const config = resolveTrustConfig({
      trust: { thresholds: { rollback_or_revert_count: { low_min: 1 } } },
    });
    const fs = [facts(1, { commits: ["a"], reverted: ["a"] }), facts(2), facts(3)];
    assert.equal(
      delegationFor(measureScope("deps", fs, { window: 10 }), config).level,
      "low-trust",
    );
  });
});

Deno.test("resolveTrustConfig() fills defaults and refuses bad values with CONFIG_INVALID", () => {
  assert.deepEqual(resolveTrustConfig({}), DEFAULT_TRUST_CONFIG);
  assert.deepEqual(resolveTrustConfig({ other_feature: { x: 1 } }), DEFAULT_TRUST_CONFIG);
  assert.equal(resolveTrustConfig({ trust: { window: 5 } }).window, 5);
  for (const bad of [{ trust: { min_runs: 0 } }, { trust: { thresholds: { nope: {} } } }, []]) {
    assert.throws(
      () => resolveTrustConfig(bad),
      (e: { code?: string }) => e.code === "CONFIG_INVALID",
    );
  }
});
