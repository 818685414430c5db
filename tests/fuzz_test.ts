import assert from "node:assert/strict";
import { runFuzz } from "../scripts/fuzz.ts";

const TARGETS = [
  "intent",
  "test_contract",
  "commit_plan",
  "wp_frontmatter",
  "event_log",
  "review_cycle",
  "lanes_json",
  "junit_xml",
  "rpc_frames",
  "doctor_files",
  "glob",
];

Deno.test("fuzz: 200 generated and mutated inputs per target, no uncaught exception, no INTERNAL", async (t) => {
  const reports = await runFuzz({ runs: 200, seed: 20261123 });
  assert.deepEqual(reports.map((r) => r.target), TARGETS);
  for (const r of reports) {
    await t.step(`${r.target}: ${r.accepted} accepted, ${r.rejected} rejected`, () => {
      assert.equal(r.cases, 200);
      assert.equal(r.accepted + r.rejected, 200);
      // The generators reach both sides of each reader.
      assert.ok(r.accepted > 0, `${r.target}: nothing accepted`);
      assert.ok(r.rejected > 0, `${r.target}: nothing rejected`);
      assert.ok(!("INTERNAL" in r.codes));
    });
  }
});

Deno.test("fuzz: a reader that throws a plain Error breaks the invariant", async () => {
  const { fuzzTargets, FuzzInvariantError } = await import("../scripts/fuzz.ts");
  const dir = await Deno.makeTempDir({ prefix: "keel-fuzz-self-" });
  try {
    const ctx = {
      cwd: dir,
      clock: { now: () => new Date(0) },
      env: {},
      gitBackend: "cli" as const,
    };
    const [intent] = await fuzzTargets({ dir, ctx });
    // A valid intent is accepted, broken JSON is rejected as data.
    assert.equal(await intent!.run('{"goal": '), "rejected");
    await assert.rejects(
      intent!.run({ notAString: true } as unknown as string),
      FuzzInvariantError,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
