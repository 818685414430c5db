import assert from "node:assert/strict";
import { gitRun } from "../../testing/git.ts";
import { testContext } from "../../testing/context.ts";
import { keelFailure } from "../../testing/keel_failure.ts";
import { approveOp, initOp } from "../contract/mod.ts";
import { finishRunOp } from "./finish_run_op.ts";
import { startRunOp } from "./start_run.ts";

/** A repository with an approved contract, a started run and one commit after its base. */
async function _runningRepo(): Promise<{ dir: string; runId: string; report: string }> {
  const dir = await Deno.makeTempDir({ prefix: "keel-finish-" });
  const git = (...args: string[]) =>
    gitRun(dir, ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { env: {} });
  await git("init", "-q", "-b", "main");
  await Deno.writeTextFile(`${dir}/a.txt`, "a\n");
  await git("add", "a.txt");
  await git("commit", "-qm", "first");
  const ctx = testContext(dir, { gitBackend: "cli" });
  await initOp({}, ctx);
  await approveOp({ artifact: "all", by: "maint", allowPlaceholders: true }, ctx);
  await git("add", "-A");
  await git("commit", "-qm", "keel");
  const run = await startRunOp({}, ctx);
  await Deno.writeTextFile(`${dir}/b.txt`, "b\n");
  await git("add", "b.txt");
  await git("commit", "-qm", "second");
  return { dir, runId: run.run_id, report: `${dir}/.keel/runs/${run.run_id}/run_report.json` };
}

Deno.test("finishRunOp: the range read from the report's base names the run's commits", async () => {
  const { dir, runId } = await _runningRepo();
  try {
    const r = await finishRunOp({}, testContext(dir, { gitBackend: "cli" }));
    assert.equal(r.run_id, runId);
    assert.equal(r.state, "finished");
    assert.deepEqual(r.commits.map((c) => c.subject), ["second"]);
    assert.equal(r.analysis?.range, `${r.meta.base_commit}..${r.analysis?.head}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("finishRunOp: a report the schema refuses is RUN_REPORT_INVALID, whatever git says", async (t) => {
  const { dir, report } = await _runningRepo();
  try {
    const ctx = testContext(dir, { gitBackend: "cli" });
    const original = JSON.parse(await Deno.readTextFile(report));
    await t.step("a valid base sha and an invalid field: the schema decides", async () => {
      await Deno.writeTextFile(report, JSON.stringify({ ...original, state: "exploded" }));
      const e = await keelFailure(finishRunOp({}, ctx));
      assert.equal(e.code, "RUN_REPORT_INVALID");
      assert.equal(e.data.path, `.keel/runs/${original.run_id}/run_report.json`);
      // Even when git cannot answer (no repository any more): the report is judged first.
      await Deno.rename(`${dir}/.git`, `${dir}/.git-away`);
      try {
        assert.equal((await keelFailure(finishRunOp({}, ctx))).code, "RUN_REPORT_INVALID");
      } finally {
        await Deno.rename(`${dir}/.git-away`, `${dir}/.git`);
      }
    });
    await t.step("not JSON at all", async () => {
      await Deno.writeTextFile(report, "{");
      const e = await keelFailure(finishRunOp({}, ctx));
      assert.equal(e.code, "RUN_REPORT_INVALID");
    });
    await t.step(
      "a base that is no commit name is never resolved: the range is empty",
      async () => {
        const meta = { ...original.meta, base_commit: "--output=/tmp/x" };
        await Deno.writeTextFile(report, JSON.stringify({ ...original, meta }));
        const r = await finishRunOp({}, ctx);
        assert.equal(r.analysis?.range, "none: the base commit --output=/tmp/x no longer exists");
        assert.deepEqual(r.commits, []);
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
