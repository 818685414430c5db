import assert from "node:assert/strict";
import { join } from "node:path";
import { missionLockFile, reduceEvents } from "../core/mission/mod.ts";
import { transitionEvent } from "../testing/mission.ts";
import { eventLine } from "../core/mission/mod.ts";
import { lessonsFromReport, parseLessons } from "../core/retro/mod.ts";
import { RunReport } from "../schemas/run_report.ts";
import {
  contractRepo,
  finish,
  missionRepo,
  raceImplement,
  raceMerge,
  raceRecord,
  raceRetro,
  runRepo,
  spawnKeel,
} from "../scripts/stress.ts";
import { finding, fixtureReport } from "./retro_fixtures.ts";

const ROUNDS = 2;

Deno.test(`20 implement processes on one mission, ${ROUNDS} rounds: no WP claimed twice`, async () => {
  for (let r = 0; r < ROUNDS; r++) {
    const res = await raceImplement(20, 6);
    assert.deepEqual(res, { processes: 20, succeeded: 6, refused: 14, records: 6 });
  }
});

Deno.test(`two merges of one mission at once, ${ROUNDS} rounds: one merges, the other is refused`, async () => {
  for (let r = 0; r < ROUNDS; r++) {
    // raceMerge checks that every WP recorded done has its lane on main and the tree is clean.
    const res = await raceMerge(2, 4);
    assert.deepEqual(
      [res.processes, res.succeeded, res.refused + res.noop, res.records],
      [2, 1, 1, 4],
    );
  }
});

Deno.test(`20 run record/exec processes on one run, ${ROUNDS} rounds: no record lost`, async () => {
  for (let r = 0; r < ROUNDS; r++) {
    const res = await raceRecord(20);
    assert.deepEqual(res, { processes: 20, succeeded: 20, refused: 0, records: 20 });
  }
});

Deno.test(`20 retro processes on one run, ${ROUNDS} rounds: no lesson appended twice`, async () => {
  for (let r = 0; r < ROUNDS; r++) {
    const res = await raceRetro(20, 4);
    assert.equal(res.records, 4);
    assert.ok(res.succeeded >= 1 && res.succeeded <= 4);
  }
});

/**
 * Wait until process `pid` has the lock file open (it is then waiting for the
 * lock, having done everything it does before taking it). Linux /proc.
 */
async function waitingOn(pid: number, lockPath: string): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    try {
      for (const e of Deno.readDirSync(`/proc/${pid}/fd`)) {
        try {
          if (Deno.readLinkSync(`/proc/${pid}/fd/${e.name}`) === lockPath) return;
        } catch {
          // fd closed meanwhile
        }
      }
    } catch {
      throw new Error(`process ${pid} exited before opening ${lockPath}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`process ${pid} never opened ${lockPath}`);
}

/**
 * Hold `lockPath`, start keel with `args`, wait until it waits on the lock,
 * run `meanwhile` (a change a concurrent writer makes), release, and return
 * keel's result: a command that read before the lock would act on stale state.
 */
async function underHeldLock(
  cwd: string,
  lockPath: string,
  args: string[],
  meanwhile: () => Promise<void>,
): Promise<{ code: number; json: Record<string, unknown> }> {
  await Deno.mkdir(join(lockPath, ".."), { recursive: true });
  const held = await Deno.open(lockPath, { read: true, write: true, create: true });
  let child;
  try {
    await held.lock(true);
    const dash = args.indexOf("--");
    const withJson = dash < 0
      ? [...args, "--json"]
      : [...args.slice(0, dash), "--json", ...args.slice(dash)];
    child = spawnKeel(cwd, withJson);
    await waitingOn(child.pid, lockPath);
    await meanwhile();
  } finally {
    await held.unlock();
    held.close();
  }
  const r = await finish(child);
  return { code: r.code, json: JSON.parse(r.stdout) };
}

Deno.test({
  name: "each writer takes the right lock and re-reads under it",
  ignore: Deno.build.os !== "linux",
  fn: async (t) => {
    await t.step(
      "implement: the mission lock; a WP claimed meanwhile is not claimed again",
      async () => {
        const { repo, dir } = await missionRepo(2);
        try {
          const log = join(dir, "status.events.jsonl");
          const r = await underHeldLock(
            repo,
            join(repo, ".keel", "locks", "mission-race-01KTESTA.lock"),
            ["implement", "--no-workspace", "--mission", "race-01KTESTA", "--agent", "late"],
            async () => {
              const at = "2026-01-01T00:10:00.000000+00:00";
              await Deno.writeTextFile(
                log,
                eventLine(
                  transitionEvent("WP01", "planned", "claimed", at, "01KTESTZZZZZZZZZZZZZZZZZZ1", {
                    actor: "early",
                  }),
                ) + "\n" +
                  eventLine(
                    transitionEvent(
                      "WP01",
                      "claimed",
                      "in_progress",
                      at,
                      "01KTESTZZZZZZZZZZZZZZZZZZ2",
                      {
                        actor: "early",
                      },
                    ),
                  ) + "\n",
                { append: true },
              );
            },
          );
          assert.equal(r.code, 0, JSON.stringify(r.json));
          assert.equal(r.json.wp_id, "WP02");
          const snap = reduceEvents(await Deno.readTextFile(log));
          assert.equal(snap.work_packages.WP01!.actor, "early");
          assert.equal(snap.work_packages.WP02!.actor, "late");
        } finally {
          await Deno.remove(repo, { recursive: true });
        }
      },
    );

    await t.step("review and merge append events under the same mission lock as implement", () => {
      assert.equal(
        missionLockFile({ repoRoot: "/r", slug: "race-01KTESTA" }),
        "/r/.keel/locks/mission-race-01KTESTA.lock",
      );
    });

    await t.step("run record: the run's lock; a record written meanwhile is kept", async () => {
      const { repo, runId } = await runRepo();
      try {
        const path = join(repo, ".keel", "runs", runId, "run_report.json");
        const r = await underHeldLock(
          repo,
          join(repo, ".keel", "runs", runId, ".lock"),
          ["run", "record", "late", "--status", "failed"],
          async () => {
            const report = RunReport.parse(JSON.parse(await Deno.readTextFile(path)));
            report.tests.push(
              {
                test_id: "early",
                planned: false,
                status: "passed",
                source: "record",
                at: "2026-01-01T00:00:00.000Z",
                note: null,
                batch: "01KTESTZZZZZZZZZZZZZZZZZZ3",
              } as RunReport["tests"][number],
            );
            await Deno.writeTextFile(path, JSON.stringify(report, null, 2) + "\n");
          },
        );
        assert.equal(r.code, 0, JSON.stringify(r.json));
        const after = RunReport.parse(JSON.parse(await Deno.readTextFile(path)));
        assert.deepEqual(after.tests.map((x) => [x.test_id, x.status]), [
          ["early", "passed"],
          ["late", "failed"],
        ]);
      } finally {
        await Deno.remove(repo, { recursive: true });
      }
    });

    await t.step("run exec: the evidence file and the record, under the run's lock", async () => {
      const { repo, runId } = await runRepo();
      try {
        const r = await underHeldLock(
          repo,
          join(repo, ".keel", "runs", runId, ".lock"),
          ["run", "exec", "unit", "--", "sh", "-c", "echo evidence-line"],
          () => Promise.resolve(),
        );
        assert.equal(r.code, 0, JSON.stringify(r.json));
        const rec = (r.json as { record: { evidence: string; status: string } }).record;
        assert.equal(rec.status, "passed");
        const ev = await Deno.readTextFile(join(repo, ".keel", "runs", runId, rec.evidence));
        assert.match(ev, /evidence-line/);
      } finally {
        await Deno.remove(repo, { recursive: true });
      }
    });

    await t.step(
      "retro: the lessons lock; lessons appended meanwhile are not appended again",
      async () => {
        const repo = await Deno.makeTempDir({ prefix: "keel-lock-retro-" });
        try {
          await Deno.mkdir(join(repo, ".git"));
          const report = fixtureReport({
            minute: 0,
            domain: "ui",
            findings: [finding("F1", "TEST_UNPLANNED"), finding("F2", "PLAN_COMMIT_UNPLANNED")],
          });
          const runDir = join(repo, ".keel", "runs", report.run_id);
          await Deno.mkdir(runDir, { recursive: true });
          await Deno.writeTextFile(join(runDir, "run_report.json"), JSON.stringify(report));
          const lessons = join(repo, ".keel", "lessons.jsonl");
          const r = await underHeldLock(repo, `${lessons}.lock`, ["retro"], async () => {
            const recs = await lessonsFromReport(report, {
              recordedAt: "2026-01-01T01:00:00.000Z",
            });
            await Deno.writeTextFile(lessons, recs.map((x) => JSON.stringify(x) + "\n").join(""));
          });
          assert.equal(r.code, 0, JSON.stringify(r.json));
          assert.equal((r.json.lessons as { appended: number }).appended, 0);
          const read = parseLessons(await Deno.readTextFile(lessons), ".keel/lessons.jsonl");
          assert.equal(read.records.length, 2);
        } finally {
          await Deno.remove(repo, { recursive: true });
        }
      },
    );

    await t.step(
      "approve: the contract lock; an edit made meanwhile is what gets approved",
      async () => {
        const repo = await contractRepo();
        try {
          const intent = join(repo, ".keel", "contracts", "default", "intent.json");
          const r = await underHeldLock(
            repo,
            join(repo, ".keel", "locks", "contract-default.lock"),
            ["approve", "intent", "--by", "ann"],
            async () => {
              const v = JSON.parse(await Deno.readTextFile(intent));
              v.goal = "Edited while approve waited";
              await Deno.writeTextFile(intent, JSON.stringify(v, null, 2) + "\n");
            },
          );
          assert.equal(r.code, 0, JSON.stringify(r.json));
          const v = JSON.parse(await Deno.readTextFile(intent));
          assert.equal(v.goal, "Edited while approve waited");
          assert.equal(v.approval.state, "approved");
          const status = await finish(spawnKeel(repo, ["status", "--json"]));
          const intentState =
            (JSON.parse(status.stdout).artifacts as { artifact: string; state: string }[])
              .find((a) => a.artifact === "intent");
          assert.equal(intentState?.state, "approved");
        } finally {
          await Deno.remove(repo, { recursive: true });
        }
      },
    );
  },
});

Deno.test({
  name: "implement racing an append written in two chunks: the half line is in flight, not corrupt",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const { repo, dir } = await missionRepo(2);
    try {
      const log = join(dir, "status.events.jsonl");
      const at = "2026-01-01T00:10:00.000000+00:00";
      const append = [
        transitionEvent("WP01", "planned", "claimed", at, "01KTESTZZZZZZZZZZZZZZZZZZ1", {
          actor: "early",
        }),
        transitionEvent("WP01", "claimed", "in_progress", at, "01KTESTZZZZZZZZZZZZZZZZZZ2", {
          actor: "early",
        }),
      ].map((e) => eventLine(e) + "\n").join("");
      const cut = append.indexOf("\n") + 40;
      // The first chunk is on disk when keel reads the log without the lock.
      await Deno.writeTextFile(log, append.slice(0, cut), { append: true });
      const r = await underHeldLock(
        repo,
        join(repo, ".keel", "locks", "mission-race-01KTESTA.lock"),
        ["implement", "--no-workspace", "--mission", "race-01KTESTA", "--agent", "late"],
        async () => {
          await Deno.writeTextFile(log, append.slice(cut), { append: true });
        },
      );
      assert.equal(r.code, 0, JSON.stringify(r.json));
      assert.equal(r.json.wp_id, "WP02");
      const snap = reduceEvents(await Deno.readTextFile(log));
      assert.deepEqual(
        [snap.work_packages.WP01!.lane, snap.work_packages.WP01!.actor],
        ["in_progress", "early"],
      );
      assert.equal(snap.work_packages.WP02!.actor, "late");
    } finally {
      await Deno.remove(repo, { recursive: true });
    }
  },
});
