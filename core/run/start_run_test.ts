import assert from "node:assert/strict";
import { gitRun } from "../../testing/git.ts";
import { approveOp, initOp } from "../contract/mod.ts";
import { statusOp } from "../status/mod.ts";
import type { OpContext } from "../context.ts";
import { KeelError } from "../errors.ts";
import { fixedClock } from "../util/clock.ts";
import { startRunOp } from "./start_run.ts";

async function _repo(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "keel-core-" });
  const git = (...args: string[]) =>
    gitRun(dir, ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { env: {} });
  await git("init", "-q", "-b", "trunk");
  await Deno.writeTextFile(`${dir}/a.txt`, "a\n");
  await git("add", "a.txt");
  await git("commit", "-qm", "first");
  return dir;
}

function _ctx(cwd: string, env: Record<string, string> = {}): OpContext {
  return { cwd, clock: fixedClock("2026-03-01T10:00:00.000Z", 60_000), env, gitBackend: "cli" };
}

Deno.test("the core gate: init → refused → approve (digests, clock) → start → stale", async (t) => {
  const dir = await _repo();
  try {
    const ctx = _ctx(dir, { KEEL_SESSION: "sess-env", KEEL_AGENT: "agent-env" });
    await initOp({}, ctx);
    await t.step("startRunOp refuses drafts with CONTRACT_NOT_APPROVED", async () => {
      await assert.rejects(startRunOp({}, ctx), (e: KeelError) => {
        assert.equal(e.code, "CONTRACT_NOT_APPROVED");
        assert.equal(e.exitCode, 1);
        assert.deepEqual(
          (e.data.artifacts as { artifact: string }[]).map((a) => a.artifact),
          ["intent", "tests", "plan"],
        );
        return true;
      });
    });
    await t.step("approveOp stamps by/at from the clock and a digest per artifact", async () => {
      const r = await approveOp({ artifact: "all", by: "maint", allowPlaceholders: true }, ctx);
      assert.deepEqual(r.approved.map((a) => a.artifact), ["intent", "tests", "plan"]);
      assert.equal(r.at, "2026-03-01T10:01:00.000Z");
      for (const a of r.approved) assert.match(a.digest, /^[0-9a-f]{64}$/);
      const s = await statusOp({}, ctx);
      assert.deepEqual(s.artifacts.map((a) => a.state), ["approved", "approved", "approved"]);
      assert.deepEqual(s.artifacts.map((a) => a.approved_by), ["maint", "maint", "maint"]);
    });
    await t.step("startRunOp takes session and agent from the environment", async () => {
      const report = await startRunOp({}, ctx);
      assert.equal(report.state, "running");
      assert.equal(report.meta.branch, "trunk");
      assert.equal(report.meta.session_id, "sess-env");
      assert.equal(report.meta.agent, "agent-env");
      assert.equal(report.meta.started_at, "2026-03-01T10:02:00.000Z");
      assert.equal(report.contract_snapshot.intent.domain, "general");
      const s = await statusOp({}, ctx);
      assert.equal(s.active_run?.run_id, report.run_id);
      await assert.rejects(startRunOp({}, ctx), (e: KeelError) => e.code === "RUN_ALREADY_ACTIVE");
    });
    await t.step("an edited artifact reads stale", async () => {
      const path = `${dir}/.keel/contracts/default/commit_plan.json`;
      const plan = JSON.parse(await Deno.readTextFile(path));
      plan.units[0].summary = "changed";
      await Deno.writeTextFile(path, JSON.stringify(plan));
      const s = await statusOp({}, ctx);
      assert.deepEqual(s.artifacts.map((a) => a.state), ["approved", "approved", "stale"]);
      assert.equal(s.ready, false);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("approveOp refuses with CONTRACT_INVALID and leaves the file untouched", async () => {
  const dir = await _repo();
  try {
    const ctx = _ctx(dir);
    await initOp({}, ctx);
    const path = `${dir}/.keel/contracts/default/commit_plan.json`;
    const plan = JSON.parse(await Deno.readTextFile(path));
    plan.units[0].depends_on = ["u1"];
    const text = JSON.stringify(plan, null, 2);
    await Deno.writeTextFile(path, text);
    await assert.rejects(approveOp({ artifact: "plan", by: "m" }, ctx), (e: KeelError) => {
      assert.equal(e.code, "CONTRACT_INVALID");
      return true;
    });
    assert.equal(await Deno.readTextFile(path), text);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
