import assert from "node:assert/strict";
import { keelJson } from "./helpers.ts";

Deno.test("keel pilot runs the whole loop and every step exits as expected", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const r = await keelJson(dir, ["pilot"]);
    assert.equal(r.code, 0, r.stderr);
    const steps = r.json.steps as { command: string; exit: number; expected_exit: number }[];
    assert.equal(r.json.ok, true);
    const byCommand = (prefix: string) => steps.filter((s) => s.command.startsWith(prefix));
    assert.deepEqual(byCommand("keel run start").map((s) => s.exit), [1, 0, 1]);
    assert.deepEqual(byCommand("keel run finish").map((s) => s.exit), [1]);
    assert.deepEqual(byCommand("keel approve all").map((s) => s.exit), [0]);
    for (const s of steps) assert.equal(s.exit, s.expected_exit, s.command);
    assert.ok(byCommand("keel trust").length === 1);
    assert.ok(byCommand("keel deviation accept F1").length === 1);
    // The sample repository is removed unless --keep is given.
    await assert.rejects(Deno.stat(r.json.repository as string));
    // The HTML report of its runs is written outside it, and named.
    const report = r.json.report as string;
    assert.match(report, /keel-pilot-report-[^/]*\.html$/);
    assert.ok((await Deno.readTextFile(report)).includes('data-view="history"'));
    await Deno.remove(report);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("keel pilot's first run reports exactly the planted drift, and trust rates the domains", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const r = await keelJson(dir, ["pilot"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.json.first_run, {
      verdict: "drifted",
      findings: [
        "SCOPE_FILE_OUTSIDE_ALLOWED",
        "PLAN_COMMIT_UNPLANNED",
        "PLAN_UNIT_MISSING",
        "TEST_REQUIRED_NOT_RUN",
      ],
      accepted: ["SCOPE_FILE_OUTSIDE_ALLOWED"],
    });
    assert.deepEqual(r.json.levels, {
      docs: "insufficient-data",
      feature: "low-trust",
      overall: "low-trust",
    });
    await Deno.remove(r.json.report as string);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
