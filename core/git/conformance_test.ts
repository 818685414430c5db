/**
 * One conformance suite for both git adapters: real repositories built with
 * the git CLI, every port method asked of both, and both answers compared
 * with exact expected values.
 */

import assert from "node:assert/strict";
import { gitRun } from "../../testing/git.ts";
import { KeelError } from "../errors.ts";
import { openGit } from "./open_git.ts";
import { commitLookup } from "./commit_exists.ts";
import { gitIdentity } from "./identity.ts";
import type { CommitInfo, FileChange, GitBackend, GitPort } from "./types.ts";

const BACKENDS: GitBackend[] = ["cli", "isomorphic"];

let clock = 0;

/** Run git for building fixtures (never through the adapters). */
async function sh(cwd: string, ...args: string[]): Promise<string> {
  clock++;
  const stamp = `${1767261600 + clock * 60} +0200`;
  const out = await gitRun(cwd, args, {
    env: {
      GIT_AUTHOR_NAME: "Ann Author",
      GIT_AUTHOR_EMAIL: "ann@example.org",
      GIT_COMMITTER_NAME: "Cy Committer",
      GIT_COMMITTER_EMAIL: "cy@example.org",
      GIT_AUTHOR_DATE: stamp,
      GIT_COMMITTER_DATE: stamp,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
    },
  });
  if (out.code !== 0) throw new Error(`git ${args.join(" ")}: ${out.stderr}`);
  return out.stdout.trim();
}

async function write(path: string, text: string): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeTextFile(path, text);
}

/** Ask both adapters, assert they agree and equal `expected`; returns the answer. */
async function both<T>(
  cwd: string,
  ask: (git: GitPort) => Promise<T>,
  expected: T,
): Promise<T> {
  const answers: T[] = [];
  for (const backend of BACKENDS) {
    const git = await openGit(cwd, { backend });
    assert.equal(git.backend, backend);
    answers.push(await ask(git));
  }
  assert.deepStrictEqual(answers[1], answers[0], "cli and isomorphic disagree");
  assert.deepStrictEqual(answers[0], expected);
  return answers[0]!;
}

/** Assert both adapters throw the same KeelError. */
async function bothThrow(
  cwd: string,
  ask: (git: GitPort) => Promise<unknown>,
  code: string,
  data: Record<string, unknown>,
): Promise<void> {
  for (const backend of BACKENDS) {
    const git = await openGit(cwd, { backend });
    await assert.rejects(ask(git), (e: unknown) => {
      assert.ok(e instanceof KeelError, `${backend}: ${String(e)}`);
      assert.equal(e.code, code, backend);
      assert.deepStrictEqual(e.data, data, backend);
      return true;
    });
  }
}

interface Fixture {
  root: string;
  repo: string;
  sha: Record<string, string>;
}

const WEIRD = ["sp ace.txt", 'q"uote.txt', "ünï cödé.txt", "new\nline.txt"];

async function buildMain(root: string): Promise<Fixture> {
  const repo = `${root}/main`;
  await Deno.mkdir(repo);
  const sha: Record<string, string> = {};
  await sh(repo, "init", "-q", "-b", "main");
  await write(`${repo}/a.txt`, "alpha\n");
  await write(`${repo}/dir/b.txt`, "bravo\n");
  await write(`${repo}/keep.txt`, "keep\n");
  await write(`${repo}/x/same.txt`, "same content\n");
  await write(`${repo}/m/one.txt`, "dup\n");
  await write(`${repo}/n/two.txt`, "dup\n");
  await sh(repo, "add", ".");
  await sh(repo, "commit", "-q", "-m", "Initial import");
  sha.c1 = await sh(repo, "rev-parse", "HEAD");
  await sh(repo, "tag", "-a", "v1", "-m", "release 1");

  await write(`${repo}/a.txt`, "alpha two\n");
  await write(
    `${root}/msg.txt`,
    "Change alpha\nacross two lines\n\nWhy it changed.\n\nKeel-Unit: u1\nCo-authored-by: Bo <bo@example.org>\nNote: first\n  continued\nKeel-Unit: u2\n",
  );
  await sh(repo, "commit", "-q", "-a", "-F", `${root}/msg.txt`);
  sha.c2 = await sh(repo, "rev-parse", "HEAD");

  await sh(repo, "mv", "dir/b.txt", "dir/renamed.txt");
  for (const name of WEIRD) await write(`${repo}/${name}`, `${name}\n`);
  await sh(repo, "add", ".");
  await sh(repo, "commit", "-q", "-m", "Rename b and add odd names");
  sha.c3 = await sh(repo, "rev-parse", "HEAD");

  await sh(repo, "checkout", "-q", "-b", "feature");
  await write(`${repo}/feature.txt`, "feature\n");
  await sh(repo, "add", "feature.txt");
  clock += 5; // the feature commit is younger than the next main commit
  await sh(repo, "commit", "-q", "-m", "Feature work");
  sha.f1 = await sh(repo, "rev-parse", "HEAD");
  clock -= 10;
  await sh(repo, "checkout", "-q", "main");
  await write(`${repo}/keep.txt`, "keep two\n");
  await sh(repo, "commit", "-q", "-a", "-m", "Touch keep");
  sha.c5 = await sh(repo, "rev-parse", "HEAD");
  clock += 10;
  await sh(repo, "merge", "-q", "--no-ff", "-m", "Merge feature", "feature");
  sha.m = await sh(repo, "rev-parse", "HEAD");

  await sh(repo, "revert", "--no-edit", sha.c2!);
  sha.rv = await sh(repo, "rev-parse", "HEAD");

  // type change, mode change, deletion, exact renames with a duplicate
  await Deno.remove(`${repo}/a.txt`);
  await Deno.symlink("keep.txt", `${repo}/a.txt`);
  await Deno.chmod(`${repo}/keep.txt`, 0o755);
  await sh(repo, "rm", "-q", "x/same.txt", `${WEIRD[1]}`, "m/one.txt", "n/two.txt");
  await write(`${repo}/o/two.txt`, "dup\n");
  await write(`${repo}/y/other.txt`, "same content\n");
  await write(`${repo}/y/same.txt`, "same content\n");
  await sh(repo, "add", "-A", ".");
  await sh(repo, "commit", "-q", "-m", "Shapes");
  sha.c7 = await sh(repo, "rev-parse", "HEAD");

  await sh(repo, "tag", "light");
  await sh(repo, "pack-refs", "--all");
  await sh(repo, "repack", "-a", "-d", "-q");
  sha.tree = await sh(repo, "rev-parse", "HEAD^{tree}");
  return { root, repo, sha };
}

function commitView(c: CommitInfo): unknown {
  return { sha: c.sha, parents: c.parents, subject: c.subject, files: c.files };
}

Deno.test("git port: both adapters agree with git on a real repository", async (t) => {
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "keel-git-" }));
  try {
    const fx = await buildMain(root);
    const { repo, sha } = fx;

    await t.step("locations, HEAD and branch", async () => {
      await both(repo, (g) => g.head(), sha.c7!);
      await both(repo, (g) => g.currentBranch(), "main");
      await both(repo, (g) => g.worktreeRoot(), repo);
      await both(repo, (g) => g.gitDir(), `${repo}/.git`);
      await both(repo, (g) => g.commonDir(), `${repo}/.git`);
      await both(`${repo}/dir`, (g) => g.worktreeRoot(), repo);
    });

    await t.step("resolveRef: names, tags, packed refs, shas, steps, garbage", async () => {
      const cases: [string, string | null][] = [
        ["HEAD", sha.c7!],
        ["main", sha.c7!],
        ["refs/heads/main", sha.c7!],
        ["feature", sha.f1!],
        ["v1", sha.c1!],
        ["refs/tags/v1", sha.c1!],
        ["light", sha.c7!],
        [sha.c2!, sha.c2!],
        [sha.c2!.slice(0, 10), sha.c2!],
        ["HEAD~2", sha.m!],
        ["HEAD~3", sha.c5!],
        ["HEAD~2^2", sha.f1!],
        ["HEAD^^^1", sha.c5!],
        ["HEAD~2^0", sha.m!],
        ["HEAD~2^3", null],
        ["v1~1", null],
        ["nope", null],
        [sha.tree!, null],
        ["main..feature", null],
        ["HEAD@{0}", null],
        ["@", null],
        [":/Touch", null],
        ["-q", null],
      ];
      for (const [ref, want] of cases) {
        await both(repo, (g) => g.resolveRef(ref), want);
      }
    });

    await t.step("commitLookup (a WP's base_commit): cli and isomorphic agree", async () => {
      const shas = [
        sha.c2!,
        sha.c2!.slice(0, 10),
        sha.tree!,
        "0".repeat(40),
        "deadbeef",
        "not-hex",
        "main",
      ];
      const want = [true, true, false, false, false, false, false];
      for (const backend of BACKENDS) {
        const lookup = await commitLookup(repo, backend, shas);
        assert.deepEqual(shas.map((x) => lookup(x)), want, backend);
      }
      const outside = await Deno.makeTempDir({ prefix: "keel-conf-outside-" });
      try {
        for (const backend of BACKENDS) {
          const lookup = await commitLookup(outside, backend, [sha.c2!]);
          assert.equal(lookup(sha.c2!), null, backend);
        }
      } finally {
        await Deno.remove(outside, { recursive: true });
      }
    });

    await t.step(
      "commitsInRange: order, messages, trailers, merge, renames, odd names",
      async () => {
        const all = await both(
          repo,
          async (g) => (await g.commitsInRange(sha.c1!, "HEAD")).map(commitView),
          [
            {
              sha: sha.c2,
              parents: [sha.c1],
              subject: "Change alpha across two lines",
              files: [{ path: "a.txt", status: "M" }],
            },
            {
              sha: sha.c3,
              parents: [sha.c2],
              subject: "Rename b and add odd names",
              files: [
                { path: "dir/renamed.txt", status: "R", oldPath: "dir/b.txt" },
                { path: "new\nline.txt", status: "A" },
                { path: 'q"uote.txt', status: "A" },
                { path: "sp ace.txt", status: "A" },
                { path: "ünï cödé.txt", status: "A" },
              ],
            },
            {
              sha: sha.c5,
              parents: [sha.c3],
              subject: "Touch keep",
              files: [{ path: "keep.txt", status: "M" }],
            },
            {
              sha: sha.f1,
              parents: [sha.c3],
              subject: "Feature work",
              files: [{ path: "feature.txt", status: "A" }],
            },
            {
              sha: sha.m,
              parents: [sha.c5, sha.f1],
              subject: "Merge feature",
              files: [{ path: "feature.txt", status: "A" }],
            },
            {
              sha: sha.rv,
              parents: [sha.m],
              subject: 'Revert "Change alpha"',
              files: [{ path: "a.txt", status: "M" }],
            },
            {
              sha: sha.c7,
              parents: [sha.rv],
              subject: "Shapes",
              files: [
                { path: "a.txt", status: "T" },
                { path: "keep.txt", status: "M" },
                { path: "m/one.txt", status: "D" },
                { path: "o/two.txt", status: "R", oldPath: "n/two.txt" },
                { path: 'q"uote.txt', status: "D" },
                { path: "y/other.txt", status: "R", oldPath: "x/same.txt" },
                { path: "y/same.txt", status: "A" },
              ],
            },
          ] as unknown[],
        );
        assert.equal(all.length, 7);

        const [c2] = await both(repo, (g) => g.commitsInRange(sha.c1!, sha.c2!), [{
          sha: sha.c2!,
          parents: [sha.c1!],
          subject: "Change alpha across two lines",
          body:
            "Why it changed.\n\nKeel-Unit: u1\nCo-authored-by: Bo <bo@example.org>\nNote: first\n  continued\nKeel-Unit: u2",
          trailers: {
            "Keel-Unit": ["u1", "u2"],
            "Co-authored-by": ["Bo <bo@example.org>"],
            Note: ["first continued"],
          },
          author: "Ann Author",
          authorEmail: "ann@example.org",
          authoredAt: await sh(repo, "log", "-1", "--format=%aI", sha.c2!),
          committedAt: Number(await sh(repo, "log", "-1", "--format=%ct", sha.c2!)),
          files: [{ path: "a.txt", status: "M" }],
        }]);
        assert.match(c2!.authoredAt, /^2026-01-01T\d\d:\d\d:00\+02:00$/);

        await both(repo, (g) => g.commitsInRange("HEAD", "HEAD"), []);
        await both(
          repo,
          async (g) => (await g.commitsInRange("feature", "main~3")).map((c) => c.sha),
          [sha.c5!],
        );
      },
    );

    await t.step("file changes match git's own exact rename detection", async () => {
      const list = await both(
        repo,
        async (g) => (await g.commitsInRange(sha.c1!, "HEAD")).map((c) => c.sha),
        [sha.c2!, sha.c3!, sha.c5!, sha.f1!, sha.m!, sha.rv!, sha.c7!],
      );
      for (const c of list) {
        const raw = await sh(
          repo,
          "diff-tree",
          "-r",
          "-z",
          "--name-status",
          "-M100%",
          `${c}^1`,
          c,
        );
        const tokens = raw.split("\0").filter((x) => x !== "");
        const want: FileChange[] = [];
        for (let i = 0; i < tokens.length;) {
          const st = tokens[i++]!;
          if (st.startsWith("R")) {
            want.push({ path: tokens[i + 1]!, status: "R", oldPath: tokens[i]! });
            i += 2;
          } else want.push({ path: tokens[i++]!, status: st as FileChange["status"] });
        }
        want.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
        await both(
          repo,
          async (g) => (await g.commitsInRange(`${c}^1`, c)).find((x) => x.sha === c)!.files,
          want,
        );
      }
    });

    await t.step("commitsInRange from the root: all files added", async () => {
      const empty = await sh(
        repo,
        "commit-tree",
        "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
        "-m",
        "e",
      );
      await both(repo, async (g) => (await g.commitsInRange(empty, sha.c1!)).map(commitView), [{
        sha: sha.c1,
        parents: [],
        subject: "Initial import",
        files: [
          { path: "a.txt", status: "A" },
          { path: "dir/b.txt", status: "A" },
          { path: "keep.txt", status: "A" },
          { path: "m/one.txt", status: "A" },
          { path: "n/two.txt", status: "A" },
          { path: "x/same.txt", status: "A" },
        ],
      }] as unknown[]);
    });

    await t.step("unknown revisions fail the same way", async () => {
      await bothThrow(repo, (g) => g.commitsInRange("nope", "HEAD"), "GIT_FAILED", {
        args: ["commitsInRange", "nope"],
        stderr: "unknown revision: nope",
      });
      await bothThrow(repo, (g) => g.isAncestor("HEAD", "zzz"), "GIT_FAILED", {
        args: ["isAncestor", "zzz"],
        stderr: "unknown revision: zzz",
      });
    });

    await t.step("isAncestor", async () => {
      await both(repo, (g) => g.isAncestor(sha.c1!, "HEAD"), true);
      await both(repo, (g) => g.isAncestor("HEAD", "HEAD"), true);
      await both(repo, (g) => g.isAncestor(sha.f1!, sha.m!), true);
      await both(repo, (g) => g.isAncestor(sha.c5!, "feature"), false);
      await both(repo, (g) => g.isAncestor("HEAD", sha.c1!), false);
    });

    await t.step("findReverts", async () => {
      const want = [{ reverted: sha.c2!, by: sha.rv! }];
      await both(repo, (g) => g.findReverts([sha.c2!]), want);
      await both(repo, (g) => g.findReverts([sha.c2!.slice(0, 8), sha.c3!]), want);
      await both(repo, (g) => g.findReverts([sha.c2!], sha.c3!), want);
      await both(repo, (g) => g.findReverts([sha.c2!], sha.rv!), []);
      await both(repo, (g) => g.findReverts([sha.c3!]), []);
      await both(repo, (g) => g.findReverts([]), []);
    });

    await t.step("worktreeStatus: clean, then staged, unstaged and untracked", async () => {
      await both(repo, (g) => g.worktreeStatus(), { staged: [], unstaged: [], untracked: [] });
      await write(`${repo}/.gitignore`, "*.log\nbuild/\n");
      await sh(repo, "add", ".gitignore");
      await write(`${repo}/build/out.bin`, "x");
      await write(`${repo}/debug.log`, "x");
      await sh(repo, "mv", "y/other.txt", "y/moved.txt");
      await write(`${repo}/dir/renamed.txt`, "bravo changed\n");
      await sh(repo, "add", "dir/renamed.txt");
      await sh(repo, "rm", "-q", "--cached", "feature.txt");
      await write(`${repo}/keep.txt`, "keep three\n");
      await Deno.remove(`${repo}/${WEIRD[0]}`);
      await write(`${repo}/new dir/ü n\ntracked.txt`, "u\n");
      await write(`${repo}/zeta.txt`, "z\n");
      await both(repo, (g) => g.worktreeStatus(), {
        staged: [
          { path: ".gitignore", status: "A" },
          { path: "dir/renamed.txt", status: "M" },
          { path: "feature.txt", status: "D" },
          { path: "y/moved.txt", status: "R", oldPath: "y/other.txt" },
        ],
        unstaged: [
          { path: "keep.txt", status: "M" },
          { path: "sp ace.txt", status: "D" },
        ],
        untracked: ["feature.txt", "new dir/ü n\ntracked.txt", "zeta.txt"],
      });
    });

    await t.step("worktreeStatus: type and mode changes, a conflicted merge", async () => {
      const c = `${root}/conflict`;
      await Deno.mkdir(c);
      await sh(c, "init", "-q", "-b", "main");
      await write(`${c}/f.txt`, "base\n");
      await write(`${c}/t.txt`, "t\n");
      await write(`${c}/s.txt`, "s\n");
      await Deno.symlink("t.txt", `${c}/link`);
      await sh(c, "add", ".");
      await sh(c, "commit", "-q", "-m", "base");
      await sh(c, "checkout", "-q", "-b", "other");
      await write(`${c}/f.txt`, "other\n");
      await sh(c, "commit", "-q", "-a", "-m", "other");
      await sh(c, "checkout", "-q", "main");
      await write(`${c}/f.txt`, "mine\n");
      await sh(c, "commit", "-q", "-a", "-m", "mine");
      await sh(c, "merge", "-q", "other").catch(() => "conflict expected");
      await Deno.remove(`${c}/link`);
      await write(`${c}/link`, "now a file\n");
      await Deno.chmod(`${c}/t.txt`, 0o755);
      await Deno.remove(`${c}/s.txt`);
      await Deno.symlink("t.txt", `${c}/s.txt`);
      await sh(c, "add", "s.txt");
      await both(c, (g) => g.worktreeStatus(), {
        staged: [{ path: "s.txt", status: "T" }],
        unstaged: [
          { path: "f.txt", status: "M" },
          { path: "link", status: "T" },
          { path: "t.txt", status: "M" },
        ],
        untracked: [],
      });
    });

    await t.step("linked worktree: per-worktree HEAD and index", async () => {
      const wt = `${root}/wt`;
      await sh(repo, "worktree", "add", "-q", "-b", "lane", wt, sha.c3!);
      await write(`${wt}/lane.txt`, "lane\n");
      await sh(wt, "add", "lane.txt");
      await sh(wt, "commit", "-q", "-m", "Lane work\n\nKeel-Unit: L1");
      const laneHead = await sh(wt, "rev-parse", "HEAD");
      await write(`${wt}/staged.txt`, "s\n");
      await sh(wt, "add", "staged.txt");
      await write(`${wt}/a.txt`, "alpha wt\n");
      await write(`${wt}/untracked.txt`, "u\n");

      await both(wt, (g) => g.head(), laneHead);
      await both(wt, (g) => g.currentBranch(), "lane");
      await both(wt, (g) => g.worktreeRoot(), wt);
      await both(wt, (g) => g.gitDir(), `${repo}/.git/worktrees/wt`);
      await both(wt, (g) => g.commonDir(), `${repo}/.git`);
      await both(wt, (g) => g.resolveRef("main"), sha.c7!);
      await both(wt, (g) => g.resolveRef("HEAD~1"), sha.c3!);
      await both(
        wt,
        async (g) => (await g.commitsInRange("main~4", "HEAD")).map((c) => [c.sha, c.trailers]),
        [[laneHead, { "Keel-Unit": ["L1"] }]],
      );
      await both(wt, (g) => g.worktreeStatus(), {
        staged: [{ path: "staged.txt", status: "A" }],
        unstaged: [{ path: "a.txt", status: "M" }],
        untracked: ["untracked.txt"],
      });
      // the main worktree still sees its own HEAD
      await both(repo, (g) => g.head(), sha.c7!);
    });

    await t.step("detached HEAD", async () => {
      const wt2 = `${root}/detached`;
      await sh(repo, "worktree", "add", "-q", "--detach", wt2, sha.c5!);
      await both(wt2, (g) => g.currentBranch(), null);
      await both(wt2, (g) => g.head(), sha.c5!);
      await both(wt2, (g) => g.worktreeStatus(), { staged: [], unstaged: [], untracked: [] });
    });

    await t.step("shallow clone: boundary commits have no parents", async () => {
      const clone = `${root}/shallow`;
      await sh(root, "clone", "-q", "--depth", "2", "--no-local", `file://${repo}`, clone);
      const empty = await sh(
        clone,
        "commit-tree",
        "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
        "-m",
        "e",
      );
      await both(clone, (g) => g.head(), sha.c7!);
      await both(clone, (g) => g.resolveRef("origin/main"), sha.c7!);
      await both(clone, (g) => g.resolveRef("origin"), sha.c7!);
      await both(clone, (g) => g.resolveRef("HEAD~1"), sha.rv!);
      await both(clone, (g) => g.resolveRef("HEAD~2"), null);
      await both(clone, (g) => g.isAncestor(sha.rv!, "HEAD"), true);
      const got = await both(
        clone,
        async (g) => (await g.commitsInRange(empty, "HEAD")).map((c) => [c.sha, c.parents]),
        [[sha.rv!, []], [sha.c7!, [sha.rv!]]],
      );
      assert.equal(got.length, 2);
      const boundary = await both(
        clone,
        async (g) => (await g.commitsInRange(empty, "HEAD~1"))[0]!.files.length,
        11,
      );
      assert.equal(boundary, 11);
      await both(clone, (g) => g.findReverts([sha.c2!]), [{ reverted: sha.c2!, by: sha.rv! }]);
    });

    await t.step("gitIdentity: the repository's user.name and user.email", async () => {
      const id = `${root}/identity`;
      await Deno.mkdir(id);
      await sh(id, "init", "-q");
      await sh(id, "config", "user.name", "Zoë Zed");
      await sh(id, "config", "user.email", "zed@example.org");
      for (const backend of BACKENDS) {
        assert.deepEqual(
          await gitIdentity(`${id}`, backend),
          { name: "Zoë Zed", email: "zed@example.org" },
          backend,
        );
      }
      const outside = await Deno.makeTempDir({ prefix: "keel-conf-outside-" });
      try {
        assert.deepEqual(await gitIdentity(outside, "isomorphic"), { name: null, email: null });
      } finally {
        await Deno.remove(outside, { recursive: true });
      }
    });

    await t.step("empty repository", async () => {
      const empty = `${root}/empty`;
      await Deno.mkdir(empty);
      await sh(empty, "init", "-q", "-b", "trunk");
      await write(`${empty}/f.txt`, "f\n");
      await both(empty, (g) => g.head(), null);
      await both(empty, (g) => g.currentBranch(), "trunk");
      await both(empty, (g) => g.findReverts(["a".repeat(40)]), []);
      await both(empty, (g) => g.worktreeStatus(), {
        staged: [],
        unstaged: [],
        untracked: ["f.txt"],
      });
      await bothThrow(empty, (g) => g.commitsInRange("HEAD", "HEAD"), "GIT_FAILED", {
        args: ["commitsInRange", "HEAD"],
        stderr: "unknown revision: HEAD",
      });
    });

    await t.step("outside a repository: REPO_NOT_FOUND", async () => {
      const outside = `${root}/outside`;
      await Deno.mkdir(outside);
      for (const backend of ["cli", "isomorphic", "auto"] as const) {
        await assert.rejects(openGit(outside, { backend }), (e: unknown) => {
          assert.ok(e instanceof KeelError);
          assert.equal(e.code, "REPO_NOT_FOUND");
          assert.deepStrictEqual(e.data, { path: outside });
          return true;
        });
      }
    });

    await t.step("auto picks the CLI when git is on PATH", async () => {
      assert.equal((await openGit(repo, { backend: "auto" })).backend, "cli");
    });

    await t.step("without a git executable: cli fails, auto falls back", async () => {
      const gitBinary = `${root}/no-such-git`;
      await assert.rejects(openGit(repo, { backend: "cli", gitBinary }), (e: unknown) => {
        assert.ok(e instanceof KeelError);
        assert.equal(e.code, "GIT_UNAVAILABLE");
        assert.deepStrictEqual(e.data, { backend: "cli" });
        return true;
      });
      const git = await openGit(repo, { backend: "auto", gitBinary });
      assert.equal(git.backend, "isomorphic");
      assert.equal(await git.head(), await sh(repo, "rev-parse", "HEAD"));
    });

    await t.step("submodules are not looked into; a nested repository is one entry", async () => {
      const sup = `${root}/super`;
      await Deno.mkdir(sup);
      await sh(sup, "init", "-q", "-b", "main");
      await write(`${sup}/a.txt`, "a\n");
      await sh(sup, "add", "a.txt");
      await sh(sup, "commit", "-q", "-m", "a");
      await sh(sup, "-c", "protocol.file.allow=always", "submodule", "add", "-q", repo, "sub");
      await sh(sup, "commit", "-q", "-m", "add sub");
      await write(`${sup}/sub/dirt.txt`, "dirt\n");
      await write(`${sup}/sub/keep.txt`, "changed in the submodule\n");
      await Deno.mkdir(`${sup}/nested`);
      await sh(`${sup}/nested`, "init", "-q");
      await write(`${sup}/nested/x.txt`, "x\n");
      await both(sup, (g) => g.worktreeStatus(), {
        staged: [],
        unstaged: [],
        untracked: ["nested/"],
      });
      await both(
        sup,
        async (g) => (await g.commitsInRange("HEAD~1", "HEAD")).map((c) => c.files),
        [[{ path: ".gitmodules", status: "A" }, { path: "sub", status: "A" }]],
      );
    });

    await t.step(
      "index version 4: the CLI reads it, isomorphic-git reports GIT_FAILED",
      async () => {
        const v4 = `${root}/v4`;
        await Deno.mkdir(v4);
        await sh(v4, "init", "-q", "-b", "main");
        await write(`${v4}/a.txt`, "a\n");
        await sh(v4, "add", "a.txt");
        await sh(v4, "update-index", "--index-version", "4");
        const cli = await openGit(v4, { backend: "cli" });
        assert.deepStrictEqual(await cli.worktreeStatus(), {
          staged: [{ path: "a.txt", status: "A" }],
          unstaged: [],
          untracked: [],
        });
        const iso = await openGit(v4, { backend: "isomorphic" });
        await assert.rejects(iso.worktreeStatus(), (e: unknown) => {
          assert.ok(e instanceof KeelError);
          assert.equal(e.code, "GIT_FAILED");
          assert.deepStrictEqual((e.data.args as string[])[0], "worktreeStatus");
          assert.match(String(e.data.stderr), /dircache version: 4/);
          return true;
        });
      },
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
