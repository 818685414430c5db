import assert from "node:assert/strict";
import { gitRun } from "../../testing/git.ts";
import { openGit } from "./open_git.ts";
import { baseIsAncestor } from "./range_ancestry.ts";
import type { GitBackend } from "./types.ts";

const ENV = {
  GIT_AUTHOR_NAME: "T",
  GIT_AUTHOR_EMAIL: "t@example.invalid",
  GIT_COMMITTER_NAME: "T",
  GIT_COMMITTER_EMAIL: "t@example.invalid",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
};

async function sh(cwd: string, ...args: string[]): Promise<string> {
  const out = await gitRun(cwd, args, { env: ENV });
  if (out.code !== 0) throw new Error(`git ${args.join(" ")}: ${out.stderr}`);
  return out.stdout.trim();
}

Deno.test("baseIsAncestor() agrees with git merge-base --is-ancestor on every pair of a DAG with merges", async () => {
  const dir = await Deno.makeTempDir({ prefix: "keel-ancestry-" });
  try {
    const commit = async (name: string) => {
      await Deno.writeTextFile(`${dir}/${name}.txt`, `${name}\n`);
      await sh(dir, "add", `${name}.txt`);
      await sh(dir, "commit", "-qm", name);
      return await sh(dir, "rev-parse", "HEAD");
    };
    await sh(dir, "init", "-q", "-b", "main");
    const shas = [await commit("a"), await commit("b")];
    await sh(dir, "checkout", "-q", "-b", "side");
    shas.push(await commit("s1"), await commit("s2"));
    await sh(dir, "checkout", "-q", "main");
    shas.push(await commit("c"));
    await sh(dir, "merge", "-q", "--no-ff", "-m", "merge side", "side");
    shas.push(await sh(dir, "rev-parse", "HEAD"));
    shas.push(await commit("d"));
    await sh(dir, "checkout", "-q", "side");
    shas.push(await commit("s3"));
    // An unrelated root: nothing is its ancestor but itself.
    await sh(dir, "checkout", "-q", "--orphan", "other");
    shas.push(await commit("o"));
    for (const backend of ["cli", "isomorphic"] as GitBackend[]) {
      const port = await openGit(dir, { backend });
      let yes = 0;
      for (const base of shas) {
        for (const head of shas) {
          const expected = await port.isAncestor(base, head);
          const got = baseIsAncestor(base, head, await port.commitsInRange(base, head));
          assert.equal(got, expected, `${backend}: ${base.slice(0, 7)} → ${head.slice(0, 7)}`);
          if (expected) yes++;
        }
      }
      // Both answers occur: 9 commits, each its own ancestor, and 23 strict ancestries
      // (a: 7, b: 6, s1: 4, s2: 3, c: 2, the merge: 1).
      assert.equal(yes, 9 + 23, backend);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
