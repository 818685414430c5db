import assert from "node:assert/strict";
import { git, laneRepo } from "../../testing/git.ts";
import { commitPortFor, samePortMission } from "./git_commit_port.ts";

Deno.test("commitPortFor(): no base commit, no question to git; a base commit is checked", async () => {
  const dir = await laneRepo("keel-commit-port-");
  try {
    await Deno.writeTextFile(`${dir}/a.txt`, "a\n");
    await git(dir, "add", "a.txt");
    await git(dir, "commit", "-qm", "a");
    const head = (await git(dir, "rev-parse", "HEAD")).trim();
    const missing = "0123456789abcdef0123456789abcdef01234567";
    // No WP names a base commit: the port never asks git, so it cannot tell.
    const none = await commitPortFor({ repoRoot: dir, wps: [{ baseCommit: null }] }, "cli");
    assert.equal(none(head), null);
    const some = await commitPortFor({ repoRoot: dir, wps: [{ baseCommit: head }] }, "cli");
    assert.equal(some(head), true);
    assert.equal(some(missing), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("samePortMission(): a base commit new since the preview needs a new port", () => {
  const a = "a".repeat(40);
  const b = "b".repeat(40);
  const before = { wps: [{ baseCommit: a }, { baseCommit: null }] };
  assert.equal(samePortMission(before, { wps: [{ baseCommit: a }, { baseCommit: null }] }), true);
  assert.equal(samePortMission(before, { wps: [{ baseCommit: null }] }), true);
  assert.equal(samePortMission(before, { wps: [{ baseCommit: a }, { baseCommit: b }] }), false);
});
