import assert from "node:assert/strict";
import { gitRun } from "../../testing/git.ts";
import { runGit } from "../git/mod.ts";
import { defaultBranch, metaTarget, resolveMergeTarget } from "./merge_target.ts";

const ENV = {
  GIT_AUTHOR_NAME: "T",
  GIT_AUTHOR_EMAIL: "t@example.invalid",
  GIT_COMMITTER_NAME: "T",
  GIT_COMMITTER_EMAIL: "t@example.invalid",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
};

async function git(cwd: string, ...args: string[]): Promise<void> {
  const out = await gitRun(cwd, args, { env: ENV });
  if (!out.success) throw new Error(out.stderr);
}

async function repo(initial: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "merge-target-" });
  await git(dir, "init", "-q", "-b", initial);
  await git(dir, "commit", "-q", "--allow-empty", "-m", "initial");
  return dir;
}

Deno.test("defaultBranch() follows spec-kitty's resolve_primary_branch order", async (t) => {
  const dir = await repo("trunk");
  try {
    await t.step("the checked-out branch when origin/HEAD is not set", async () => {
      assert.equal(await defaultBranch(runGit, dir), "trunk");
    });
    await t.step("detached: the first of main, master, develop that exists", async () => {
      await git(dir, "branch", "develop");
      await git(dir, "branch", "master");
      await git(dir, "switch", "-q", "--detach");
      assert.equal(await defaultBranch(runGit, dir), "master");
      await git(dir, "branch", "main");
      assert.equal(await defaultBranch(runGit, dir), "main");
    });
    await t.step("origin/HEAD wins, with its whole name", async () => {
      await git(dir, "update-ref", "refs/remotes/origin/release/v2", "HEAD");
      await git(dir, "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/release/v2");
      assert.equal(await defaultBranch(runGit, dir), "release/v2");
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  await t.step("detached with none of the common names: main", async () => {
    const bare = await repo("work");
    try {
      await git(bare, "switch", "-q", "--detach");
      assert.equal(await defaultBranch(runGit, bare), "main");
    } finally {
      await Deno.remove(bare, { recursive: true });
    }
  });
});

Deno.test("resolveMergeTarget() takes --target, then merge_target_branch, target_branch, default", async () => {
  const dir = await repo("trunk");
  try {
    const opts = { metaPath: "kitty-specs/x/meta.json", git: runGit, root: dir };
    const both = { merge_target_branch: "pr/a", target_branch: "main" };
    assert.deepEqual(await resolveMergeTarget(both, { ...opts, explicit: "dev" }), {
      branch: "dev",
      source: "flag",
    });
    assert.deepEqual(await resolveMergeTarget(both, opts), {
      branch: "pr/a",
      source: "meta.json merge_target_branch",
    });
    assert.deepEqual(
      await resolveMergeTarget({ merge_target_branch: "", target_branch: "m" }, opts),
      {
        branch: "m",
        source: "meta.json target_branch",
      },
    );
    assert.deepEqual(await resolveMergeTarget({ target_branch: null }, opts), {
      branch: "trunk",
      source: "default_branch",
    });
    await assert.rejects(
      resolveMergeTarget({}, { ...opts, explicit: "a..b" }),
      (e: { code?: string }) => e.code === "USAGE",
    );
    await assert.rejects(
      resolveMergeTarget({ target_branch: "bad name" }, opts),
      (e: { code?: string }) => e.code === "MISSION_META_INVALID",
    );
    assert.throws(
      () => metaTarget({ target_branch: 3 }, "m.json"),
      (e: { code?: string }) => e.code === "MISSION_META_INVALID",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
