import assert from "node:assert/strict";
import { join } from "node:path";
import { doctorOp } from "../core/doctor/mod.ts";
import { fixedClock } from "../core/util/mod.ts";
import {
  crashApprove,
  crashImplement,
  crashMerge,
  crashRecord,
  crashRetro,
  keel,
  prng,
  tornTails,
} from "../scripts/stress.ts";
import { finding, writeRuns } from "./retro_fixtures.ts";
import { tempRepo } from "./helpers.ts";

const TRIALS = 10;
const SEED = Number(Deno.env.get("KEEL_STRESS_SEED") ?? Date.now() >>> 0);

for (const crash of [crashApprove, crashRecord, crashRetro, crashImplement]) {
  Deno.test(`SIGKILL at random moments: ${crash.name} x${TRIALS} leaves the old or the new version (seed ${SEED})`, async () => {
    const tally = await crash(TRIALS, prng(SEED));
    assert.equal(tally.trials, TRIALS);
    assert.equal(tally.newVersion + tally.oldVersion, TRIALS);
    assert.ok(tally.killed <= TRIALS);
  });
}

Deno.test(`SIGKILL at random moments: keel merge x6, then a re-run keeps the baseline and every lane (seed ${SEED})`, async () => {
  // crashMerge checks the baseline, every lane on main, each WP done once, a clean tree.
  const tally = await crashMerge(6, prng(SEED));
  assert.deepEqual([tally.trials, tally.completed], [6, 6]);
  assert.ok(tally.killedBeforeBaseline <= tally.killed);
});

Deno.test("a torn last JSONL line is found at its line and byte offset and hides nothing before it", async (t) => {
  await t.step("500 random cuts inside the last line of a multibyte JSONL text", () => {
    const text = Array.from({ length: 30 }, (_, i) =>
      JSON.stringify({ n: i, s: "é漢💥".repeat(i % 4) }))
      .join("\n") + "\n";
    const tally = tornTails(text, 500, prng(SEED));
    assert.equal(tally.detected + tally.clean, 500);
    assert.ok(tally.detected > 0);
  });

  await t.step("keel lessons and keel doctor report it; doctor --fix moves it aside", async () => {
    const repo = await tempRepo();
    try {
      await writeRuns(repo, [{
        minute: 0,
        domain: "ui",
        findings: [finding("F1", "TEST_UNPLANNED"), finding("F2", "PLAN_COMMIT_UNPLANNED")],
      }]);
      assert.equal((await keel(repo, ["retro"])).code, 0);
      const path = join(repo, ".keel", "lessons.jsonl");
      const whole = await Deno.readFile(path);
      // Cut the last record in the middle of its bytes (a write cut short).
      const lastStart = whole.subarray(0, whole.length - 1).lastIndexOf(0x0a) + 1;
      const cut = lastStart + Math.floor((whole.length - lastStart) / 2);
      await Deno.writeFile(path, whole.subarray(0, cut));
      const lessons = await keel(repo, ["lessons", "--json"]);
      assert.equal(lessons.code, 0);
      const doc = JSON.parse(lessons.stdout);
      assert.equal(doc.lessons.length, 1, "the line before the torn one is still read");
      assert.deepEqual(
        doc.problems.map((p: { code: string; line: number }) => [p.code, p.line]),
        [["JSONL_TORN_TAIL", 2]],
      );
      const ctx = {
        cwd: repo,
        clock: fixedClock("2026-05-06T07:08:09Z"),
        env: {},
        gitBackend: "cli" as const,
      };
      const found = await doctorOp({}, ctx);
      const torn = found.problems.filter((p) => p.code === "JSONL_TORN_TAIL");
      assert.deepEqual(
        torn.map((p) => [p.path, p.evidence.line, p.evidence.offset, p.evidence.bytes]),
        [
          [".keel/lessons.jsonl", 2, lastStart, cut - lastStart],
        ],
      );
      const fixed = await doctorOp({ fix: true }, ctx);
      assert.equal(fixed.ok, true);
      assert.deepEqual(await Deno.readFile(path), whole.subarray(0, lastStart));
      assert.deepEqual(
        await Deno.readFile(`${path}.torn-20260506T070809Z`),
        whole.subarray(lastStart, cut),
      );
      // The next retro appends the lost lesson again as a whole line.
      assert.equal((await keel(repo, ["retro"])).code, 0);
      const after = await keel(repo, ["lessons", "--json"]);
      assert.equal(JSON.parse(after.stdout).lessons.length, 2);
      assert.deepEqual(JSON.parse(after.stdout).problems, []);
    } finally {
      await Deno.remove(repo, { recursive: true });
    }
  });
});
