/**
 * A half-written final line of `status.events.jsonl` is another process's
 * append in flight for a reader without the mission lock, and a corrupt line
 * for a writer that holds it.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { isKeelError, type KeelError } from "../errors.ts";
import { fixedClock } from "../util/mod.ts";
import { eventLine } from "./event_line.ts";
import { implementOp } from "./implement_op.ts";
import { loadMission } from "./load_mission.ts";
import { reduceEvents } from "./reduce_events.ts";
import { transitionEvent, writeMission } from "../../testing/mission.ts";
import { keelFailure } from "../../testing/keel_failure.ts";

const SLUG = "tail-01KTAILA";
const AT = "2026-01-01T00:10:00.000000+00:00";

/** planned→claimed→in_progress of `wp` by `actor`: two lines, each with its newline. */
function claimLines(wp: string, actor: string): string {
  return [
    transitionEvent(wp, "planned", "claimed", AT, `01KTAIL0ZZZZZZZZZZZZZZZZ${wp.slice(2)}`, {
      actor,
    }),
    transitionEvent(wp, "claimed", "in_progress", AT, `01KTAIL1ZZZZZZZZZZZZZZZZ${wp.slice(2)}`, {
      actor,
    }),
  ].map((e) => eventLine(e) + "\n").join("");
}

async function mission(): Promise<{ root: string; dir: string; log: string }> {
  const root = await Deno.makeTempDir({ prefix: "onewriter-tail-" });
  const dir = await writeMission(root, {
    slug: SLUG,
    missionId: "01KTAILAAAAAAAAAAAAAAAAAAA",
    wps: [{ id: "WP01" }, { id: "WP02" }],
  });
  return { root, dir, log: join(dir, "status.events.jsonl") };
}

Deno.test("a reader without the lock sees an append written in two chunks only once it is whole", async () => {
  const { root, dir, log } = await mission();
  try {
    const append = claimLines("WP01", "early");
    const cut = append.indexOf("\n") + 40; // the first line and part of the second
    await Deno.writeTextFile(log, append.slice(0, cut), { append: true });
    const mid = await loadMission(dir);
    assert.equal(mid.snapshot.work_packages.WP01!.lane, "claimed");
    assert.equal(mid.snapshot.work_packages.WP01!.actor, "early");
    assert.equal(mid.snapshot.work_packages.WP02!.lane, "planned");
    await Deno.writeTextFile(log, append.slice(cut), { append: true });
    const whole = await loadMission(dir);
    assert.equal(whole.snapshot.work_packages.WP01!.lane, "in_progress");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a final line without its newline that parses is an event (spec-kitty's rule)", async () => {
  const { root, dir, log } = await mission();
  try {
    await Deno.writeTextFile(log, claimLines("WP01", "early").replace(/\n$/, ""), {
      append: true,
    });
    const m = await loadMission(dir);
    assert.equal(m.snapshot.work_packages.WP01!.lane, "in_progress");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a bad line that is not the unterminated tail is corrupt for every reader", async () => {
  const { root, dir, log } = await mission();
  try {
    const text = await Deno.readTextFile(log);
    await Deno.writeTextFile(log, '{"wp_id": \n' + text);
    const e = await keelFailure(loadMission(dir));
    assert.equal(e.code, "EVENT_LOG_CORRUPT");
    assert.equal((e.data as { line: number }).line, 1);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("strict (the default) refuses a torn tail; in_flight leaves it out", () => {
  const whole = claimLines("WP01", "early");
  const torn = whole.slice(0, whole.length - 30);
  const e = (() => {
    try {
      reduceEvents(torn, { path: "x.jsonl" });
    } catch (error) {
      return error as KeelError;
    }
    throw new Error("expected EVENT_LOG_CORRUPT");
  })();
  assert.equal(e.code, "EVENT_LOG_CORRUPT");
  assert.deepEqual(e.data, {
    path: "x.jsonl",
    line: 2,
    reason: (e.data as { reason: string }).reason,
  });
  assert.equal(reduceEvents(torn, { tail: "in_flight" }).work_packages.WP01!.lane, "claimed");
});

Deno.test("implement under the lock refuses a torn tail left by a crash and writes nothing", async () => {
  const { root, log } = await mission();
  try {
    const append = claimLines("WP01", "early");
    await Deno.writeTextFile(log, append.slice(0, append.length - 30), { append: true });
    const before = await Deno.readTextFile(log);
    const e = await keelFailure(
      implementOp(
        { mission: SLUG, agent: "late", workspace: false },
        { cwd: root, clock: fixedClock("2026-11-01T10:00:00Z", 1000), env: {}, gitBackend: "auto" },
      ),
    );
    assert.equal(e.code, "EVENT_LOG_CORRUPT");
    assert.equal(await Deno.readTextFile(log), before);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("syncLog reads the event log like the asynchronous read: same snapshot, a half line left out, a symlinked log refused", async () => {
  const { root, dir, log } = await mission();
  try {
    await Deno.writeTextFile(log, claimLines("WP01", "alice") + '{"half":');
    const a = await loadMission(dir, { read: "light" });
    const b = await loadMission(dir, { read: "light", syncLog: true });
    assert.deepEqual(b.snapshot, a.snapshot);
    assert.equal(b.eventLogPresent, true);
    assert.equal(b.snapshot.work_packages.WP01?.lane, "in_progress");
    assert.equal(b.snapshot.event_count, 2);
    await Deno.rename(log, join(root, "elsewhere.jsonl"));
    await Deno.symlink(join(root, "elsewhere.jsonl"), log);
    for (const syncLog of [false, true]) {
      await assert.rejects(
        loadMission(dir, { read: "light", syncLog }),
        (e: unknown) => isKeelError(e) && (e as KeelError).code === "PATH_SYMLINK_REFUSED",
      );
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
