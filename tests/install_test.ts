/**
 * `deno task install --root DIR` puts a working `keel` in `DIR/bin`: it
 * answers `--version`, `init` and `next` from another repository.
 */

import assert from "node:assert/strict";
import { GIT_ENV } from "./helpers.ts";
import { parityShape, writeShapeMission } from "../testing/mission_shapes.ts";

const CLONE = new URL("..", import.meta.url).pathname;
const MISSION = "workflow-parity-988-989-991-01KRKTT5";

async function sh(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(cmd, { args, cwd, env: { ...GIT_ENV, ...env } }).output();
  const td = new TextDecoder();
  return { code: out.code, stdout: td.decode(out.stdout), stderr: td.decode(out.stderr) };
}

Deno.test({
  name: "deno task install --root puts a keel on PATH that works in another repository",
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "keel-install-root-" });
    const repo = await Deno.makeTempDir({ prefix: "keel-install-repo-" });
    try {
      const inst = await sh(Deno.execPath(), ["task", "install", "--root", root], CLONE);
      assert.equal(inst.code, 0, inst.stderr);
      assert.match(inst.stdout, new RegExp(`installed ${root}/bin/keel`));
      const denoDir = Deno.execPath().slice(0, Deno.execPath().lastIndexOf("/"));
      // Only the install root and Deno itself on PATH: the shim is what answers.
      const env = { PATH: `${root}/bin:${denoDir}:/usr/bin:/bin`, NO_COLOR: "1" };
      const version = await sh("keel", ["--version"], repo, env);
      assert.equal(version.code, 0, version.stderr);
      assert.match(version.stdout, /^keel \d+\.\d+\.\d+ \(/);

      assert.equal((await sh("git", ["init", "-q"], repo)).code, 0);
      const init = await sh("keel", ["init", "--json"], repo, env);
      assert.equal(init.code, 0, init.stderr);
      for (const f of ["intent.json", "test_contract.json", "commit_plan.json"]) {
        assert.ok((await Deno.stat(`${repo}/.keel/contracts/default/${f}`)).isFile, f);
      }

      // A mission in the workflow-parity fixture's shape (its bootstrap, backfilled claim and
      // repair events at equal times, lanes, target branch).
      await writeShapeMission(
        repo,
        parityShape({ slug: MISSION, missionId: "01KRKTT58XC5KR0HF523333R9S" }),
      );
      const next = await sh("keel", ["next", "--mission", MISSION, "--json"], repo, env);
      assert.equal(next.code, 0, next.stderr);
      const doc = JSON.parse(next.stdout);
      assert.equal(doc.mission_slug, MISSION);
      // The same answer as keel from source.
      const source = await sh(
        Deno.execPath(),
        ["run", "-A", `${CLONE}cli/main.ts`, "next", "--mission", MISSION, "--json"],
        repo,
        { NO_COLOR: "1" },
      );
      const { timestamp: _a, ...installed } = doc;
      const { timestamp: _b, ...fromSource } = JSON.parse(source.stdout);
      assert.deepEqual(installed, fromSource);
      assert.equal(installed.wp_id, "WP01");
      assert.equal(installed.wp_workspace_path, `.worktrees/${MISSION}-lane-a`);
    } finally {
      await Deno.remove(root, { recursive: true });
      await Deno.remove(repo, { recursive: true });
    }
  },
});
