import assert from "node:assert/strict";
import { join } from "node:path";
import { KeelError } from "../errors.ts";
import { atomicWriteText } from "./atomic_write.ts";
import { appendJsonl, readJsonl } from "./jsonl.ts";
import { withLock } from "./lock.ts";
import {
  ensureSafeDir,
  ioError,
  openForWrite,
  readRegularText,
  readRegularTextSync,
  safeReadTextFile,
} from "./safe_file.ts";

const SENTINEL = "SENTINEL-outside\n";

async function world(): Promise<
  { repo: string; out: string; keel: string; done: () => Promise<void> }
> {
  const repo = await Deno.makeTempDir({ prefix: "keel-safe-" });
  const out = await Deno.makeTempDir({ prefix: "keel-safe-out-" });
  await Deno.writeTextFile(join(out, "victim.txt"), SENTINEL);
  const keel = join(repo, ".keel");
  await Deno.mkdir(join(keel, "locks"), { recursive: true });
  return {
    repo,
    out,
    keel,
    done: async () => {
      await Deno.remove(repo, { recursive: true });
      await Deno.remove(out, { recursive: true });
    },
  };
}

async function refused(p: Promise<unknown>, code: string, path?: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof KeelError, `not a KeelError: ${e}`);
    assert.equal(e.code, code, e.message);
    if (path !== undefined) assert.equal(e.data.path, path);
    return true;
  });
}

function mkfifo(path: string): void {
  const r = new Deno.Command("mkfifo", { args: [path] }).outputSync();
  assert.ok(r.success, "mkfifo failed");
}

Deno.test("every store writer refuses a symlink at the file and never writes through it", async () => {
  const w = await world();
  try {
    const victim = join(w.out, "victim.txt");
    const lock = join(w.keel, "locks", "mission-x.lock");
    await Deno.symlink(victim, lock);
    await refused(
      withLock(lock, () => Promise.resolve(1)),
      "PATH_SYMLINK_REFUSED",
      ".keel/locks/mission-x.lock",
    );
    const target = join(w.keel, "active", "default.json");
    await Deno.mkdir(join(w.keel, "active"));
    await Deno.symlink(victim, target);
    await refused(
      atomicWriteText(target, "{}"),
      "PATH_SYMLINK_REFUSED",
      ".keel/active/default.json",
    );
    const log = join(w.keel, "lessons.jsonl");
    await Deno.symlink(victim, log);
    await refused(appendJsonl(log, [{ a: 1 }]), "PATH_SYMLINK_REFUSED", ".keel/lessons.jsonl");
    await refused(readJsonl(log), "PATH_SYMLINK_REFUSED", ".keel/lessons.jsonl");
    // A dangling symlink (to a file that does not exist yet) is refused too.
    const dangling = join(w.keel, "locks", "run-default.lock");
    await Deno.symlink(join(w.out, "new.txt"), dangling);
    await refused(withLock(dangling, () => Promise.resolve(1)), "PATH_SYMLINK_REFUSED");
    await assert.rejects(Deno.lstat(join(w.out, "new.txt")), Deno.errors.NotFound);
    assert.equal(await Deno.readTextFile(victim), SENTINEL);
    assert.deepEqual([...Deno.readDirSync(w.out)].map((e) => e.name), ["victim.txt"]);
    // No temp file is left behind by the refused atomic write.
    assert.deepEqual([...Deno.readDirSync(join(w.keel, "active"))].map((e) => e.name), [
      "default.json",
    ]);
  } finally {
    await w.done();
  }
});

Deno.test("a symlinked folder anywhere under .keel/ or kitty-specs/ is refused, even inside the repo", async () => {
  const w = await world();
  try {
    await Deno.mkdir(join(w.repo, "elsewhere"));
    await Deno.remove(join(w.keel, "locks"));
    await Deno.symlink("../elsewhere", join(w.keel, "locks"));
    await refused(
      withLock(join(w.keel, "locks", "a.lock"), () => Promise.resolve(1)),
      "PATH_SYMLINK_REFUSED",
      ".keel/locks",
    );
    await Deno.mkdir(join(w.keel, "runs", "R1"), { recursive: true });
    await Deno.symlink(w.out, join(w.keel, "runs", "R1", "evidence"));
    await refused(
      ensureSafeDir(join(w.keel, "runs", "R1", "evidence", "deeper")),
      "PATH_SYMLINK_REFUSED",
      ".keel/runs/R1/evidence",
    );
    await refused(
      readRegularText(join(w.keel, "runs", "R1", "evidence", "victim.txt")),
      "PATH_SYMLINK_REFUSED",
    );
    const ks = join(w.repo, "kitty-specs", "m");
    await Deno.mkdir(ks, { recursive: true });
    await Deno.symlink("../../elsewhere", join(ks, "tasks"));
    await refused(
      openForWrite(join(ks, "tasks", "WP01.md")),
      "PATH_SYMLINK_REFUSED",
      "kitty-specs/m/tasks",
    );
    assert.deepEqual([...Deno.readDirSync(join(w.repo, "elsewhere"))], []);
    assert.deepEqual([...Deno.readDirSync(w.out)].map((e) => e.name), ["victim.txt"]);
  } finally {
    await w.done();
  }
});

Deno.test("FIFOs, folders, devices and hard links are not opened for writing; FIFOs and devices are not read", async () => {
  const w = await world();
  try {
    const fifo = join(w.keel, "locks", "fifo.lock");
    mkfifo(fifo);
    await refused(withLock(fifo, () => Promise.resolve(1)), "PATH_NOT_REGULAR_FILE");
    await refused(readRegularText(fifo), "PATH_NOT_REGULAR_FILE");
    const dir = join(w.keel, "config.json");
    await Deno.mkdir(dir);
    await refused(atomicWriteText(dir, "{}"), "PATH_NOT_REGULAR_FILE", ".keel/config.json");
    await refused(safeReadTextFile(dir), "PATH_NOT_REGULAR_FILE", ".keel/config.json");
    const zero = join(w.keel, "zero");
    await Deno.symlink("/dev/zero", zero);
    await refused(readRegularText(zero), "PATH_SYMLINK_REFUSED");
    const hard = join(w.keel, "locks", "hard.lock");
    await Deno.link(join(w.out, "victim.txt"), hard);
    await refused(withLock(hard, () => Promise.resolve(1)), "PATH_NOT_REGULAR_FILE");
    assert.equal(await Deno.readTextFile(join(w.out, "victim.txt")), SENTINEL);
  } finally {
    await w.done();
  }
});

Deno.test("reads are capped: a file over the limit is FILE_TOO_LARGE", async () => {
  const w = await world();
  try {
    const p = join(w.keel, "big.json");
    await Deno.writeTextFile(p, "x".repeat(2000));
    await refused(readRegularText(p, { maxBytes: 1000 }), "FILE_TOO_LARGE", ".keel/big.json");
    assert.equal((await readRegularText(p, { maxBytes: 2000 }))?.length, 2000);
    assert.equal(await readRegularText(join(w.keel, "missing.json")), null);
  } finally {
    await w.done();
  }
});

Deno.test("ENOSPC, EDQUOT, EROFS, EACCES and EPERM become keel errors with exit 3", () => {
  const cases: [Error, string, string][] = [
    [new Error("No space left on device (os error 28)"), "DISK_FULL", "ENOSPC"],
    [new Error("Disk quota exceeded (os error 122)"), "DISK_FULL", "EDQUOT"],
    [new Error("Read-only file system (os error 30)"), "READ_ONLY_FILESYSTEM", "EROFS"],
    [
      new Deno.errors.PermissionDenied("Permission denied (os error 13)"),
      "PERMISSION_DENIED",
      "EACCES",
    ],
    [new Error("Operation not permitted (os error 1)"), "PERMISSION_DENIED", "EPERM"],
  ];
  for (const [error, code, errno] of cases) {
    const e = ioError(error, "/r/.keel/runs/X/run_report.json");
    assert.ok(e instanceof KeelError);
    assert.equal(e.code, code);
    assert.equal(e.exitCode, 3);
    assert.deepEqual(e.data, { path: ".keel/runs/X/run_report.json", errno });
  }
  const other = new Error("Broken pipe (os error 32)");
  assert.equal(ioError(other), other);
});

Deno.test("the synchronous reader refuses and returns exactly what the asynchronous one does", async () => {
  const w = await world();
  const outcome = (f: () => unknown): string => {
    try {
      return `ok ${JSON.stringify(f())}`;
    } catch (e) {
      assert.ok(e instanceof KeelError, `not a KeelError: ${e}`);
      return `${e.code} ${JSON.stringify(e.data)}`;
    }
  };
  try {
    const ks = join(w.repo, "kitty-specs", "m");
    await Deno.mkdir(join(ks, "tasks"), { recursive: true });
    await Deno.writeTextFile(join(ks, "tasks", "WP01.md"), "é\n".repeat(300));
    await Deno.writeTextFile(join(ks, "tasks", "empty.md"), "");
    await Deno.writeFile(join(ks, "tasks", "bad.md"), new Uint8Array([0x61, 0xff, 0x62]));
    await Deno.symlink(join(w.out, "victim.txt"), join(ks, "tasks", "WP02.md"));
    await Deno.symlink("/dev/zero", join(ks, "tasks", "WP03.md"));
    mkfifo(join(ks, "tasks", "WP04.md"));
    await Deno.mkdir(join(ks, "tasks", "WP05.md"));
    await Deno.mkdir(join(w.repo, "kitty-specs", "n"));
    await Deno.symlink(w.out, join(w.repo, "kitty-specs", "n", "tasks"));
    const cases: [string, number | undefined][] = [
      [join(ks, "tasks", "WP01.md"), undefined],
      [join(ks, "tasks", "WP01.md"), 900],
      [join(ks, "tasks", "WP01.md"), 899],
      [join(ks, "tasks", "empty.md"), undefined],
      [join(ks, "tasks", "bad.md"), undefined],
      [join(ks, "tasks", "WP02.md"), undefined],
      [join(ks, "tasks", "WP03.md"), undefined],
      [join(ks, "tasks", "WP04.md"), undefined],
      [join(ks, "tasks", "WP05.md"), undefined],
      [join(ks, "tasks", "missing.md"), undefined],
      [join(w.repo, "kitty-specs", "n", "tasks", "victim.txt"), undefined],
    ];
    const expected = [
      `ok ${JSON.stringify("é\n".repeat(300))}`,
      `ok ${JSON.stringify("é\n".repeat(300))}`,
      'FILE_TOO_LARGE {"path":"kitty-specs/m/tasks/WP01.md","size":900,"limit":899}',
      'ok ""',
      'ok "a\uFFFDb"',
    ];
    for (const [i, [path, maxBytes]] of cases.entries()) {
      const opts = maxBytes === undefined ? {} : { maxBytes };
      const sync = outcome(() => readRegularTextSync(path, opts));
      let asyncOutcome: string;
      try {
        asyncOutcome = `ok ${JSON.stringify(await readRegularText(path, opts))}`;
      } catch (e) {
        assert.ok(e instanceof KeelError, `not a KeelError: ${e}`);
        asyncOutcome = `${e.code} ${JSON.stringify(e.data)}`;
      }
      assert.equal(sync, asyncOutcome, path);
      if (expected[i] !== undefined) assert.equal(sync, expected[i], path);
    }
    assert.match(outcome(() => readRegularTextSync(cases[5]![0])), /^PATH_SYMLINK_REFUSED /);
    assert.match(outcome(() => readRegularTextSync(cases[7]![0])), /^PATH_NOT_REGULAR_FILE /);
    assert.equal(outcome(() => readRegularTextSync(cases[9]![0])), "ok null");
    assert.match(outcome(() => readRegularTextSync(cases[10]![0])), /^PATH_SYMLINK_REFUSED /);
    assert.equal(await Deno.readTextFile(join(w.out, "victim.txt")), SENTINEL);
  } finally {
    await w.done();
  }
});

Deno.test("readers never refuse a regular file that another process replaces by rename (atomic writes)", async () => {
  const w = await world();
  const target = join(w.keel, "run_report.json");
  await Deno.writeTextFile(target, '{"v":0}\n');
  // A real second process, as in concurrent `run record`: write a temp file, rename it over.
  // It stops by itself when `stop` appears (killing the shell would leave its `mv` running).
  const stop = join(w.out, "stop");
  const writer = new Deno.Command("sh", {
    args: [
      "-c",
      'i=0; while [ "$i" -lt 200000 ] && [ ! -e "$2" ]; do ' +
      'echo "{\\"v\\":$i}" > "$1.tmp"; mv -f "$1.tmp" "$1"; i=$((i+1)); done',
      "sh",
      target,
      stop,
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    for (let i = 0; i < 3000; i++) {
      const text = i % 2 === 0 ? await readRegularText(target) : readRegularTextSync(target);
      assert.match(text ?? "", /^\{"v":\d+\}\n$/);
      // Writes through the same check (the run report is rewritten in place by the store).
      if (i % 100 === 0) (await openForWrite(target, { read: true })).close();
    }
  } finally {
    await Deno.writeTextFile(stop, "");
    await writer.status;
    await w.done();
  }
});

Deno.test("atomicWriteText() removes what a killed earlier write to the same file left, never a live writer's", async () => {
  const w = await world();
  try {
    const target = join(w.keel, "meta.json");
    await Deno.writeTextFile(target, "{}\n");
    const exited = new Deno.Command("true").spawn();
    await exited.status;
    const live = new Deno.Command("sleep", { args: ["30"] }).spawn();
    const dead = join(w.keel, `.meta.json.${exited.pid}.0123abcd.tmp`);
    const running = join(w.keel, `.meta.json.${live.pid}.89abcdef.tmp`);
    const other = join(w.keel, `.other.json.${exited.pid}.0123abcd.tmp`);
    for (const p of [dead, running, other]) await Deno.writeTextFile(p, "partial");
    try {
      await atomicWriteText(target, '{"v":1}\n');
      assert.equal(await Deno.readTextFile(target), '{"v":1}\n');
      const left = [];
      for await (const e of Deno.readDir(w.keel)) if (e.name.endsWith(".tmp")) left.push(e.name);
      assert.deepEqual(left.sort(), [
        `.meta.json.${live.pid}.89abcdef.tmp`,
        `.other.json.${exited.pid}.0123abcd.tmp`,
      ]);
    } finally {
      live.kill("SIGKILL");
      await live.status;
    }
  } finally {
    await w.done();
  }
});
