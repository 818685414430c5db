import assert from "node:assert/strict";
import { editJson, keel, keelJson, readJson, tempRepo, writeFile } from "./helpers.ts";

const C = ".keel/contracts/default";

/** A repo with an approved contract (tests unit, lint, junit-matched api and smoke*) and a run. */
async function repoWithRun(): Promise<{ repo: string; runId: string }> {
  const repo = await tempRepo();
  assert.equal((await keelJson(repo, ["init"])).code, 0);
  await editJson(`${repo}/${C}/intent.json`, (v) => {
    v.goal = "Add the parser";
    v.constraints = [];
  });
  await editJson(`${repo}/${C}/test_contract.json`, (v) => {
    v.tests = [
      { id: "unit", command: "deno test", required: true, gate: "finish" },
      { id: "lint", command: "deno lint", required: true, gate: "finish" },
      { id: "api", junit_name: "pkg.Api.get", required: true, gate: "finish" },
      { id: "smoke", junit_name: "smoke*", required: false, gate: "advisory" },
    ];
  });
  await editJson(`${repo}/${C}/commit_plan.json`, (v) => {
    v.units = [{
      id: "u1",
      summary: "parser",
      files: ["src/**"],
      tests: ["unit", "lint"],
      depends_on: [],
    }];
  });
  const a = await keelJson(repo, ["approve", "all", "--by", "me"]);
  assert.equal(a.code, 0, JSON.stringify(a.json));
  const s = await keelJson(repo, ["run", "start"]);
  assert.equal(s.code, 0, JSON.stringify(s.json));
  return { repo, runId: s.json.run_id as string };
}

type Report = {
  tests: {
    test_id: string;
    planned: boolean;
    status: string;
    source: string;
    exit_code?: number | null;
    command?: string[] | null;
    evidence?: string | null;
    output_truncated?: boolean;
    reason?: string | null;
    note?: string | null;
    batch?: string;
    junit?: { classname: string | null; name: string; outcome: string };
  }[];
};

function report(repo: string, runId: string): Promise<Report> {
  return readJson<Report>(`${repo}/.keel/runs/${runId}/run_report.json`);
}

Deno.test("run exec records exit code, status, command and evidence", async (t) => {
  const { repo, runId } = await repoWithRun();
  try {
    await t.step("a passing command: exit 0, output streamed and kept", async () => {
      const r = await keel(repo, [
        "run",
        "exec",
        "unit",
        "--",
        "sh",
        "-c",
        "echo out-line; echo err-line >&2",
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /out-line/);
      assert.match(r.stderr, /err-line/);
      assert.match(r.stdout, /Test unit: passed/);
      const rep = await report(repo, runId);
      const rec = rep.tests[0]!;
      assert.equal(rec.test_id, "unit");
      assert.equal(rec.planned, true);
      assert.equal(rec.status, "passed");
      assert.equal(rec.source, "exec");
      assert.equal(rec.exit_code, 0);
      assert.deepEqual(rec.command, ["sh", "-c", "echo out-line; echo err-line >&2"]);
      assert.equal(rec.evidence, "evidence/unit-1.log");
      const ev = await Deno.readTextFile(`${repo}/.keel/runs/${runId}/evidence/unit-1.log`);
      assert.match(ev, /out-line/);
      assert.match(ev, /err-line/);
      assert.match(ev, /# keel: passed/);
    });
    await t.step(
      "a failing command: exit 1, the code recorded, a second evidence file",
      async () => {
        const r = await keelJson(repo, [
          "run",
          "exec",
          "unit",
          "--json",
          "--",
          "sh",
          "-c",
          "exit 7",
        ]);
        assert.equal(r.code, 1);
        const rec = r.json.record as Report["tests"][0];
        assert.equal(rec.status, "failed");
        assert.equal(rec.exit_code, 7);
        assert.equal(rec.reason, "exit code 7");
        assert.equal(rec.evidence, "evidence/unit-2.log");
      },
    );
    await t.step("arguments are passed without a shell", async () => {
      const r = await keel(repo, ["run", "exec", "lint", "--", "echo", "$HOME", "a b", ";", "ls"]);
      assert.equal(r.code, 0);
      const ev = await Deno.readTextFile(`${repo}/.keel/runs/${runId}/evidence/lint-1.log`);
      assert.match(ev, /^\$HOME a b ; ls$/m);
    });
    await t.step("a command that does not exist is recorded as error with the reason", async () => {
      const r = await keel(repo, ["run", "exec", "unit", "--json", "--", "no-such-command-xyz"]);
      assert.equal(r.code, 1);
      const err = JSON.parse(r.stdout).error;
      assert.equal(err.code, "TEST_COMMAND_FAILED_TO_START");
      assert.equal(err.data.test_id, "unit");
      assert.equal(err.data.reason, "command not found: no-such-command-xyz");
      const rec = (await report(repo, runId)).tests.at(-1)!;
      assert.equal(rec.status, "error");
      assert.equal(rec.reason, "command not found: no-such-command-xyz");
      assert.equal(rec.exit_code, null);
    });
    await t.step("a test id the contract does not know is unplanned, not rejected", async () => {
      const r = await keelJson(repo, ["run", "exec", "extra", "--json", "--", "true"]);
      assert.equal(r.code, 0);
      assert.equal((r.json.record as { planned: boolean }).planned, false);
    });
    await t.step("very large output keeps the tail and says it was cut", async () => {
      const script = "head -c 1500000 /dev/zero | tr '\\0' a; echo; echo THE-END";
      const r = await keel(repo, ["run", "exec", "big", "--json", "--", "sh", "-c", script]);
      assert.equal(r.code, 0);
      const rec = JSON.parse(r.stdout).record;
      assert.equal(rec.output_truncated, true);
      assert.equal(rec.output_bytes, 1500000 + 1 + 8);
      const ev = await Deno.readTextFile(`${repo}/.keel/runs/${runId}/${rec.evidence}`);
      assert.match(ev, /output truncated: the first 451433 of 1500009 bytes were cut/);
      assert.match(ev, /THE-END/);
      assert.ok(ev.length < 1024 * 1024 + 2000);
    });
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("run record and import-junit", async (t) => {
  const { repo, runId } = await repoWithRun();
  try {
    await t.step("run record keeps status and note", async () => {
      const r = await keelJson(repo, [
        "run",
        "record",
        "lint",
        "--status",
        "skipped",
        "--note",
        "CI only",
      ]);
      assert.equal(r.code, 0);
      const rec = (await report(repo, runId)).tests[0]!;
      assert.deepEqual([rec.test_id, rec.status, rec.source, rec.note, rec.planned], [
        "lint",
        "skipped",
        "manual",
        "CI only",
        true,
      ]);
    });
    await t.step("a bad --status is a usage error", async () => {
      const r = await keelJson(repo, ["run", "record", "lint", "--status", "great"]);
      assert.equal(r.code, 2);
    });
    await t.step("import-junit records every testcase, matched by junit_name", async () => {
      await writeFile(
        repo,
        "junit.xml",
        `<?xml version="1.0"?>
<testsuites>
  <testsuite name="all">
    <testcase classname="pkg.Api" name="get" time="0.5"/>
    <testcase classname="smoke" name="boots"><failure message="no boot"/></testcase>
    <testcase classname="smoke" name="later"><skipped/></testcase>
    <testcase classname="other" name="x"><error message="crash"/></testcase>
  </testsuite>
</testsuites>`,
      );
      const r = await keelJson(repo, ["run", "import-junit", "junit.xml"]);
      assert.equal(r.code, 0, JSON.stringify(r.json));
      assert.deepEqual(r.json.testcases, { total: 4, passed: 1, failure: 1, error: 1, skipped: 1 });
      assert.deepEqual(r.json.matched, { api: 1, smoke: 2 });
      assert.equal(r.json.unplanned, 1);
      const recs = (await report(repo, runId)).tests.slice(1);
      assert.deepEqual(recs.map((x) => [x.test_id, x.planned, x.status, x.junit?.outcome]), [
        ["api", true, "passed", "passed"],
        ["smoke", true, "failed", "failure"],
        ["smoke", true, "skipped", "skipped"],
        ["other.x", false, "error", "error"],
      ]);
      assert.equal(recs[1]!.reason, "no boot");
      assert.equal(new Set(recs.map((x) => x.batch)).size, 1);
    });
    await t.step(
      "malformed JUnit: exit 3 JUNIT_INVALID with position, nothing recorded",
      async () => {
        const before = (await report(repo, runId)).tests.length;
        await writeFile(
          repo,
          "bad.xml",
          `<testsuites>\n  <testsuite>\n    <testcase classname="pkg.Api" name="get">\n  </testsuite>\n</testsuites>\n`,
        );
        const r = await keelJson(repo, ["run", "import-junit", "bad.xml"]);
        assert.equal(r.code, 3);
        const err = r.json.error as unknown as {
          code: string;
          data: { path: string; line: number; column: number };
        };
        assert.equal(err.code, "JUNIT_INVALID");
        assert.equal(err.data.path, "bad.xml");
        assert.equal(err.data.line, 4);
        assert.equal(typeof err.data.column, "number");
        assert.equal((await report(repo, runId)).tests.length, before);
      },
    );
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("recording without an active run is RUN_NOT_ACTIVE (exit 3)", async (t) => {
  const repo = await tempRepo();
  try {
    assert.equal((await keelJson(repo, ["init"])).code, 0);
    await writeFile(repo, "j.xml", `<testsuite><testcase name="a"/></testsuite>`);
    for (
      const args of [
        ["run", "exec", "unit", "--json", "--", "true"],
        ["run", "record", "unit", "--status", "passed", "--json"],
        ["run", "import-junit", "j.xml", "--json"],
        ["run", "finish", "--json"],
      ]
    ) {
      await t.step(args.slice(0, 2).join(" "), async () => {
        const r = await keel(repo, args);
        assert.equal(r.code, 3, r.stdout + r.stderr);
        assert.equal(JSON.parse(r.stdout).error.code, "RUN_NOT_ACTIVE");
      });
    }
    await t.step("exec without an active run does not run the command", async () => {
      await keel(repo, ["run", "exec", "unit", "--", "touch", "ran.txt"]);
      await assert.rejects(Deno.stat(`${repo}/ran.txt`), Deno.errors.NotFound);
    });
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("concurrent recorders lose no record", async (t) => {
  const { repo, runId } = await repoWithRun();
  try {
    await t.step("two processes at once", async () => {
      const rs = await Promise.all([
        keel(repo, ["run", "exec", "unit", "--", "true"]),
        keel(repo, ["run", "record", "lint", "--status", "passed"]),
      ]);
      assert.deepEqual(rs.map((r) => r.code), [0, 0]);
      assert.equal((await report(repo, runId)).tests.length, 2);
    });
    await t.step("twenty processes at once (exec and record mixed)", async () => {
      const rs = await Promise.all(
        Array.from(
          { length: 20 },
          (_, i) =>
            i % 2 === 0
              ? keel(repo, ["run", "exec", `t${i}`, "--", "sh", "-c", `echo ${i}`])
              : keel(repo, ["run", "record", `t${i}`, "--status", "passed"]),
        ),
      );
      assert.deepEqual(rs.map((r) => r.code), Array(20).fill(0));
      const ids = (await report(repo, runId)).tests.map((x) => x.test_id);
      assert.equal(ids.length, 22);
      assert.deepEqual(
        ids.slice(2).sort(),
        Array.from({ length: 20 }, (_, i) => `t${i}`).sort(),
      );
      const evidence = [...Deno.readDirSync(`${repo}/.keel/runs/${runId}/evidence`)];
      assert.equal(evidence.length, 11);
    });
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});
