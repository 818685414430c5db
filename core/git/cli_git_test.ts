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
