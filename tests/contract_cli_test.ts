import assert from "node:assert/strict";
import type { RunReport } from "../schemas/mod.ts";
import { editJson, git, keel, keelJson, readJson, tempRepo } from "./helpers.ts";

const C = ".keel/contracts/default";

Deno.test("init → run start refused → approve all → run start → edit → stale", async (t) => {
  const repo = await tempRepo();
  try {
    await t.step("init writes three drafts and refuses to overwrite without --force", async () => {
      const r = await keelJson(repo, ["init"]);
      assert.equal(r.code, 0);
      assert.deepEqual(r.json.created, [
        `${C}/intent.json`,
        `${C}/test_contract.json`,
        `${C}/commit_plan.json`,
      ]);
      const intent = await readJson(`${repo}/${C}/intent.json`);
      assert.equal(intent.$schema, "../../schemas/intent.schema.json");
      assert.equal(intent.schema_version, 1);
      assert.equal((intent.approval as { state: string }).state, "draft");
      const again = await keelJson(repo, ["init"]);
      assert.equal(again.code, 4);
      assert.equal(again.json.error?.code, "ARTIFACT_EXISTS");
      assert.equal((await keelJson(repo, ["init", "--force"])).code, 0);
      const attrs = await Deno.readTextFile(`${repo}/.gitattributes`);
      assert.match(attrs, /^\.keel\/lessons\.jsonl merge=union$/m);
    });

    await t.step("run start names all three unapproved artifacts", async () => {
      const r = await keelJson(repo, ["run", "start"]);
      assert.equal(r.code, 1);
      assert.equal(r.json.error?.code, "CONTRACT_NOT_APPROVED");
      const data =
        (r.json.error as unknown as { data: { artifacts: { artifact: string; state: string }[] } })
          .data;
      assert.deepEqual(data.artifacts.map((a) => [a.artifact, a.state]), [
        ["intent", "draft"],
        ["tests", "draft"],
        ["plan", "draft"],
      ]);
    });

    await t.step(
      "an untouched template is refused: placeholders are errors at approval",
      async () => {
        const r = await keelJson(repo, ["approve", "all", "--by", "me"]);
        assert.equal(r.code, 1);
        assert.equal(r.json.error?.code, "CONTRACT_INVALID");
        const failing = (r.json.error as unknown as {
          data: { failing: { artifact: string; findings: { code: string; location: string }[] }[] };
        }).data.failing;
        assert.deepEqual(
          failing.map((f) => [f.artifact, f.findings.map((x) => `${x.code} ${x.location}`)]),
          [
            ["intent", [
              "PLACEHOLDER_TEXT intent.json $.goal",
              "PLACEHOLDER_TEXT intent.json $.constraints[0]",
            ]],
            ["tests", ["PLACEHOLDER_TEXT test_contract.json $.tests[0].command"]],
            ["plan", ["PLACEHOLDER_TEXT commit_plan.json $.units[0].summary"]],
          ],
        );
        const intent = await readJson<{ approval: { state: string } }>(`${repo}/${C}/intent.json`);
        assert.equal(intent.approval.state, "draft");
      },
    );

    await t.step("approve all binds each artifact to its digest", async () => {
      const r = await keelJson(repo, ["approve", "all", "--by", "me", "--allow-placeholders"]);
      assert.equal(r.code, 0, JSON.stringify(r.json));
      const intent = await readJson<{ approval: { state: string; by: string; digest: string } }>(
        `${repo}/${C}/intent.json`,
      );
      assert.equal(intent.approval.state, "approved");
      assert.equal(intent.approval.by, "me");
      assert.match(intent.approval.digest, /^[0-9a-f]{64}$/);
      const status = await keelJson(repo, ["status"]);
      assert.deepEqual(
        (status.json.artifacts as { state: string }[]).map((a) => a.state),
        ["approved", "approved", "approved"],
      );
      assert.equal(status.json.ready, true);
    });

    let runId = "";
    await t.step("run start succeeds and stamps every metadata field", async () => {
      const r = await keelJson(repo, ["run", "start", "--agent", "bot", "--session", "s-1"]);
      assert.equal(r.code, 0, JSON.stringify(r.json));
      runId = r.json.run_id as string;
      assert.match(runId, /^[0-9A-HJKMNP-TV-Z]{26}$/);
      const report = await readJson<RunReport>(
        `${repo}/.keel/runs/${runId}/run_report.json`,
      );
      assert.equal(report.state, "running");
      assert.equal(report.contract, "default");
      assert.equal(report.meta.base_commit, (await git(repo, "rev-parse", "HEAD")).trim());
      assert.equal(report.meta.branch, "main");
      assert.equal(report.meta.worktree, await Deno.realPath(repo));
      assert.equal(report.meta.session_id, "s-1");
      assert.equal(report.meta.agent, "bot");
      assert.equal(typeof report.meta.host, "string");
      assert.match(report.meta.started_at, /^\d{4}-\d\d-\d\dT/);
      assert.equal(report.meta.keel_version, "0.1.0");
      for (const k of ["intent", "tests", "plan"] as const) {
        assert.match(report.digests[k], /^[0-9a-f]{64}$/);
      }
      assert.equal(report.$schema, "../../schemas/run_report.schema.json");
      assert.equal(report.schema_version, 1);
    });

    await t.step("a second run start on the same contract exits 4 RUN_ALREADY_ACTIVE", async () => {
      const r = await keelJson(repo, ["run", "start"]);
      assert.equal(r.code, 4);
      assert.equal(r.json.error?.code, "RUN_ALREADY_ACTIVE");
      assert.equal((r.json.error as unknown as { data: { run_id: string } }).data.run_id, runId);
    });

    await t.step(
      "editing intent.json makes it stale, and run start says CONTRACT_STALE",
      async () => {
        await editJson(`${repo}/${C}/intent.json`, (v) => (v.goal = "Something else"));
        const status = await keelJson(repo, ["status"]);
        assert.deepEqual(
          (status.json.artifacts as { artifact: string; state: string }[]).map((
            a,
          ) => [a.artifact, a.state]),
          [["intent", "stale"], ["tests", "approved"], ["plan", "approved"]],
        );
        await Deno.remove(`${repo}/.keel/active/default.json`);
        const r = await keelJson(repo, ["run", "start"]);
        assert.equal(r.code, 1);
        assert.equal(r.json.error?.code, "CONTRACT_STALE");
        const data =
          (r.json.error as unknown as { data: { artifacts: { artifact: string }[] } }).data;
        assert.deepEqual(data.artifacts.map((a) => a.artifact), ["intent"]);
      },
    );
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("validate and approve refuse a depends_on cycle and a unit outside scope, with distinct codes", async () => {
  const repo = await tempRepo();
  try {
    await keel(repo, ["init"]);
    await editJson(`${repo}/${C}/commit_plan.json`, (v) => {
      v.units = [
        { id: "a", summary: "A", files: ["src/a.ts"], tests: ["unit"], depends_on: ["b"] },
        { id: "b", summary: "B", files: ["docs/x.md"], tests: ["unit"], depends_on: ["a"] },
      ];
    });
    const v = await keelJson(repo, ["validate"]);
    assert.equal(v.code, 1);
    const codes = (v.json.findings as { code: string; severity: string }[])
      .filter((f) => f.severity === "error").map((f) => f.code).sort();
    assert.deepEqual(codes, ["PLAN_DEPENDENCY_CYCLE", "PLAN_UNIT_OUTSIDE_SCOPE"]);
    const a = await keelJson(repo, ["approve", "plan", "--by", "me"]);
    assert.equal(a.code, 1);
    assert.equal(a.json.error?.code, "CONTRACT_INVALID");
    const failing = (a.json.error as unknown as {
      data: { failing: { findings: { code: string }[]; checklist: { id: string }[] }[] };
    }).data.failing;
    assert.deepEqual(failing[0]!.findings.map((f) => f.code).sort(), [
      "PLAN_DEPENDENCY_CYCLE",
      "PLAN_UNIT_OUTSIDE_SCOPE",
    ]);
    assert.deepEqual(failing[0]!.checklist.map((c) => c.id), [
      "units_in_scope",
      "acyclic",
      "valid",
    ]);
    const plan = await readJson<{ approval: { state: string } }>(`${repo}/${C}/commit_plan.json`);
    assert.equal(plan.approval.state, "draft");
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("bad input: missing artifact, invalid JSON, schema violation, unknown contract", async (t) => {
  const repo = await tempRepo();
  try {
    await keel(repo, ["init"]);
    await t.step("unknown contract lists the ones that exist", async () => {
      const r = await keelJson(repo, ["validate", "--contract", "nope"]);
      assert.equal(r.code, 3);
      assert.equal(r.json.error?.code, "CONTRACT_NOT_FOUND");
      assert.deepEqual(
        (r.json.error as unknown as { data: { available: string[] } }).data.available,
        ["default"],
      );
    });
    await t.step("invalid JSON gives line and column", async () => {
      await Deno.writeTextFile(`${repo}/${C}/intent.json`, '{\n  "goal": "x",\n  oops\n}\n');
      const r = await keelJson(repo, ["approve", "intent", "--by", "me"]);
      assert.equal(r.code, 3);
      assert.equal(r.json.error?.code, "ARTIFACT_INVALID_JSON");
      const d =
        (r.json.error as unknown as { data: { line: number; column: number; path: string } }).data;
      assert.equal(d.path, `${C}/intent.json`);
      assert.equal(d.line, 3);
      assert.equal(d.column, 3);
    });
    await t.step("schema violation lists every JSON path", async () => {
      await keel(repo, ["init", "--force"]);
      await editJson(`${repo}/${C}/commit_plan.json`, (v) => {
        (v.units as Record<string, unknown>[])[0]!.files = "src/**";
        (v.units as Record<string, unknown>[])[0]!.depends_on = [7];
      });
      const r = await keelJson(repo, ["run", "start"]);
      assert.equal(r.code, 3);
      assert.equal(r.json.error?.code, "ARTIFACT_SCHEMA_INVALID");
      const paths = (r.json.error as unknown as { data: { issues: { path: string }[] } }).data
        .issues.map((i) => i.path).sort();
      assert.deepEqual(paths, ["$.units[0].depends_on[0]", "$.units[0].files"]);
      const v = await keelJson(repo, ["validate"]);
      assert.equal(v.code, 3);
      assert.equal((v.json.findings as { code: string }[])[0]!.code, "ARTIFACT_SCHEMA_INVALID");
    });
    await t.step("missing artifact names its path", async () => {
      await Deno.remove(`${repo}/${C}/test_contract.json`);
      const r = await keelJson(repo, ["run", "start"]);
      assert.equal(r.code, 3);
      assert.equal(r.json.error?.code, "ARTIFACT_NOT_FOUND");
      assert.equal(
        (r.json.error as unknown as { data: { path: string } }).data.path,
        `${C}/test_contract.json`,
      );
    });
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("run start outside a git repository is REPO_NOT_FOUND", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await keel(dir, ["init"]);
    await keel(dir, ["approve", "all", "--by", "me", "--allow-placeholders"]);
    const r = await keelJson(dir, ["run", "start", "--git-backend", "cli"]);
    assert.equal(r.code, 3);
    assert.equal(r.json.error?.code, "REPO_NOT_FOUND");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("usage errors exit 2, with a JSON error under --json", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const r = await keel(dir, ["approve", "everything", "--by", "me"]);
    assert.equal(r.code, 2);
    const j = await keelJson(dir, ["frobnicate"]);
    assert.equal(j.code, 2);
    assert.equal(j.json.error?.code, "USAGE");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("completions print a working script for bash, zsh and fish", async () => {
  for (const shell of ["bash", "zsh", "fish"]) {
    const r = await keel(Deno.cwd(), ["completions", shell]);
    assert.equal(r.code, 0, shell);
    assert.match(r.stdout, /keel/);
  }
  const bash = await keel(Deno.cwd(), ["completions", "bash"]);
  const file = await Deno.makeTempFile({ suffix: ".sh" });
  await Deno.writeTextFile(file, bash.stdout);
  const check = await new Deno.Command("bash", { args: ["-n", file] }).output();
  assert.equal(check.code, 0, "bash -n accepts the completion script");
  await Deno.remove(file);
});
