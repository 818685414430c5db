import assert from "node:assert/strict";
import { keel, keelJson, readJson, tempRepo } from "../tests/helpers.ts";
import { copyMission } from "./fixtures.ts";
import type { CommitPlan, Intent } from "../schemas/mod.ts";

const SLUG = "workflow-parity-988-989-991-01KRKTT5";

async function _repoWithFixture(): Promise<string> {
  const repo = await tempRepo();
  await copyMission(SLUG, repo);
  return repo;
}

Deno.test({
  name: "init --from-wp drafts a contract from a real work package (lane scope, subtasks, source)",
  async fn() {
    const repo = await _repoWithFixture();
    try {
      const r = await keelJson(repo, ["init", "--from-wp", `${SLUG}:wp02`]);
      assert.equal(r.code, 0, JSON.stringify(r.json));
      const name = `${SLUG.toLowerCase()}-wp02`;
      assert.equal(r.json.contract, name);
      const dir = `${repo}/.keel/contracts/${name}`;
      const intent = await readJson<Intent>(`${dir}/intent.json`);
      assert.deepEqual(intent.source, { mission: SLUG, wp_id: "WP02" });
      const lanes = await readJson<{ lanes: { wp_ids: string[]; write_scope: string[] }[] }>(
        `${repo}/kitty-specs/${SLUG}/lanes.json`,
      );
      const lane = lanes.lanes.find((l) => l.wp_ids.includes("WP02"))!;
      assert.deepEqual(intent.allowed_files, lane.write_scope);
      assert.ok(intent.allowed_files.length > 0);
      assert.match(intent.goal, /^WP02: /);
      const plan = await readJson<CommitPlan>(`${dir}/commit_plan.json`);
      const wpText = [...Deno.readDirSync(`${repo}/kitty-specs/${SLUG}/tasks`)]
        .find((e) => e.name.startsWith("WP02"))!.name;
      const fm = await Deno.readTextFile(`${repo}/kitty-specs/${SLUG}/tasks/${wpText}`);
      const subtasks = [...fm.matchAll(/^- (T\d+)$/gm)].map((m) => m[1]);
      assert.deepEqual(plan.units.map((u) => u.id), subtasks);
      assert.ok(plan.units.every((u) => !u.summary.startsWith("T0")), "summaries from headings");
      const v = await keelJson(repo, ["validate", "--contract", name]);
      assert.equal(v.code, 0);
      assert.equal(v.json.ok, true);
      // The tests come from WP02's Definition of Done, which names its runner commands.
      const tc = await readJson<{ tests: { id: string; command?: string }[] }>(
        `${dir}/test_contract.json`,
      );
      assert.deepEqual(tc.tests.map((t) => [t.id, t.command]), [
        [
          "wp02-tests",
          "uv run pytest tests/specify_cli/cli/commands/review/ tests/specify_cli/cli/commands/test_review.py -q",
        ],
        ["wp02-tests-2", "uv run mypy --strict src/specify_cli/cli/commands/review"],
      ]);
      // No placeholder left: it approves as drafted.
      const a = await keel(repo, ["approve", "all", "--by", "me", "--contract", name]);
      assert.equal(a.code, 0, a.stderr);
    } finally {
      await Deno.remove(repo, { recursive: true });
    }
  },
});

Deno.test({
  name: "init --from-wp refuses unknown WPs and missions, and references that are not MISSION:WP",
  async fn() {
    const repo = await _repoWithFixture();
    try {
      const wp = await keelJson(repo, ["init", "--from-wp", `${SLUG}:WP09`]);
      assert.equal(wp.code, 3);
      assert.equal(wp.json.error?.code, "WP_NOT_FOUND");
      assert.deepEqual(
        (wp.json.error as unknown as { data: { available: string[] } }).data.available,
        ["WP01", "WP02", "WP03"],
      );
      const m = await keelJson(repo, ["init", "--from-wp", "nope:WP01"]);
      assert.equal(m.code, 3);
      assert.equal(m.json.error?.code, "MISSION_NOT_FOUND");
      const bad = await keelJson(repo, ["init", "--from-wp", "WP01"]);
      assert.equal(bad.code, 2);
      assert.equal(bad.json.error?.code, "USAGE");
      assert.equal(
        (await Deno.stat(`${repo}/.keel`).catch(() => null))?.isDirectory ?? false,
        false,
      );
    } finally {
      await Deno.remove(repo, { recursive: true });
    }
  },
});
