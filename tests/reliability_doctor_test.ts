import assert from "node:assert/strict";
import { join } from "node:path";
import { doctorOp, type DoctorProblem, type DoctorResult } from "../core/doctor/mod.ts";
import type { OpContext } from "../core/context.ts";
import { writeMission } from "../testing/mission.ts";
import { retroOp } from "../core/retro/mod.ts";
import { editJson, keelJson, tempRepo } from "./helpers.ts";
import { finding, writeRuns } from "./retro_fixtures.ts";
import { testContext } from "../testing/context.ts";

const MID = "01KTESTAAAAAAAAAAAAAAAAAAA";

const ctxFor = (cwd: string): OpContext =>
  testContext(cwd, { at: "2026-03-04T05:06:07.890Z", stepMs: 0, gitBackend: "cli" });

async function deadPid(): Promise<number> {
  const child = new Deno.Command("true", { stdout: "null", stderr: "null" }).spawn();
  await child.status;
  return child.pid;
}

function only(r: DoctorResult, code: string): DoctorProblem[] {
  return r.problems.filter((p) => p.code === code);
}

/** A repository with one approved contract and a running run, made through the real CLI. */
async function approvedRepo(): Promise<{ repo: string; runId: string }> {
  const repo = await tempRepo();
  assert.equal((await keelJson(repo, ["init"])).code, 0);
  const c = `${repo}/.keel/contracts/default`;
  await editJson(`${c}/intent.json`, (v) => {
    v.goal = "Add the parser";
    v.constraints = [];
  });
  await editJson(`${c}/test_contract.json`, (v) => {
    v.tests = [{ id: "unit", command: "deno test", required: true, gate: "finish" }];
  });
  await editJson(`${c}/commit_plan.json`, (v) => {
    v.units = [{ id: "u1", summary: "parser", files: ["src/**"], tests: ["unit"], depends_on: [] }];
  });
  const a = await keelJson(repo, ["approve", "all", "--by", "me"]);
  assert.equal(a.code, 0, JSON.stringify(a.json));
  const s = await keelJson(repo, ["run", "start"]);
  assert.equal(s.code, 0, JSON.stringify(s.json));
  return { repo, runId: s.json.run_id as string };
}

Deno.test("keel doctor: a clean repository exits 0 with no problem", async () => {
  const { repo } = await approvedRepo();
  try {
    const active = await keelJson(repo, ["doctor"]);
    assert.equal(active.code, 0, "an active run whose starter exited is information");
    assert.deepEqual(
      (active.json.problems as DoctorProblem[]).map((p) => [p.code, p.severity]),
      [["RUN_STARTER_EXITED", "info"]],
    );
    assert.equal((await keelJson(repo, ["run", "finish"])).code, 1);
    const r = await keelJson(repo, ["doctor"]);
    assert.equal(r.code, 0, JSON.stringify(r.json));
    assert.deepEqual(r.json.problems, []);
    assert.equal(r.json.ok, true);
    assert.deepEqual(r.json.checked, { contracts: 1, runs: 1, missions: 0, lock_files: 3 });
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("keel doctor finds, explains and safely fixes on-disk problems", async (t) => {
  const { repo, runId } = await approvedRepo();
  try {
    const ctx = ctxFor(repo);
    const dead = await deadPid();
    // A finished run with findings → real lessons.
    await writeRuns(repo, [{
      minute: 0,
      domain: "ui",
      findings: [finding("F1", "TEST_UNPLANNED")],
    }]);
    await retroOp({}, ctx);
    const lessonsPath = `${repo}/.keel/lessons.jsonl`;
    const goodLessons = await Deno.readTextFile(lessonsPath);
    assert.equal(goodLessons.trimEnd().split("\n").length, 1);
    const torn = '{"schema_version":1,"key":"tor';
    await Deno.writeTextFile(lessonsPath, torn, { append: true });
    // The active run's starter exited.
    await editJson(`${repo}/.keel/runs/${runId}/run_report.json`, (v) => {
      (v.meta as Record<string, unknown>).pid = dead;
      (v.meta as Record<string, unknown>).host = Deno.hostname();
    });
    // A stale approval.
    await editJson(`${repo}/.keel/contracts/default/intent.json`, (v) => {
      v.goal = "Add the parser, and more";
    });
    // A lock left by a dead process, and a leftover temp file.
    await Deno.writeTextFile(`${repo}/.keel/locks/contract-default.lock`, `${dead}\n`);
    await Deno.writeTextFile(
      `${repo}/.keel/contracts/default/.intent.json.${dead}.0a1b2c3d.tmp`,
      '{"goal": "half',
    );
    // Missions: one with a torn log tail and a status.json that disagrees, one corrupt.
    const good = await writeMission(repo, {
      slug: "alpha-01KTESTA",
      missionId: MID,
      wps: [{ id: "WP01" }, { id: "WP02", lane: "in_progress", actor: "a1" }],
    });
    const logBefore = await Deno.readTextFile(`${good}/status.events.jsonl`);
    const tornEvent = '{"actor":"a2","at":"2026-01-02T00:00:00+00:00","event_id":"01KX';
    await Deno.writeTextFile(`${good}/status.events.jsonl`, tornEvent, { append: true });
    await Deno.writeTextFile(
      `${good}/status.json`,
      JSON.stringify({
        event_count: 3,
        last_event_id: "SEED000002B",
        work_packages: { WP01: { lane: "planned" }, WP02: { lane: "for_review" } },
      }),
    );
    const bad = await writeMission(repo, {
      slug: "beta-01KTESTB",
      missionId: "01KTESTBBBBBBBBBBBBBBBBBBB",
      wps: [{ id: "WP01" }],
      extraLines: ['{"not": "an event"}'],
    });
    assert.ok(bad);

    let first: DoctorResult;
    await t.step("each problem has its code, severity, path and fixability", async () => {
      first = await doctorOp({}, ctx);
      assert.equal(first.ok, false);
      const lt = only(first, "JSONL_TORN_TAIL");
      assert.deepEqual(
        lt.map((p) => [p.path, p.severity, p.fixable, p.evidence.line, p.evidence.offset]),
        [
          [".keel/lessons.jsonl", "error", true, 2, new TextEncoder().encode(goodLessons).length],
          [
            "kitty-specs/alpha-01KTESTA/status.events.jsonl",
            "error",
            true,
            4,
            new TextEncoder().encode(logBefore).length,
          ],
        ],
      );
      assert.equal(lt[0]!.evidence.text, torn);
      const st = only(first, "APPROVAL_STALE");
      assert.deepEqual(st.map((p) => [p.path, p.severity, p.fixable, p.evidence.artifact]), [
        [".keel/contracts/default/intent.json", "warning", false, "intent"],
      ]);
      const rs = only(first, "RUN_STARTER_EXITED");
      assert.deepEqual(rs.map((p) => [p.severity, p.evidence.run_id, p.evidence.pid]), [
        ["info", runId, dead],
      ]);
      assert.match(rs[0]!.message, /started by a process that has exited/);
      const lk = only(first, "LOCK_LEFT_BY_DEAD_PROCESS");
      assert.deepEqual(lk.map((p) => [p.path, p.severity, p.evidence.pid, p.evidence.pid_alive]), [
        [".keel/locks/contract-default.lock", "info", dead, false],
      ]);
      const tmp = only(first, "ATOMIC_WRITE_LEFTOVER");
      assert.deepEqual(tmp.map((p) => p.evidence.target), [".keel/contracts/default/intent.json"]);
      const ev = only(first, "EVENT_LOG_CORRUPT");
      assert.deepEqual(ev.map((p) => [p.path, p.evidence.line]), [
        ["kitty-specs/beta-01KTESTB/status.events.jsonl", 2],
      ]);
      const sj = only(first, "STATUS_JSON_DISAGREES");
      assert.deepEqual(sj.map((p) => [p.path, p.fixable]), [
        ["kitty-specs/alpha-01KTESTA/status.json", false],
      ]);
      assert.deepEqual(sj[0]!.evidence.differences, [
        { wp_id: "WP02", status_json_lane: "for_review", log_lane: "in_progress" },
      ]);
      for (const p of first.problems) assert.ok(p.explanation.length > 40, p.code);
    });

    await t.step("the CLI prints the same document and exits 1", async () => {
      const r = await keelJson(repo, ["doctor"]);
      assert.equal(r.code, 1);
      assert.deepEqual(
        (r.json.problems as DoctorProblem[]).map((p) => [p.code, p.path]),
        first!.problems.map((p) => [p.code, p.path]),
      );
    });

    await t.step("--fix moves torn tails to side files and deletes nothing", async () => {
      const fixed = await doctorOp({ fix: true }, ctx);
      const lt = only(fixed, "JSONL_TORN_TAIL");
      assert.deepEqual(lt.map((p) => [p.fixed, p.fix?.side_file]), [
        [true, ".keel/lessons.jsonl.torn-20260304T050607Z"],
        [true, "kitty-specs/alpha-01KTESTA/status.events.jsonl.torn-20260304T050607Z"],
      ]);
      assert.equal(await Deno.readTextFile(lessonsPath), goodLessons);
      assert.equal(await Deno.readTextFile(`${lessonsPath}.torn-20260304T050607Z`), torn);
      assert.equal(await Deno.readTextFile(`${good}/status.events.jsonl`), logBefore);
      assert.equal(
        await Deno.readTextFile(`${good}/status.events.jsonl.torn-20260304T050607Z`),
        tornEvent,
      );
      assert.equal(await Deno.readTextFile(`${repo}/.keel/locks/contract-default.lock`), "");
      assert.equal(only(fixed, "LOCK_LEFT_BY_DEAD_PROCESS")[0]!.fixed, true);
      // Nothing that needs a person was touched.
      assert.equal(only(fixed, "APPROVAL_STALE")[0]!.fixed, false);
      assert.ok(
        (await Deno.readTextFile(`${good}/status.json`)).includes("for_review"),
        "status.json is never rewritten",
      );
      assert.equal(fixed.ok, false);
      assert.equal(fixed.counts.fixed, 3);
    });

    await t.step("after --fix only what needs a person is left", async () => {
      const again = await doctorOp({}, ctx);
      assert.deepEqual([...new Set(again.problems.map((p) => p.code))].sort(), [
        "APPROVAL_STALE",
        "ATOMIC_WRITE_LEFTOVER",
        "EVENT_LOG_CORRUPT",
        "RUN_STARTER_EXITED",
        "STATUS_JSON_DISAGREES",
      ]);
    });

    await t.step("fixing everything a person must fix gives exit 0", async () => {
      await Deno.remove(join(bad, "status.events.jsonl"));
      await Deno.remove(`${good}/status.json`);
      await Deno.remove(`${repo}/.keel/contracts/default/.intent.json.${dead}.0a1b2c3d.tmp`);
      assert.equal((await keelJson(repo, ["approve", "intent", "--by", "me"])).code, 0);
      assert.equal((await keelJson(repo, ["run", "finish"])).code !== 70, true);
      const r = await keelJson(repo, ["doctor"]);
      assert.equal(r.code, 0, JSON.stringify(r.json.problems));
    });
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("keel doctor: a held lock is info; a status.json behind its log is info", async () => {
  const repo = await tempRepo();
  try {
    const dir = await writeMission(repo, {
      slug: "gamma-01KTESTC",
      missionId: MID,
      wps: [{ id: "WP01" }],
    });
    await Deno.writeTextFile(
      `${dir}/status.json`,
      JSON.stringify({
        event_count: 1,
        last_event_id: "SEED000001A",
        materialized_at: "2026-01-01T00:00:01.000000+00:00",
        work_packages: { WP01: { lane: "planned" } },
      }),
    );
    const claim = await keelJson(repo, [
      "implement",
      "--no-workspace",
      "--mission",
      "gamma-01KTESTC",
      "--agent",
      "a",
    ]);
    assert.equal(claim.code, 0, JSON.stringify(claim.json));
    await Deno.mkdir(`${repo}/.keel/locks`, { recursive: true });
    const lockPath = `${repo}/.keel/locks/held.lock`;
    const holder = await Deno.open(lockPath, { read: true, write: true, create: true });
    try {
      await holder.lock(true);
      await holder.write(new TextEncoder().encode(`${Deno.pid}\n`));
      const r = await doctorOp({}, ctxFor(repo));
      assert.deepEqual(r.problems.map((p) => [p.code, p.severity, p.path]), [
        ["STATUS_JSON_BEHIND", "info", "kitty-specs/gamma-01KTESTC/status.json"],
        ["LOCK_HELD", "info", ".keel/locks/held.lock"],
      ]);
      assert.equal(r.ok, true);
    } finally {
      holder.close();
    }
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});
