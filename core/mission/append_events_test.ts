import assert from "node:assert/strict";
import { join } from "node:path";
import { fixedClock } from "../util/mod.ts";
import {
  appendEvents,
  type EventLogTarget,
  planAppend,
  readLockedEventLog,
  undoAppend,
  writeAppend,
} from "./append_events.ts";
import { transitionEvent, writeMission } from "../../testing/mission.ts";
import { keelFailure } from "../../testing/keel_failure.ts";

const SLUG = "w-01KTWRITA";

async function target(): Promise<EventLogTarget & { log: string }> {
  const repoRoot = await Deno.makeTempDir({ prefix: "onewriter-append-" });
  const dir = await writeMission(repoRoot, {
    slug: SLUG,
    missionId: "01KTWRITAAAAAAAAAAAAAAAAAA",
    wps: [{ id: "WP01" }, { id: "WP02" }],
  });
  return {
    slug: SLUG,
    dir,
    repoRelDir: `kitty-specs/${SLUG}`,
    repoRoot,
    log: join(dir, "status.events.jsonl"),
  };
}

const AT = "2026-01-01T00:10:00.000000+00:00";

Deno.test("appendEvents: whole lines in spec-kitty's serialisation, under the mission lock", async () => {
  const t = await target();
  try {
    const before = await Deno.readTextFile(t.log);
    const { records, after } = await appendEvents(t, (snap, next) => {
      assert.equal(snap.work_packages.WP01!.lane, "planned");
      const s = next();
      return [{
        event: transitionEvent("WP01", "planned", "claimed", s.at, s.event_id, { actor: "é" }),
        record: s.event_id,
      }];
    }, { clock: fixedClock("2026-11-01T10:00:00Z", 1000) });
    assert.equal(after.work_packages.WP01!.lane, "claimed");
    const text = await Deno.readTextFile(t.log);
    assert.ok(text.startsWith(before));
    const line = text.slice(before.length);
    assert.match(line, /^\{"actor": "\\u00e9", "at": "2026-11-01T10:00:00\.000000\+00:00", /);
    assert.ok(line.includes(`"event_id": "${records[0]}"`));
    assert.ok(line.endsWith("}\n") && line.indexOf("\n") === line.length - 1);
    assert.ok((await Deno.stat(join(t.repoRoot, ".keel", "locks", `mission-${SLUG}.lock`))).isFile);
  } finally {
    await Deno.remove(t.repoRoot, { recursive: true });
  }
});

Deno.test("planAppend: a separator when the log ends without a newline; undoAppend restores it", async () => {
  const t = await target();
  try {
    const original = (await Deno.readTextFile(t.log)).replace(/\n$/, "");
    await Deno.writeTextFile(t.log, original);
    const p = planAppend(await readLockedEventLog(t), [
      transitionEvent("WP02", "planned", "claimed", AT, "01KTWRITZZZZZZZZZZZZZZZZZ1", {
        actor: "a",
      }),
    ]);
    assert.ok(p.body.startsWith("\n{"));
    await writeAppend(p);
    assert.equal(await Deno.readTextFile(t.log), original + p.body);
    await undoAppend(p);
    assert.equal(await Deno.readTextFile(t.log), original);
  } finally {
    await Deno.remove(t.repoRoot, { recursive: true });
  }
});

Deno.test("planAppend: STATE_CHANGED when the log holds later events for the WP", async () => {
  const t = await target();
  try {
    const late = transitionEvent("WP01", "planned", "blocked", "2099-01-01T00:00:00+00:00", "L1", {
      actor: "x",
    });
    await Deno.writeTextFile(t.log, JSON.stringify(late) + "\n", { append: true });
    const log = await readLockedEventLog(t);
    const e = await keelFailure(
      Promise.resolve().then(() =>
        planAppend(log, [transitionEvent("WP01", "planned", "claimed", AT, "E1", { actor: "a" })])
      ),
    );
    assert.equal(e.code, "STATE_CHANGED");
    assert.deepEqual(e.data, { path: `kitty-specs/${SLUG}/status.events.jsonl` });
  } finally {
    await Deno.remove(t.repoRoot, { recursive: true });
  }
});

Deno.test("the writer refuses a half-written tail under the lock and a symlinked log", async () => {
  const t = await target();
  try {
    await Deno.writeTextFile(t.log, '{"wp_id": "WP0', { append: true });
    const build = () => [];
    const e = await keelFailure(
      appendEvents(t, build, { clock: fixedClock("2026-11-01T10:00:00Z") }),
    );
    assert.equal(e.code, "EVENT_LOG_CORRUPT");
    await Deno.rename(t.log, join(t.dir, "real.jsonl"));
    await Deno.symlink(join(t.dir, "real.jsonl"), t.log);
    const s = await keelFailure(
      appendEvents(t, build, { clock: fixedClock("2026-11-01T10:00:00Z") }),
    );
    assert.equal(s.code, "PATH_SYMLINK_REFUSED");
  } finally {
    await Deno.remove(t.repoRoot, { recursive: true });
  }
});
