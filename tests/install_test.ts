/**
 * `deno task install --root DIR` puts a working `keel` in `DIR/bin`: it
 * answers `--version`, `init` and `next` from another repository.
 */

import assert from "node:assert/strict";
import { FIXTURES, GIT_ENV, HAVE_FIXTURES } from "./helpers.ts";
import { parityShape, writeShapeMission } from "../testing/mission_shapes.ts";

const CLONE = new URL("..", import.meta.url).pathname;
const FIXTURE = "workflow-parity-988-989-991-01KRKTT5";

async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.isDirectory) await copyDir(`${from}/${e.name}`, `${to}/${e.name}`);
    else await Deno.copyFile(`${from}/${e.name}`, `${to}/${e.name}`);
  }
}

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
  ignore: !HAVE_FIXTURES,
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

      await copyDir(`${FIXTURES}${FIXTURE}`, `${repo}/kitty-specs/${FIXTURE}`);
      const next = await sh("keel", ["next", "--mission", FIXTURE, "--json"], repo, env);
      assert.equal(next.code, 0, next.stderr);
      const doc = JSON.parse(next.stdout);
      assert.equal(doc.mission_slug, FIXTURE);
      // The same answer as keel from source.
      const source = await sh(
        Deno.execPath(),
        ["run", "-A", `${CLONE}cli/main.ts`, "next", "--mission", FIXTURE, "--json"],
        repo,
        { NO_COLOR: "1" },
      );
      const { timestamp: _a, ...installed } = doc;
      const { timestamp: _b, ...fromSource } = JSON.parse(source.stdout);
      assert.deepEqual(installed, fromSource);
      assert.equal(typeof installed.wp_id, "string");
    } finally {
      await Deno.remove(root, { recursive: true });
      await Deno.remove(repo, { recursive: true });
    }
  },
});

Deno.test("deno task install --root puts a keel on PATH that answers next on a synthetic mission in another repository", async () => {
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

    const shape = parityShape();
    await writeShapeMission(repo, shape);
    const next = await sh("keel", ["next", "--mission", shape.slug, "--json"], repo, env);
    assert.equal(next.code, 0, next.stderr);
    const doc = JSON.parse(next.stdout);
    assert.equal(doc.mission_slug, shape.slug);
    assert.equal(doc.wp_id, "WP01");
    assert.equal(doc.wp_workspace_path, `.worktrees/${shape.slug}-lane-a`);
    // The same answer as keel from source.
    const source = await sh(
      Deno.execPath(),
      ["run", "-A", `${CLONE}cli/main.ts`, "next", "--mission", shape.slug, "--json"],
      repo,
      { NO_COLOR: "1" },
    );
    const { timestamp: _a, ...installed } = doc;
    const { timestamp: _b, ...fromSource } = JSON.parse(source.stdout);
    assert.deepEqual(installed, fromSource);
  } finally {
    await Deno.remove(root, { recursive: true });
    await Deno.remove(repo, { recursive: true });
  }
});
