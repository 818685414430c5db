/**
 * `deno task compile`: without a `denort` base binary it refuses clearly
 * (exit 3); with one it builds and smoke-tests the host binary. The smoke
 * test itself is held here against keel run from source and against a
 * broken build, so it is known to catch what it checks. (Building needs
 * `denort`, which is not reachable on every machine; see docs/building.md.)
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { smokeTest } from "../scripts/compile.ts";

const ROOT = new URL("..", import.meta.url).pathname;

Deno.test("compile refuses clearly when no base binary can be had", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(ROOT, "scripts/compile.ts"), "--host"],
    env: { DENORT_BIN: "/nonexistent/denort" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 3);
  assert.match(err, /deno compile needs Deno's denort base binary/);
  assert.match(err, /DENORT_BIN=\/nonexistent\/denort does not exist/);
  assert.doesNotMatch(err, /at .*\.ts:\d+/, "no stack trace");
});

Deno.test("compile's smoke test passes keel from source and names each broken check", async () => {
  const fromSource = [Deno.execPath(), "run", "-A", join(ROOT, "cli/main.ts")];
  assert.deepEqual(await smokeTest(fromSource, /^keel \d+\.\d+\.\d+ \(source\)\n$/), []);
  // The default expects a release's stamped commit, which a run from source does not have.
  assert.deepEqual((await smokeTest(fromSource)).map((f) => f.check), ["--version"]);

  // A build whose next and serve are broken: a shell wrapper that answers --version and pilot
  // through keel, and fails everything else.
  const dir = await Deno.makeTempDir({ prefix: "keel-smoke-broken-" });
  try {
    const wrapper = join(dir, "keel");
    await Deno.writeTextFile(
      wrapper,
      `#!/bin/sh\ncase "$1" in --version|pilot) exec ${fromSource.join(" ")} "$@";; esac\n` +
        `echo broken >&2\nexit 70\n`,
    );
    await Deno.chmod(wrapper, 0o755);
    const failures = await smokeTest([wrapper], /\(source\)/);
    assert.deepEqual(failures.map((f) => f.check), ["next --json", "serve --stdio"]);
    assert.match(failures[0]!.detail, /^exit 70, wp_id null: broken/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
