/**
 * Hostile repositories (issue 13): symlinked lock and state files, alias
 * mission folders, blank agents, special files in a mission, disk full,
 * directories where files are expected. Every case runs the real CLI in a
 * temporary repository and asserts the exact code and exit code, and that
 * nothing outside was written.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { gitRun } from "../testing/git.ts";
import { writeMission } from "../testing/mission.ts";
import { contractRepo, keel, raceAlias, runRepo, spawnKeel } from "../scripts/stress.ts";

const MID = "01KTESTAAAAAAAAAAAAAAAAAAA";
const SLUG = "m-01KTESTA";
const SENTINEL = "SENTINEL-93b1\n";

/** A `--json` document (shape checked by the assertions). */
// deno-lint-ignore no-explicit-any
type Doc = any;

/** Run keel with --json and return the parsed document and the exit code. */
async function kj(repo: string, args: string[]): Promise<{ code: number; doc: Doc }> {
  const dash = args.indexOf("--");
  const r = await keel(
    repo,
    dash < 0 ? [...args, "--json"] : [...args.slice(0, dash), "--json", ...args.slice(dash)],
  );
  try {
    return { code: r.code, doc: JSON.parse(r.stdout) };
  } catch {
    throw new Error(`keel ${args.join(" ")}: not JSON (exit ${r.code}): ${r.stdout}${r.stderr}`);
  }
}

async function expectError(
  repo: string,
  args: string[],
  code: string,
  exit: number,
  path?: string,
): Promise<Doc> {
  const { code: got, doc } = await kj(repo, args);
  assert.equal(doc.error?.code, code, `keel ${args.join(" ")}: ${JSON.stringify(doc)}`);
  assert.equal(got, exit, `keel ${args.join(" ")} exit`);
  if (path !== undefined) assert.equal(doc.error.data.path, path);
  return doc.error;
}

async function outsideFile(): Promise<{ dir: string; file: string }> {
  const dir = await Deno.makeTempDir({ prefix: "keel-outside-" });
  const file = join(dir, "victim.txt");
  await Deno.writeTextFile(file, SENTINEL);
  return { dir, file };
}

async function assertUntouched(dir: string): Promise<void> {
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["victim.txt"]);
  assert.equal(await Deno.readTextFile(join(dir, "victim.txt")), SENTINEL);
}

async function mission(repo: string, extra: { actor?: string } = {}): Promise<string> {
  return await writeMission(repo, {
    slug: SLUG,
    missionId: MID,
    wps: [
      { id: "WP01", ...(extra.actor ? { lane: "in_progress", actor: extra.actor } : {}) },
      { id: "WP02" },
    ],
  });
}

Deno.test("item 1: symlinked lock files are refused by implement, init, approve and run start; nothing outside is written", async (t) => {
  const out = await outsideFile();
  try {
    await t.step("mission lock", async () => {
      const repo = await Deno.makeTempDir({ prefix: "keel-harden-" });
      await mission(repo);
      await Deno.mkdir(join(repo, ".keel", "locks"), { recursive: true });
      await Deno.symlink(out.file, join(repo, ".keel", "locks", `mission-${SLUG}.lock`));
      await expectError(
        repo,
        ["implement", "--no-workspace", "--mission", SLUG, "--agent", "alice"],
        "PATH_SYMLINK_REFUSED",
        3,
        `.keel/locks/mission-${SLUG}.lock`,
      );
      await assertUntouched(out.dir);
      await Deno.remove(repo, { recursive: true });
    });
    await t.step("contract lock (init and approve)", async () => {
      const repo = await contractRepo();
      await Deno.mkdir(join(repo, ".keel", "locks"), { recursive: true });
      await Deno.remove(join(repo, ".keel", "locks", "contract-default.lock")).catch(() => {});
      await Deno.symlink(out.file, join(repo, ".keel", "locks", "contract-default.lock"));
      await expectError(repo, ["approve", "all", "--by", "x"], "PATH_SYMLINK_REFUSED", 3);
      await expectError(repo, ["init", "--force"], "PATH_SYMLINK_REFUSED", 3);
      await assertUntouched(out.dir);
      await Deno.remove(repo, { recursive: true });
    });
    await t.step("run lock (run start)", async () => {
      const repo = await contractRepo();
      const a = await kj(repo, ["approve", "all", "--by", "x"]);
      assert.equal(a.code, 0, JSON.stringify(a.doc));
      await Deno.remove(join(repo, ".keel", "locks", "run-default.lock")).catch(() => {});
      await Deno.symlink(out.file, join(repo, ".keel", "locks", "run-default.lock"));
      await expectError(repo, ["run", "start"], "PATH_SYMLINK_REFUSED", 3);
      await assertUntouched(out.dir);
      await Deno.remove(repo, { recursive: true });
    });
    await t.step("the locks folder is a symlink to a folder inside the repository", async () => {
      const repo = await contractRepo();
      await Deno.mkdir(join(repo, "notlocks"));
      await Deno.remove(join(repo, ".keel", "locks"), { recursive: true }).catch(() => {});
      await Deno.symlink("../notlocks", join(repo, ".keel", "locks"));
      await expectError(
        repo,
        ["approve", "all", "--by", "x"],
        "PATH_SYMLINK_REFUSED",
        3,
        ".keel/locks",
      );
      assert.deepEqual([...Deno.readDirSync(join(repo, "notlocks"))], []);
      await Deno.remove(repo, { recursive: true });
    });
  } finally {
    await Deno.remove(out.dir, { recursive: true });
  }
});

Deno.test("item 1: other writers refuse symlinks (reports, active pointer, event log, .gitattributes, .keel/.gitignore)", async (t) => {
  const out = await outsideFile();
  try {
    await t.step("run report and active-run pointer", async () => {
      const { repo, runId } = await runRepo();
      const report = join(repo, ".keel", "runs", runId, "run_report.json");
      await Deno.rename(report, join(repo, "moved.json"));
      await Deno.symlink("../../../moved.json", report);
      const before = await Deno.readTextFile(join(repo, "moved.json"));
      await expectError(
        repo,
        ["run", "record", "t1", "--status", "passed"],
        "PATH_SYMLINK_REFUSED",
        3,
      );
      assert.equal(await Deno.readTextFile(join(repo, "moved.json")), before);
      await Deno.remove(report);
      await Deno.rename(join(repo, "moved.json"), report);
      const pointer = join(repo, ".keel", "active", "default.json");
      await Deno.remove(pointer);
      await Deno.symlink(out.file, pointer);
      await expectError(repo, ["run", "finish"], "PATH_SYMLINK_REFUSED", 3);
      await Deno.remove(pointer);
      await Deno.symlink(out.file, join(repo, ".keel", "active", "new.json"));
      await Deno.rename(join(repo, ".keel", "active", "new.json"), pointer);
      await expectError(repo, ["run", "start"], "PATH_SYMLINK_REFUSED", 3);
      await assertUntouched(out.dir);
      await Deno.remove(repo, { recursive: true });
    });
    await t.step("evidence folder inside the repository", async () => {
      const { repo, runId } = await runRepo();
      await Deno.mkdir(join(repo, "elsewhere"));
      await Deno.symlink("../../../elsewhere", join(repo, ".keel", "runs", runId, "evidence"));
      await expectError(repo, ["run", "exec", "t1", "--", "true"], "PATH_SYMLINK_REFUSED", 3);
      assert.deepEqual([...Deno.readDirSync(join(repo, "elsewhere"))], []);
      await Deno.remove(repo, { recursive: true });
    });
    await t.step(
      "the spec-kitty event log is a symlink to a file inside the repository",
      async () => {
        const repo = await Deno.makeTempDir({ prefix: "keel-harden-" });
        const dir = await mission(repo);
        await Deno.rename(join(dir, "status.events.jsonl"), join(repo, "log.jsonl"));
        await Deno.symlink("../../log.jsonl", join(dir, "status.events.jsonl"));
        const before = await Deno.readTextFile(join(repo, "log.jsonl"));
        await expectError(
          repo,
          ["implement", "--no-workspace", "--mission", SLUG, "--agent", "alice"],
          "PATH_SYMLINK_REFUSED",
          3,
          `kitty-specs/${SLUG}/status.events.jsonl`,
        );
        assert.equal(await Deno.readTextFile(join(repo, "log.jsonl")), before);
        await Deno.remove(repo, { recursive: true });
      },
    );
    await t.step("retro summary.md and trust_metrics.json", async () => {
      const { repo, runId } = await runRepo();
      await kj(repo, ["run", "finish"]);
      const summary = join(repo, ".keel", "runs", runId, "summary.md");
      await Deno.writeTextFile(join(repo, "victim.txt"), SENTINEL);
      await Deno.symlink("../../../victim.txt", summary);
      await expectError(
        repo,
        ["retro"],
        "PATH_SYMLINK_REFUSED",
        3,
        `.keel/runs/${runId}/summary.md`,
      );
      await Deno.symlink("../victim.txt", join(repo, ".keel", "trust_metrics.json"));
      await expectError(repo, ["trust"], "PATH_SYMLINK_REFUSED", 3, ".keel/trust_metrics.json");
      assert.equal(await Deno.readTextFile(join(repo, "victim.txt")), SENTINEL);
      await Deno.remove(repo, { recursive: true });
    });
    await t.step(".gitattributes and .keel/.gitignore written by init", async () => {
      for (const name of [".gitattributes", ".keel/.gitignore"]) {
        const repo = await contractRepo();
        await Deno.remove(join(repo, name)).catch(() => {});
        await Deno.writeTextFile(join(repo, "victim.txt"), SENTINEL);
        await Deno.symlink(join(repo, "victim.txt"), join(repo, name));
        const e = await expectError(repo, ["init", "--force"], "PATH_SYMLINK_REFUSED", 3);
        assert.ok(e.data.path.endsWith(name), e.data.path);
        assert.equal(await Deno.readTextFile(join(repo, "victim.txt")), SENTINEL);
        await assertUntouched(out.dir);
        await Deno.remove(repo, { recursive: true });
      }
    });
  } finally {
    await Deno.remove(out.dir, { recursive: true });
  }
});

Deno.test("item 2: implement through kitty-specs/alias -> <slug> and <slug> at once claims WP01 once", async () => {
  const res = await raceAlias(8);
  assert.equal(res.succeeded, 1);
  assert.equal(res.records, 1);
  assert.equal(res.refused, 7);
});

Deno.test("item 2: an alias mission folder and a symlinked kitty-specs are refused by every mission command", async () => {
  const repo = await Deno.makeTempDir({ prefix: "keel-harden-" });
  try {
    await mission(repo);
    await Deno.symlink(SLUG, join(repo, "kitty-specs", "alias"));
    for (
      const args of [["next", "--mission", "alias"], ["mission", "status", "--mission", "alias"]]
    ) {
      await expectError(repo, args, "PATH_SYMLINK_REFUSED", 3, "kitty-specs/alias");
    }
    const list = await kj(repo, ["mission", "list"]);
    assert.equal(list.code, 0);
    assert.deepEqual(list.doc.missions.map((m: { mission_slug: string }) => m.mission_slug), [
      SLUG,
    ]);
    await Deno.remove(join(repo, "kitty-specs", "alias"));
    await Deno.mkdir(join(repo, "sub"));
    await Deno.rename(join(repo, "kitty-specs"), join(repo, "sub", "kitty-specs"));
    await Deno.symlink("sub/kitty-specs", join(repo, "kitty-specs"));
    await expectError(repo, ["next", "--mission", SLUG], "PATH_SYMLINK_REFUSED", 3, "kitty-specs");
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("item 4: a blank or whitespace agent is USAGE (exit 2) and never takes over a claim", async () => {
  const repo = await Deno.makeTempDir({ prefix: "keel-harden-" });
  try {
    const dir = await mission(repo, { actor: "alice" });
    const before = await Deno.readTextFile(join(dir, "status.events.jsonl"));
    for (const agent of [" ", "", "\t  "]) {
      await expectError(
        repo,
        ["implement", "--no-workspace", "--mission", SLUG, "--agent", agent, "WP01"],
        "USAGE",
        2,
      );
      await expectError(
        repo,
        ["implement", "--no-workspace", "--mission", SLUG, "--agent", agent],
        "USAGE",
        2,
      );
    }
    assert.equal(await Deno.readTextFile(join(dir, "status.events.jsonl")), before);
    await expectError(
      repo,
      ["implement", "--no-workspace", "--mission", SLUG, "--agent", "bob", "WP01"],
      "WP_CLAIM_CONFLICT",
      4,
    );
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

/** Run keel with a deadline: a hang or a memory blow-up fails the test instead of the machine. */
async function keelWithin(repo: string, args: string[], ms: number) {
  const child = spawnKeel(repo, [...args, "--json"]);
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }, ms);
  const t0 = performance.now();
  const outp = await child.output();
  clearTimeout(timer);
  const elapsed = performance.now() - t0;
  assert.ok(elapsed < ms, `keel ${args.join(" ")} was killed after ${ms} ms`);
  return { code: outp.code, doc: JSON.parse(new TextDecoder().decode(outp.stdout)) };
}

function mkfifo(path: string): void {
  assert.ok(new Deno.Command("mkfifo", { args: [path] }).outputSync().success);
}

Deno.test("item 6: a WP file that is /dev/zero, a FIFO or a symlink out, and special lanes/meta files, are refused quickly", async (t) => {
  const out = await outsideFile();
  const cases: [string, (dir: string) => Promise<void> | void, string, string][] = [
    [
      "WP file -> /dev/zero",
      (d) => Deno.symlink("/dev/zero", join(d, "tasks", "WP09-x.md")),
      "PATH_SYMLINK_REFUSED",
      "tasks/WP09-x.md",
    ],
    [
      "WP file is a FIFO",
      (d) => mkfifo(join(d, "tasks", "WP09-x.md")),
      "PATH_NOT_REGULAR_FILE",
      "tasks/WP09-x.md",
    ],
    [
      "WP file -> outside file",
      (d) => Deno.symlink(out.file, join(d, "tasks", "WP09-x.md")),
      "PATH_SYMLINK_REFUSED",
      "tasks/WP09-x.md",
    ],
    [
      "lanes.json is a FIFO",
      async (d) => {
        await Deno.remove(join(d, "lanes.json")).catch(() => {});
        mkfifo(join(d, "lanes.json"));
      },
      "PATH_NOT_REGULAR_FILE",
      "lanes.json",
    ],
    [
      "meta.json -> /dev/zero",
      async (d) => {
        await Deno.remove(join(d, "meta.json"));
        await Deno.symlink("/dev/zero", join(d, "meta.json"));
      },
      "PATH_OUTSIDE_REPO",
      "meta.json",
    ],
    [
      "event log is a FIFO",
      async (d) => {
        await Deno.remove(join(d, "status.events.jsonl"));
        mkfifo(join(d, "status.events.jsonl"));
      },
      "PATH_NOT_REGULAR_FILE",
      "status.events.jsonl",
    ],
    [
      "WP file over the size cap",
      (d) => Deno.writeTextFile(join(d, "tasks", "WP09-x.md"), "x".repeat(9 * 1024 * 1024)),
      "FILE_TOO_LARGE",
      "tasks/WP09-x.md",
    ],
  ];
  try {
    for (const [name, plant, code, rel] of cases) {
      await t.step(name, async () => {
        const repo = await Deno.makeTempDir({ prefix: "keel-harden-" });
        try {
          const dir = await mission(repo);
          await plant(dir);
          for (
            const args of [["next", "--mission", SLUG], ["mission", "status", "--mission", SLUG]]
          ) {
            const r = await keelWithin(repo, args, 15_000);
            assert.equal(r.doc.error?.code, code, JSON.stringify(r.doc));
            assert.equal(r.code, 3);
            assert.equal(r.doc.error.data.path, `kitty-specs/${SLUG}/${rel}`);
            assert.ok(!JSON.stringify(r.doc).includes("SENTINEL"));
          }
        } finally {
          await Deno.remove(repo, { recursive: true });
        }
      });
    }
  } finally {
    await Deno.remove(out.dir, { recursive: true });
  }
});

/** Mount a small tmpfs (root only); `null` when this machine does not allow it. */
function tmpfs(sizeKb: number): { dir: string; remountRo: () => void; done: () => void } | null {
  const dir = Deno.makeTempDirSync({ prefix: "keel-tmpfs-" });
  const r = new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", `size=${sizeKb}k`, "tmpfs", dir],
    stderr: "null",
  }).outputSync();
  if (!r.success) {
    Deno.removeSync(dir);
    return null;
  }
  return {
    dir,
    remountRo: () => {
      const m = new Deno.Command("mount", { args: ["-o", "remount,ro", dir] }).outputSync();
      assert.ok(m.success, "remount read-only failed");
    },
    done: () => {
      new Deno.Command("umount", { args: [dir] }).outputSync();
      Deno.removeSync(dir, { recursive: true });
    },
  };
}

const CAN_MOUNT = (() => {
  const fs = tmpfs(64);
  fs?.done();
  return fs !== null;
})();

/** Fill the file system until a write fails with ENOSPC. */
function fill(dir: string): void {
  const f = Deno.openSync(join(dir, "filler.bin"), { write: true, create: true });
  const chunk = new Uint8Array(4096);
  try {
    while (true) f.writeSync(chunk);
  } catch {
    // full
  } finally {
    f.close();
  }
  try {
    Deno.writeTextFileSync(join(dir, "filler2.bin"), "x".repeat(100));
  } catch {
    // full
  }
}

function tmpFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of Deno.readDirSync(d)) {
      if (e.isDirectory) walk(join(d, e.name));
      else if (e.name.endsWith(".tmp")) out.push(join(d, e.name));
    }
  };
  walk(dir);
  return out;
}

Deno.test({
  name:
    "item 11: disk full and a read-only file system are DISK_FULL / READ_ONLY_FILESYSTEM (exit 3), nothing half-written (real tmpfs)",
  ignore: !CAN_MOUNT,
  fn: async () => {
    const fs = tmpfs(4096)!;
    try {
      const repo = join(fs.dir, "repo");
      await Deno.mkdir(repo);
      await mission(repo);
      const logPath = join(repo, "kitty-specs", SLUG, "status.events.jsonl");
      const logBefore = await Deno.readTextFile(logPath);
      fill(fs.dir);
      const init = await expectError(repo, ["init"], "DISK_FULL", 3);
      assert.equal(init.data.errno, "ENOSPC");
      assert.deepEqual(tmpFiles(repo), []);
      for (const kind of ["intent.json", "test_contract.json", "commit_plan.json"]) {
        const p = join(repo, ".keel", "contracts", "default", kind);
        const text = await Deno.readTextFile(p).catch(() => null);
        if (text !== null) JSON.parse(text); // complete, or absent: never partial
      }
      const claim = await expectError(
        repo,
        ["implement", "--no-workspace", "--mission", SLUG, "--agent", "alice"],
        "DISK_FULL",
        3,
      );
      assert.equal(claim.data.errno, "ENOSPC");
      assert.equal(await Deno.readTextFile(logPath), logBefore);
      await Deno.remove(join(fs.dir, "filler.bin"));
      await Deno.remove(join(fs.dir, "filler2.bin")).catch(() => {});
      fs.remountRo();
      const ro = await expectError(repo, ["init", "--force"], "READ_ONLY_FILESYSTEM", 3);
      assert.equal(ro.data.errno, "EROFS");
      await expectError(
        repo,
        ["implement", "--no-workspace", "--mission", SLUG, "--agent", "alice"],
        "READ_ONLY_FILESYSTEM",
        3,
      );
      assert.equal(await Deno.readTextFile(logPath), logBefore);
    } finally {
      fs.done();
    }
  },
});

Deno.test("item 13: a missing --repo is REPO_NOT_FOUND; a bare repository is refused and nothing is written into it", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "keel-harden-" });
  try {
    const missing = join(tmp, "nonexistent");
    for (const args of [["status"], ["init"], ["next", "--mission", "x"], ["doctor"]]) {
      const e = await expectError(tmp, [...args, "--repo", missing], "REPO_NOT_FOUND", 3);
      assert.deepEqual(e.data, { path: missing, reason: "missing" });
    }
    await assert.rejects(Deno.lstat(missing), Deno.errors.NotFound);
    const bare = join(tmp, "bare.git");
    assert.equal((await gitRun(tmp, ["init", "-q", "--bare", bare])).code, 0);
    const before = [...Deno.readDirSync(bare)].map((e) => e.name).sort();
    for (const args of [["init"], ["status"], ["doctor"], ["lessons"]]) {
      const e = await expectError(tmp, [...args, "--repo", bare], "REPO_NOT_FOUND", 3);
      assert.equal(e.data.reason, "bare_repository");
    }
    const e = await expectError(join(bare, "hooks"), ["init"], "REPO_NOT_FOUND", 3);
    assert.equal(e.data.reason, "bare_repository");
    assert.deepEqual([...Deno.readDirSync(bare)].map((e) => e.name).sort(), before);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("item 13: a folder where a file belongs is a keel error, and doctor reports it (never exit 70)", async (t) => {
  await t.step("run import-junit DIR", async () => {
    const { repo } = await runRepo();
    await Deno.mkdir(join(repo, "junit.xml"));
    await expectError(repo, ["run", "import-junit", "junit.xml"], "PATH_NOT_REGULAR_FILE", 3);
    await Deno.remove(repo, { recursive: true });
  });
  const cases: [string, string[], string][] = [
    [".keel/config.json", ["trust"], ".keel/config.json"],
    [".keel/lessons.jsonl", ["lessons"], ".keel/lessons.jsonl"],
    [".keel/contracts/default/intent.json", ["status"], ".keel/contracts/default/intent.json"],
  ];
  for (const [rel, args, shown] of cases) {
    await t.step(`${rel}/ is a folder`, async () => {
      const repo = await contractRepo();
      await Deno.remove(join(repo, rel)).catch(() => {});
      await Deno.mkdir(join(repo, rel, "inner"), { recursive: true });
      const e = await expectError(repo, args, "PATH_NOT_REGULAR_FILE", 3, shown);
      assert.equal(e.data.kind, "directory");
      const d = await kj(repo, ["doctor"]);
      assert.equal(d.code, 1, JSON.stringify(d.doc));
      const refused = d.doc.problems.filter((p: { code: string }) => p.code === "PATH_REFUSED");
      assert.deepEqual(
        refused.map((p: Doc) => [p.path, p.severity, p.evidence.error_code]),
        [[shown, "error", "PATH_NOT_REGULAR_FILE"]],
        JSON.stringify(d.doc.problems),
      );
      await Deno.remove(repo, { recursive: true });
    });
  }
});

Deno.test("item 17: doctor during a normal active run exits 0 (RUN_STARTER_EXITED is information)", async () => {
  const { repo } = await runRepo();
  try {
    const d = await kj(repo, ["doctor"]);
    assert.equal(d.code, 0, JSON.stringify(d.doc));
    assert.equal(d.doc.ok, true);
    assert.deepEqual(
      d.doc.problems.map((p: Doc) => [p.code, p.severity]),
      [["RUN_STARTER_EXITED", "info"]],
    );
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("item 14: a UTF-8 BOM in an artifact is accepted; a duplicate key is ARTIFACT_DUPLICATE_KEY naming key and line", async () => {
  const repo = await contractRepo();
  try {
    const dir = join(repo, ".keel", "contracts", "default");
    const intent = join(dir, "intent.json");
    await Deno.writeTextFile(intent, "\uFEFF" + await Deno.readTextFile(intent));
    const a = await kj(repo, ["approve", "intent", "--by", "me"]);
    assert.equal(a.code, 0, JSON.stringify(a.doc));
    const tc = join(dir, "test_contract.json");
    const text = await Deno.readTextFile(tc);
    const lines = text.split("\n");
    const at = lines.findIndex((l) => l.includes('"tests"'));
    assert.ok(at > 0);
    lines.splice(at, 0, '  "tests": [],');
    await Deno.writeTextFile(tc, lines.join("\n"));
    const e = await expectError(
      repo,
      ["approve", "tests", "--by", "me"],
      "ARTIFACT_DUPLICATE_KEY",
      3,
    );
    assert.deepEqual(e.data, {
      path: ".keel/contracts/default/test_contract.json",
      key: "tests",
      line: at + 2,
      column: 3,
    });
    const st = await kj(repo, ["status"]);
    const tests = st.doc.artifacts.find((x: Doc) => x.artifact === "tests");
    assert.deepEqual([tests.state, tests.error.code], ["invalid", "ARTIFACT_DUPLICATE_KEY"]);
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("item 16: next refuses a YAML alias bomb in a WP file, as status does (one reading per decision)", async () => {
  const repo = await Deno.makeTempDir({ prefix: "keel-harden-" });
  try {
    const dir = await mission(repo);
    const bomb = [
      "---",
      "work_package_id: WP03",
      "dependencies: []",
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
      "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
      "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
      "---",
      "# WP03",
      "",
    ].join("\n");
    await Deno.writeTextFile(join(dir, "tasks", "WP03-bomb.md"), bomb);
    const seen = [];
    for (const args of [["next", "--mission", SLUG], ["mission", "status", "--mission", SLUG]]) {
      const e = await expectError(repo, args, "WP_FRONTMATTER_INVALID", 3);
      seen.push(e.data.path);
    }
    assert.deepEqual(seen, ["tasks/WP03-bomb.md", "tasks/WP03-bomb.md"]);
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("item 15: init --from-wp lists the write-scope entries it dropped and why, and names the contract <mission>-<wp>", async () => {
  const repo = await Deno.makeTempDir({ prefix: "keel-harden-" });
  try {
    await writeMission(repo, {
      slug: "Long-" + "x".repeat(70) + "-01KTESTA",
      missionId: MID,
      wps: [{ id: "WP01" }, { id: "WP02" }],
      lanes: [{
        lane_id: "lane-a",
        wp_ids: ["WP01", "WP02"],
        write_scope: ["src/**", "/etc/passwd", "../outside/**", "", "./src/**", "docs/*.md"],
      }],
    });
    const slug = "Long-" + "x".repeat(70) + "-01KTESTA";
    const names = [];
    for (const wp of ["WP01", "wp02"]) {
      const r = await kj(repo, ["init", "--from-wp", `${slug}:${wp}`]);
      assert.equal(r.code, 0, JSON.stringify(r.doc));
      assert.deepEqual(r.doc.dropped_scope, [
        { entry: "/etc/passwd", reason: "absolute path" },
        { entry: "../outside/**", reason: "leaves the repository (..)" },
        { entry: "", reason: "empty" },
        { entry: "./src/**", reason: "duplicate" },
      ]);
      names.push(r.doc.contract);
      const intent = JSON.parse(
        await Deno.readTextFile(join(repo, ".keel", "contracts", r.doc.contract, "intent.json")),
      );
      assert.deepEqual(intent.allowed_files, ["src/**", "docs/*.md"]);
    }
    const stem = ("long-" + "x".repeat(70) + "-01ktesta").slice(0, 59);
    assert.deepEqual(names, [`${stem}-wp01`, `${stem}-wp02`]);
    const text = await keel(repo, ["init", "--from-wp", `${slug}:WP01`, "--force"]);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /"\/etc\/passwd": absolute path/);
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});
