/**
 * `--git-backend` reaches every git call of the mission and gate operations:
 * the commit-existence check runs on the backend asked for, and what only the
 * git CLI can do (merges, lane worktrees, the dead-code scan) is refused with
 * `GIT_BACKEND_UNSUPPORTED` under `isomorphic`, before anything is written.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import type { OpContext } from "../core/context.ts";
import { mergeOp, reviewOp } from "../core/gates/mod.ts";
import type { GitBackendChoice } from "../core/git/mod.ts";
import { implementOp, nextOp } from "../core/mission/mod.ts";
import { writeMission } from "../testing/mission.ts";
import { fixedClock } from "../core/util/mod.ts";
import { hooksOp } from "../core/guard/mod.ts";
import { git, keelJson } from "./helpers.ts";
import { keelFailure } from "../testing/keel_failure.ts";

const SLUG = "gb-01KTGBAA";

function ctx(cwd: string, gitBackend: GitBackendChoice): OpContext {
  return { cwd, clock: fixedClock("2026-11-01T10:00:00Z", 1000), env: {}, gitBackend };
}

/** A git repository holding a mission whose WP01 names `base` as its base_commit. */
async function repo(base: string): Promise<{ root: string; log: string }> {
  const root = await Deno.makeTempDir({ prefix: "onewriter-gb-" });
  await git(root, "init", "-q", "-b", "main");
  await git(root, "config", "user.email", "t@example.org");
  await git(root, "config", "user.name", "T");
  await git(root, "config", "commit.gpgsign", "false");
  const dir = await writeMission(root, {
    slug: SLUG,
    missionId: "01KTGBAAAAAAAAAAAAAAAAAAAA",
    wps: [{ id: "WP01", baseCommit: base }, { id: "WP02" }],
  });
  await git(root, "add", "-A");
  await git(root, "commit", "-q", "-m", "mission");
  return { root, log: join(dir, "status.events.jsonl") };
}

Deno.test("next: the base_commit check runs on the backend asked for, and both agree", async () => {
  const { root } = await repo("0123456789abcdef0123456789abcdef01234567");
  try {
    for (const backend of ["cli", "isomorphic", "auto"] as const) {
      const r = await nextOp({ mission: SLUG, agent: "a" }, ctx(root, backend));
      assert.deepEqual(
        r.warnings.map((w) => [w.code, w.wp_id]),
        [["BASE_COMMIT_MISSING", "WP01"]],
        backend,
      );
    }
    // Without a git executable, only isomorphic-git can still tell (in a child
    // process: PATH is process-wide).
    const noGit = { env: { PATH: "/nonexistent" } };
    const args = ["next", "--mission", SLUG, "--agent", "a", "--git-backend"];
    const iso = await keelJson(root, [...args, "isomorphic"], noGit);
    assert.equal(iso.code, 0, iso.stderr);
    assert.deepEqual(
      (iso.json.warnings as { code: string }[]).map((w) => w.code),
      ["BASE_COMMIT_MISSING"],
    );
    const cli = await keelJson(root, [...args, "cli"], noGit);
    assert.equal(cli.code, 0, cli.stderr);
    assert.deepEqual(cli.json.warnings, []);
    // A commit of this repository (full or abbreviated) is found by both backends.
    const head = (await git(root, "rev-parse", "HEAD")).trim();
    const wpFile = (await Array.fromAsync(Deno.readDir(join(root, "kitty-specs", SLUG, "tasks"))))
      .map((e) => join(root, "kitty-specs", SLUG, "tasks", e.name))
      .find((p) => p.includes("WP01"))!;
    for (const base of [head, head.slice(0, 12)]) {
      const text = await Deno.readTextFile(wpFile);
      await Deno.writeTextFile(wpFile, text.replace(/base_commit: \S+/, `base_commit: ${base}`));
      for (const backend of ["cli", "isomorphic"] as const) {
        const r = await nextOp({ mission: SLUG, agent: "a" }, ctx(root, backend));
        assert.deepEqual(r.warnings, [], `${backend} ${base}`);
      }
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("isomorphic: implement with a workspace and merge are refused up front; --no-workspace claims", async () => {
  const { root, log } = await repo("0123456789abcdef0123456789abcdef01234567");
  try {
    const before = await Deno.readTextFile(log);
    const impl = await keelFailure(
      implementOp({ mission: SLUG, agent: "a" }, ctx(root, "isomorphic")),
    );
    assert.equal(impl.code, "GIT_BACKEND_UNSUPPORTED");
    assert.deepEqual(impl.data, { backend: "isomorphic", operation: "implement" });
    const merge = await keelFailure(mergeOp({ mission: SLUG }, ctx(root, "isomorphic")));
    assert.equal(merge.code, "GIT_BACKEND_UNSUPPORTED");
    assert.deepEqual(merge.data, { backend: "isomorphic", operation: "merge" });
    const dry = await keelFailure(
      mergeOp({ mission: SLUG, dryRun: true }, ctx(root, "isomorphic")),
    );
    assert.equal(dry.code, "GIT_BACKEND_UNSUPPORTED");
    assert.equal(await Deno.readTextFile(log), before);
    const r = await implementOp(
      { mission: SLUG, agent: "a", wp: "WP02", workspace: false },
      ctx(root, "isomorphic"),
    );
    assert.deepEqual([r.wp_id, r.action, r.workspace], ["WP02", "claimed", null]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("isomorphic: review refuses the dead-code scan and writes no report", async () => {
  const { root } = await repo("0123456789abcdef0123456789abcdef01234567");
  try {
    const dir = join(root, "kitty-specs", SLUG);
    const meta = JSON.parse(await Deno.readTextFile(join(dir, "meta.json")));
    meta.baseline_merge_commit = (await git(root, "rev-parse", "HEAD")).trim();
    await Deno.writeTextFile(join(dir, "meta.json"), JSON.stringify(meta, null, 2) + "\n");
    const e = await keelFailure(reviewOp({ mission: SLUG }, ctx(root, "isomorphic")));
    assert.equal(e.code, "GIT_BACKEND_UNSUPPORTED");
    assert.deepEqual(e.data, { backend: "isomorphic", operation: "review" });
    await assert.rejects(Deno.stat(join(dir, "mission-review-report.md")), Deno.errors.NotFound);
    // The CLI backend runs the scan and writes the report.
    await reviewOp({ mission: SLUG }, ctx(root, "cli"));
    assert.ok((await Deno.stat(join(dir, "mission-review-report.md"))).isFile);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("isomorphic: keel hooks is refused before any hook is written", async () => {
  const { root } = await repo("0123456789abcdef0123456789abcdef01234567");
  try {
    const e = await keelFailure(
      hooksOp({ action: "install" }, ctx(root, "isomorphic"), { keelCommand: ["keel"] }),
    );
    assert.equal(e.code, "GIT_BACKEND_UNSUPPORTED");
    assert.deepEqual(e.data, { backend: "isomorphic", operation: "hooks" });
    assert.deepEqual(
      [...Deno.readDirSync(join(root, ".git", "hooks"))].filter((h) => !h.name.endsWith(".sample")),
      [],
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
