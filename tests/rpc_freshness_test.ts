import assert from "node:assert/strict";
import { createRpcClient, unixDuplex } from "../rpc/mod.ts";
import { git, GIT_ENV, keelJson, tempRepo } from "./helpers.ts";
import { writeMission } from "../testing/mission.ts";

const MAIN = new URL("../cli/main.ts", import.meta.url).pathname;
const MISSION = "workflow-parity-988-989-991-01KRKTT5";
const MISSION_ID = "01KRKTT58XC5KR0HF523333R9S";

function _claim(wp: string, eventId: string): string {
  return JSON.stringify({
    actor: "other-agent",
    at: "2026-05-15T10:00:00.000000+00:00",
    event_id: eventId,
    evidence: null,
    execution_mode: "worktree",
    force: false,
    from_lane: "planned",
    mission_id: MISSION_ID,
    mission_slug: MISSION,
    policy_metadata: { agent: "other-agent" },
    reason: null,
    review_ref: null,
    review_result: null,
    to_lane: "claimed",
    wp_id: wp,
  }) + "\n";
}

async function _appendFromAnotherProcess(path: string, line: string): Promise<void> {
  const child = new Deno.Command("sh", {
    args: ["-c", 'cat >> "$1"', "sh", path],
    stdin: "piped",
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(line));
  await w.close();
  assert.equal((await child.status).code, 0);
}

function _withoutTime(v: Record<string, unknown>): Record<string, unknown> {
  const { timestamp: _t, ...rest } = v;
  return rest;
}

Deno.test({
  name: "freshness: mission/next reflects an event appended by another process",
  fn: async (t) => {
    const repo = await tempRepo();
    const dir = await Deno.makeTempDir({ prefix: "keel-fresh-" });
    const path = `${dir}/k.sock`;
    // Three WPs in one lane each, WP02 after WP01, all planned (written by the test).
    await writeMission(repo, {
      slug: MISSION,
      missionId: MISSION_ID,
      wps: [{ id: "WP01" }, { id: "WP02", deps: ["WP01"] }, { id: "WP03" }],
    });
    await git(repo, "add", "-A");
    await git(repo, "commit", "-qm", "mission");
    const log = `${repo}/kitty-specs/${MISSION}/status.events.jsonl`;
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", MAIN, "serve", "--socket", path, "--repo", repo],
      env: { ...GIT_ENV, NO_COLOR: "1" },
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    let conn: Deno.UnixConn | null = null;
    try {
      while (conn === null) {
        try {
          conn = await Deno.connect({ transport: "unix", path });
        } catch {
          await new Promise((r) => setTimeout(r, 10));
        }
      }
      const client = createRpcClient(unixDuplex(conn));
      const next = async () => {
        const r = await client.call("mission/next", { mission: MISSION });
        assert.ok("result" in r, JSON.stringify(r));
        return r.result as Record<string, unknown> & { wp_id: string | null };
      };
      await t.step("before: WP01 (warm the server twice)", async () => {
        assert.equal((await next()).wp_id, "WP01");
        assert.equal((await next()).wp_id, "WP01");
      });
      await t.step(
        "after another process claims WP01, the server agrees with a fresh CLI",
        async () => {
          await _appendFromAnotherProcess(log, _claim("WP01", "01KZZZZZZZZZZZZZZZZZZZZZZ1"));
          const served = await next();
          const cli = await keelJson(repo, ["next", "--mission", MISSION]);
          assert.notEqual(served.wp_id, "WP01");
          assert.deepEqual(_withoutTime(served), _withoutTime(cli.json));
        },
      );
      await t.step("a second append right after the first is seen too", async () => {
        const before = await next();
        await _appendFromAnotherProcess(
          log,
          _claim(before.wp_id ?? "WP02", "01KZZZZZZZZZZZZZZZZZZZZZZ2"),
        );
        const served = await next();
        const cli = await keelJson(repo, ["next", "--mission", MISSION]);
        assert.deepEqual(_withoutTime(served), _withoutTime(cli.json));
        assert.notDeepEqual(_withoutTime(served), _withoutTime(before));
      });
    } finally {
      conn?.close();
      child.kill("SIGTERM");
      await child.status;
      await Deno.remove(dir, { recursive: true });
      await Deno.remove(repo, { recursive: true });
    }
  },
});
