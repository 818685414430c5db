import assert from "node:assert/strict";
import { join } from "node:path";
import { writeMission } from "../testing/mission.ts";
import { contractRepo, keel, runRepo } from "../scripts/stress.ts";
import { finding, fixtureReport } from "./retro_fixtures.ts";
import { git } from "./helpers.ts";

const MID = "01KTESTAAAAAAAAAAAAAAAAAAA";
const SENTINEL = "SENTINEL-7f3a9c";

/** Every file under `dir` with its bytes and mtime: a write outside shows up here. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of Deno.readDirSync(d)) {
      const p = join(d, e.name);
      const st = Deno.lstatSync(p);
      if (st.isDirectory) {
        out.set(p + "/", "dir");
        walk(p);
      } else {
        const body = st.isFile ? Deno.readTextFileSync(p) : `-> ${Deno.readLinkSync(p)}`;
        out.set(p, `${st.mtime?.getTime()}:${body}`);
      }
    }
  };
  walk(dir);
  return out;
}

/** An outside folder holding sentinel copies of keel's files. */
async function outside(): Promise<string> {
  const out = await Deno.makeTempDir({ prefix: "keel-outside-" });
  await Deno.writeTextFile(join(out, "sentinel.txt"), SENTINEL);
  return out;
}

interface Attempt {
  args: string[];
  code: string;
  exit?: number;
}

/** Run each attempt: refused with its stable code, no sentinel text echoed, nothing outside changed. */
async function refuse(repo: string, out: string, attempts: Attempt[]): Promise<void> {
  const before = snapshot(out);
  for (const a of attempts) {
    const dash = a.args.indexOf("--");
    const args = dash < 0
      ? [...a.args, "--json"]
      : [...a.args.slice(0, dash), "--json", ...a.args.slice(dash)];
    const r = await keel(repo, args);
    let doc;
    try {
      doc = JSON.parse(r.stdout);
    } catch {
      throw new Error(
        `keel ${a.args.join(" ")}: not JSON (exit ${r.code}): ${r.stdout}${r.stderr}`,
      );
    }
    assert.equal(doc.error?.code, a.code, `keel ${a.args.join(" ")}: ${r.stdout}`);
    assert.equal(r.code, a.exit ?? 3, `keel ${a.args.join(" ")} exit`);
    assert.ok(!r.stdout.includes(SENTINEL), `keel ${a.args.join(" ")} echoed outside content`);
    assert.ok(!r.stderr.includes(SENTINEL), `keel ${a.args.join(" ")} echoed outside content`);
  }
  assert.deepEqual(snapshot(out), before, "something outside the repository was written");
}

async function withDirs(fn: (dirs: { out: string }) => Promise<void>): Promise<void> {
  const out = await outside();
  try {
    await fn({ out });
  } finally {
    await Deno.remove(out, { recursive: true });
  }
}

Deno.test("a contract folder that is a symlink outside the repository is refused", async () => {
  const repo = await contractRepo();
  await withDirs(async ({ out }) => {
    try {
      const src = join(repo, ".keel", "contracts", "default");
      await Deno.mkdir(join(out, "contract"));
      for (const f of ["intent.json", "test_contract.json", "commit_plan.json"]) {
        const v = JSON.parse(await Deno.readTextFile(join(src, f)));
        if (f === "intent.json") v.goal = SENTINEL;
        await Deno.writeTextFile(join(out, "contract", f), JSON.stringify(v, null, 2));
      }
      await Deno.symlink(join(out, "contract"), join(repo, ".keel", "contracts", "evil"));
      await refuse(repo, out, [
        { args: ["approve", "all", "--by", "x", "--contract", "evil"], code: "PATH_OUTSIDE_REPO" },
        { args: ["status", "--contract", "evil"], code: "PATH_OUTSIDE_REPO" },
        { args: ["validate", "--contract", "evil"], code: "PATH_OUTSIDE_REPO" },
        { args: ["run", "start", "--contract", "evil"], code: "PATH_OUTSIDE_REPO" },
        { args: ["init", "evil", "--force"], code: "PATH_OUTSIDE_REPO" },
      ]);
    } finally {
      await Deno.remove(repo, { recursive: true });
    }
  });
});

Deno.test("contract artifacts that are symlinks to outside files are refused", async () => {
  const repo = await contractRepo();
  await withDirs(async ({ out }) => {
    try {
      const intent = join(repo, ".keel", "contracts", "default", "intent.json");
      const v = JSON.parse(await Deno.readTextFile(intent));
      v.goal = SENTINEL;
      await Deno.writeTextFile(join(out, "intent.json"), JSON.stringify(v, null, 2));
      await Deno.remove(intent);
      await Deno.symlink(join(out, "intent.json"), intent);
      await refuse(repo, out, [
        { args: ["approve", "all", "--by", "x"], code: "PATH_OUTSIDE_REPO" },
        { args: ["status"], code: "PATH_OUTSIDE_REPO" },
        { args: ["validate"], code: "PATH_OUTSIDE_REPO" },
      ]);
    } finally {
      await Deno.remove(repo, { recursive: true });
    }
  });
});

Deno.test(".keel, lessons.jsonl or a run folder pointing outside is refused", async (t) => {
  await withDirs(async ({ out }) => {
    await t.step(".keel is a symlink to an outside folder", async () => {
      const repo = await contractRepo();
      try {
        await Deno.rename(join(repo, ".keel"), join(out, "keel"));
        await Deno.symlink(join(out, "keel"), join(repo, ".keel"));
        await refuse(repo, out, [
          { args: ["status"], code: "PATH_OUTSIDE_REPO" },
          { args: ["approve", "all", "--by", "x"], code: "PATH_OUTSIDE_REPO" },
          { args: ["init", "--force"], code: "PATH_OUTSIDE_REPO" },
          { args: ["retro"], code: "PATH_OUTSIDE_REPO" },
          { args: ["lessons"], code: "PATH_OUTSIDE_REPO" },
        ]);
      } finally {
        await Deno.remove(repo, { recursive: true });
      }
    });

    await t.step("lessons.jsonl is a symlink to an outside file", async () => {
      const repo = await Deno.makeTempDir({ prefix: "keel-ps-" });
      try {
        await git(repo, "init", "-q");
        const report = fixtureReport({
          minute: 0,
          domain: "ui",
          findings: [finding("F1", "TEST_UNPLANNED")],
        });
        const dir = join(repo, ".keel", "runs", report.run_id);
        await Deno.mkdir(dir, { recursive: true });
        await Deno.writeTextFile(join(dir, "run_report.json"), JSON.stringify(report));
        await Deno.writeTextFile(join(out, "lessons.jsonl"), `{"sentinel":"${SENTINEL}"}\n`);
        await Deno.symlink(join(out, "lessons.jsonl"), join(repo, ".keel", "lessons.jsonl"));
        await refuse(repo, out, [
          { args: ["retro"], code: "PATH_OUTSIDE_REPO" },
          { args: ["lessons"], code: "PATH_OUTSIDE_REPO" },
        ]);
      } finally {
        await Deno.remove(repo, { recursive: true });
      }
    });

    await t.step(
      "lessons.jsonl is a dangling symlink to a file that does not exist yet",
      async () => {
        const repo = await Deno.makeTempDir({ prefix: "keel-ps-" });
        try {
          await git(repo, "init", "-q");
          const report = fixtureReport({
            minute: 0,
            domain: "ui",
            findings: [finding("F1", "TEST_UNPLANNED")],
          });
          const dir = join(repo, ".keel", "runs", report.run_id);
          await Deno.mkdir(dir, { recursive: true });
          await Deno.writeTextFile(join(dir, "run_report.json"), JSON.stringify(report));
          await Deno.symlink(join(out, "new-lessons.jsonl"), join(repo, ".keel", "lessons.jsonl"));
          await refuse(repo, out, [{ args: ["retro"], code: "PATH_OUTSIDE_REPO" }]);
          await assert.rejects(Deno.lstat(join(out, "new-lessons.jsonl")), Deno.errors.NotFound);
        } finally {
          await Deno.remove(repo, { recursive: true });
        }
      },
    );

    await t.step("a run folder and an evidence folder that are symlinks outside", async () => {
      const { repo, runId } = await runRepo();
      try {
        const runDir = join(repo, ".keel", "runs", runId);
        await Deno.mkdir(join(out, "evidence"));
        await Deno.symlink(join(out, "evidence"), join(runDir, "evidence"));
        await refuse(repo, out, [
          {
            args: ["run", "exec", "unit", "--", "touch", join(repo, "ran.txt")],
            code: "PATH_OUTSIDE_REPO",
          },
        ]);
        await assert.rejects(Deno.stat(join(repo, "ran.txt")), Deno.errors.NotFound);
        await Deno.remove(join(runDir, "evidence"));
        await Deno.rename(runDir, join(out, "run"));
        await Deno.symlink(join(out, "run"), runDir);
        await refuse(repo, out, [
          { args: ["run", "record", "unit", "--status", "passed"], code: "PATH_OUTSIDE_REPO" },
          { args: ["run", "finish"], code: "PATH_OUTSIDE_REPO" },
          { args: ["drift", "--run", runId], code: "PATH_OUTSIDE_REPO" },
        ]);
      } finally {
        await Deno.remove(repo, { recursive: true });
      }
    });
  });
});

Deno.test("run ids that are not ULIDs and contract names that are paths are refused", async () => {
  const made = await runRepo();
  // The repository alone in a fresh parent, so anything written beside it shows.
  const parent = await Deno.makeTempDir({ prefix: "keel-ps-parent-" });
  const repo = join(parent, "repo");
  await Deno.rename(made.repo, repo);
  await withDirs(async ({ out }) => {
    try {
      const beforeParent = [...Deno.readDirSync(parent)].map((e) => e.name).sort();
      const rel = `../${out.split("/").at(-1)}`;
      await refuse(repo, out, [
        { args: ["drift", "--run", `../../${rel}`], code: "RUN_NOT_FOUND" },
        { args: ["retro", "--run", "../x"], code: "RUN_NOT_FOUND" },
        { args: ["run", "record", "t", "--status", "passed", "--run", rel], code: "RUN_NOT_FOUND" },
        { args: ["run", "finish", "--run", "/tmp"], code: "RUN_NOT_FOUND" },
        { args: ["init", rel], code: "CONTRACT_NOT_FOUND" },
        { args: ["init", "a/b"], code: "CONTRACT_NOT_FOUND" },
        { args: ["status", "--contract", "../../etc"], code: "CONTRACT_NOT_FOUND" },
        { args: ["approve", "all", "--by", "x", "--contract", "x\ny"], code: "CONTRACT_NOT_FOUND" },
      ]);
      assert.deepEqual([...Deno.readDirSync(parent)].map((e) => e.name).sort(), beforeParent);
    } finally {
      await Deno.remove(parent, { recursive: true });
    }
  });
});

Deno.test("mission handles with / or .., and missions symlinked outside, are refused", async (t) => {
  await withDirs(async ({ out }) => {
    const repo = await Deno.makeTempDir({ prefix: "keel-ps-mission-" });
    try {
      await writeMission(repo, { slug: "real-01KTESTA", missionId: MID, wps: [{ id: "WP01" }] });
      const outMission = await writeMission(join(out, "specs"), {
        slug: "evil-01KTESTB",
        missionId: "01KTESTBBBBBBBBBBBBBBBBBBB",
        wps: [{ id: "WP01" }, { id: "WP02" }],
      });
      await Deno.writeTextFile(
        join(outMission, "tasks", "WP02-work.md"),
        `---\nwork_package_id: WP02\ntitle: ${SENTINEL}\n---\n`,
      );
      await t.step("handles that are paths", async () => {
        await refuse(repo, out, [
          { args: ["next", "--mission", "../real-01KTESTA"], code: "MISSION_NOT_FOUND" },
          {
            args: ["implement", "--no-workspace", "--mission", "real-01KTESTA/..", "--agent", "a"],
            code: "MISSION_NOT_FOUND",
          },
          { args: ["mission", "status", "--mission", outMission], code: "MISSION_NOT_FOUND" },
          {
            args: [
              "implement",
              "--no-workspace",
              "--mission",
              `../../${outMission}`,
              "--agent",
              "a",
            ],
            code: "MISSION_NOT_FOUND",
          },
        ]);
      });
      await t.step("a mission folder that is a symlink outside", async () => {
        await Deno.symlink(outMission, join(repo, "kitty-specs", "evil-01KTESTB"));
        await refuse(repo, out, [
          {
            args: ["implement", "--no-workspace", "--mission", "evil-01KTESTB", "--agent", "a"],
            code: "PATH_OUTSIDE_REPO",
          },
          { args: ["next", "--mission", "evil-01KTESTB"], code: "PATH_OUTSIDE_REPO" },
          { args: ["mission", "status", "--mission", "evil-01KTESTB"], code: "PATH_OUTSIDE_REPO" },
          {
            args: ["review", "--mission", "evil-01KTESTB", "--mode", "lightweight"],
            code: "PATH_OUTSIDE_REPO",
          },
          { args: ["merge", "--mission", "evil-01KTESTB", "--dry-run"], code: "PATH_OUTSIDE_REPO" },
        ]);
        await Deno.remove(join(repo, "kitty-specs", "evil-01KTESTB"));
      });
      await t.step("an event log that is a symlink to an outside file", async () => {
        const log = join(repo, "kitty-specs", "real-01KTESTA", "status.events.jsonl");
        await Deno.rename(log, join(out, "status.events.jsonl"));
        await Deno.symlink(join(out, "status.events.jsonl"), log);
        await refuse(repo, out, [
          {
            args: ["implement", "--no-workspace", "--mission", "real-01KTESTA", "--agent", "a"],
            code: "PATH_OUTSIDE_REPO",
          },
        ]);
        await Deno.remove(log);
        await Deno.rename(join(out, "status.events.jsonl"), log);
      });
      await t.step("kitty-specs itself a symlink outside", async () => {
        await Deno.rename(join(repo, "kitty-specs"), join(out, "kitty-specs"));
        await Deno.symlink(join(out, "kitty-specs"), join(repo, "kitty-specs"));
        await git(repo, "init", "-q");
        await refuse(repo, out, [
          {
            args: ["implement", "--no-workspace", "--mission", "real-01KTESTA", "--agent", "a"],
            code: "PATH_OUTSIDE_REPO",
          },
          { args: ["mission", "list"], code: "PATH_OUTSIDE_REPO" },
        ]);
      });
    } finally {
      await Deno.remove(repo, { recursive: true });
    }
  });
});

Deno.test("globs that escape the repository are findings; approve refuses them", async () => {
  const repo = await contractRepo();
  try {
    const intent = join(repo, ".keel", "contracts", "default", "intent.json");
    const v = JSON.parse(await Deno.readTextFile(intent));
    v.allowed_files = ["src/**", "../outside/**", "/etc/**", "docs/\nx.md", "src/../../up"];
    await Deno.writeTextFile(intent, JSON.stringify(v, null, 2));
    const r = await keel(repo, ["validate", "--json"]);
    const codes = (JSON.parse(r.stdout).findings as { code: string }[]).map((f) => f.code);
    for (const c of ["PATH_ESCAPES_REPO", "PATH_ABSOLUTE", "PATH_CONTROL_CHARACTER"]) {
      assert.ok(codes.includes(c), `${c} in ${codes.join(",")}`);
    }
    assert.equal(codes.filter((c) => c === "PATH_ESCAPES_REPO").length, 2);
    const a = await keel(repo, ["approve", "all", "--by", "x", "--json"]);
    assert.equal(a.code, 1);
    assert.equal(JSON.parse(a.stdout).error.code, "CONTRACT_INVALID");
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("test ids and file names with newlines and slashes stay inside the run", async () => {
  const { repo, runId } = await runRepo();
  await withDirs(async ({ out }) => {
    try {
      const before = snapshot(out);
      const evil = `../../../${out.split("/").at(-1)}/x\nnl`;
      const r = await keel(repo, ["run", "exec", evil, "--json", "--", "true"]);
      assert.equal(r.code, 0, r.stdout);
      const rec = JSON.parse(r.stdout).record;
      assert.equal(rec.test_id, evil);
      assert.match(rec.evidence, /^evidence\/[A-Za-z0-9._-]+-1\.log$/);
      await Deno.stat(join(repo, ".keel", "runs", runId, rec.evidence));
      const rec2 = await keel(repo, [
        "run",
        "record",
        "line\nbreak",
        "--status",
        "passed",
        "--json",
      ]);
      assert.equal(rec2.code, 0);
      // A committed file whose name holds a newline is reported by its exact name.
      await Deno.mkdir(join(repo, "src"));
      await Deno.writeTextFile(join(repo, "src", "we\nird.ts"), "x\n");
      await git(repo, "add", "-A", "src");
      await git(repo, "commit", "-qm", "weird name");
      const fin = await keel(repo, ["run", "finish", "--json"]);
      assert.ok(fin.code === 0 || fin.code === 1, fin.stdout + fin.stderr);
      const files = (JSON.parse(fin.stdout).files as { path: string }[]).map((f) => f.path);
      assert.ok(files.includes("src/we\nird.ts"), JSON.stringify(files));
      assert.deepEqual(snapshot(out), before);
    } finally {
      await Deno.remove(repo, { recursive: true });
    }
  });
});
