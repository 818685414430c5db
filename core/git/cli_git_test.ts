import assert from "node:assert/strict";
import { gitRun } from "../../testing/git.ts";
import { cliGit, locateWithCli } from "./cli_git.ts";

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
  if (out.code !== 0) throw new Error(out.stderr);
  return out.stdout.trim();
}

Deno.test("cliGit: a full sha is verified once per port, however many steps resolve it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "keel-cli-git-" });
  try {
    await sh(dir, "init", "-q", "-b", "main");
    await Deno.writeTextFile(`${dir}/a.txt`, "a\n");
    await sh(dir, "add", "a.txt");
    await sh(dir, "commit", "-qm", "a");
    const base = await sh(dir, "rev-parse", "HEAD");
    await Deno.writeTextFile(`${dir}/b.txt`, "b\n");
    await sh(dir, "add", "b.txt");
    await sh(dir, "commit", "-qm", "b");
    const head = await sh(dir, "rev-parse", "HEAD");
    // A git wrapper that logs each invocation's subcommand.
    const log = `${dir}.log`;
    const wrapper = `${dir}.git`;
    await Deno.writeTextFile(
      wrapper,
      `#!/bin/sh\nfor a in "$@"; do case "$a" in -c|--*|*=*) ;; *) echo "$a" >> '${log}'; break;; esac; done\nexec git "$@"\n`,
    );
    await Deno.chmod(wrapper, 0o755);
    const git = cliGit(await locateWithCli(dir), wrapper);
    await Deno.writeTextFile(log, "");
    assert.equal(await git.head(), head);
    const [isAnc, commits, again] = await Promise.all([
      git.isAncestor(base, head),
      git.commitsInRange(base, head),
      git.resolveRef(base),
    ]);
    assert.equal(isAnc, true);
    assert.deepEqual(commits.map((c) => [c.sha, c.files.map((f) => f.path)]), [[head, ["b.txt"]]]);
    assert.equal(again, base);
    const calls = (await Deno.readTextFile(log)).trim().split("\n");
    // HEAD, then the base once; head's sha was verified when HEAD resolved.
    assert.deepEqual(calls.filter((c) => c === "rev-parse").length, 2, calls.join(","));
    assert.deepEqual(calls.filter((c) => c !== "rev-parse").sort(), ["log", "merge-base"]);
    // An unknown sha is looked up again each time (it may be fetched meanwhile).
    const missing = "0".repeat(40);
    assert.equal(await git.resolveRef(missing), null);
    assert.equal(await git.resolveRef(missing), null);
    const after = (await Deno.readTextFile(log)).trim().split("\n");
    assert.equal(after.filter((c) => c === "rev-parse").length, 4);
    await Deno.remove(log);
    await Deno.remove(wrapper);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("locateWithCli: prefetch reads HEAD and checks full shas in the locating process", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "keel-cli-locate-" });
  const empty = await Deno.makeTempDir({ prefix: "keel-cli-empty-" });
  const plain = await Deno.makeTempDir({ prefix: "keel-cli-plain-" });
  const missing = "0123456789abcdef0123456789abcdef01234567";
  try {
    await sh(dir, "init", "-q", "-b", "main");
    await Deno.writeTextFile(`${dir}/a.txt`, "a\n");
    await sh(dir, "add", "a.txt");
    await sh(dir, "commit", "-qm", "a");
    const first = await sh(dir, "rev-parse", "HEAD");
    await Deno.writeTextFile(`${dir}/b.txt`, "b\n");
    await sh(dir, "add", "b.txt");
    await sh(dir, "commit", "-qm", "b");
    const head = await sh(dir, "rev-parse", "HEAD");
    const root = await Deno.realPath(dir);
    await t.step("every sha resolves: HEAD and the commits are returned", async () => {
      const l = await locateWithCli(dir, "git", [first]);
      assert.equal(l.worktreeRoot, root);
      assert.equal(l.head, head);
      assert.deepEqual(l.commits, [first]);
      const port = cliGit(l);
      assert.equal(port.headAtOpen, head);
      assert.equal(await port.head(), head);
      assert.equal(await port.resolveRef(first), first);
    });
    await t.step(
      "rev-parse stops at a sha it cannot resolve: what came before is kept",
      async () => {
        const a = await locateWithCli(dir, "git", [first, missing]);
        assert.equal(a.head, head);
        assert.deepEqual(a.commits, [first]);
        const b = await locateWithCli(dir, "git", [missing, first]);
        assert.equal(b.head, head);
        assert.deepEqual(b.commits, []);
        // The port still answers for what was not prefetched.
        assert.equal(await cliGit(b).resolveRef(first), first);
        assert.equal(await cliGit(b).resolveRef(missing), null);
      },
    );
    await t.step("without prefetch nothing is read in passing", async () => {
      const l = await locateWithCli(dir);
      assert.equal(l.head, undefined);
      assert.equal(cliGit(l).headAtOpen, undefined);
    });
    await t.step("a repository without commits: located, no HEAD", async () => {
      await sh(empty, "init", "-q", "-b", "main");
      const l = await locateWithCli(empty, "git", [first]);
      assert.equal(l.worktreeRoot, await Deno.realPath(empty));
      assert.equal(l.head, undefined);
      assert.equal(await cliGit(l).head(), null);
    });
    await t.step("not a repository: REPO_NOT_FOUND, with or without prefetch", async () => {
      for (const prefetch of [[], [first]]) {
        await assert.rejects(
          locateWithCli(plain, "git", prefetch),
          (e: { code?: string }) => e.code === "REPO_NOT_FOUND",
        );
      }
    });
  } finally {
    for (const d of [dir, empty, plain]) await Deno.remove(d, { recursive: true });
  }
});
