import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import {
  createSampleRepo,
  FEATURE_CONTRACT,
  STATS_WITH_FREQUENCY,
  TESTS_WITH_FREQUENCY,
} from "../core/pilot/mod.ts";
import { editJson, git, GIT_ENV, keel } from "./helpers.ts";

const MAIN = new URL("../cli/main.ts", import.meta.url).pathname;

type ToolResult = {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: { type: string; text: string }[];
};

/** A root folder holding one sample repository with the feature contract written (not approved). */
async function _setup(): Promise<{ root: string; repo: string }> {
  const root = await Deno.makeTempDir({ prefix: "keel-mcp-run-" });
  const repo = `${root}/project`;
  await Deno.mkdir(repo);
  await createSampleRepo(repo);
  assert.equal((await keel(repo, ["init"])).code, 0);
  const dir = `${repo}/.keel/contracts/default`;
  const c = FEATURE_CONTRACT;
  await editJson(`${dir}/intent.json`, (v) => void Object.assign(v, structuredClone(c.intent)));
  await editJson(`${dir}/test_contract.json`, (v) => void (v.tests = structuredClone(c.tests)));
  await editJson(`${dir}/commit_plan.json`, (v) => void (v.units = structuredClone(c.units)));
  return { root, repo };
}

Deno.test("keel mcp: an agent drives a whole run over the official SDK client", async (t) => {
  const { root, repo } = await _setup();
  const transport = new StdioClientTransport({
    command: Deno.execPath(),
    args: ["run", "-A", "--quiet", MAIN, "mcp", "--root", root],
    cwd: root,
    env: { ...GIT_ENV, NO_COLOR: "1", PATH: Deno.env.get("PATH") ?? "" },
    stderr: "pipe",
  });
  const client = new Client({ name: "keel-agent-test", version: "0.0.0" });
  await client.connect(transport);
  const call = async (name: string, args: Record<string, unknown>) =>
    await client.callTool({ name, arguments: { repo, ...args } }) as ToolResult;
  const text = (r: ToolResult) => r.content.map((c) => c.text).join("\n");
  try {
    await t.step("brief is refused for a contract that is not approved", async () => {
      const r = await call("brief", {});
      assert.equal(r.isError, true);
      assert.match(text(r), /^error\[CONTRACT_NOT_APPROVED\]: Cannot brief an agent: not approved/);
    });

    assert.equal((await keel(repo, ["approve", "all", "--by", "maintainer"])).code, 0);
    await git(repo, "add", "-A");
    await git(repo, "commit", "-qm", "contract");

    await t.step("brief: goal, scope, units in order, trailer, tests", async () => {
      const r = await call("brief", {});
      assert.equal(r.isError, undefined, text(r));
      const md = text(r);
      assert.match(md, /^# Brief: contract "default"\n/);
      assert.match(md, /Add wordFrequency\(text\) to textstats/);
      assert.match(md, /Allowed — touch only files matching: `src\/\*\*`, `tests\/\*\*`/);
      assert.match(md, /Forbidden — never touch: `README\.md`/);
      assert.ok(md.indexOf("1. `impl`") < md.indexOf("2. `test`"));
      assert.match(md, /trailer line `Keel-Unit: impl`/);
      assert.match(md, /run: `keel run exec frequency-exported`/);
      assert.equal(r.structuredContent?.markdown, md);
    });

    await t.step("the brief is also a prompt", async () => {
      const p = await client.getPrompt({ name: "brief", arguments: { repo } });
      const m = p.messages[0]!.content as { type: string; text: string };
      assert.match(m.text, /^# Brief: contract "default"/);
    });

    let runId = "";
    await t.step("run_start", async () => {
      const r = await call("run_start", { agent: "sdk-agent" });
      assert.equal(r.isError, undefined, text(r));
      runId = r.structuredContent?.run_id as string;
      assert.match(text(r), new RegExp(`^Run ${runId} started on contract "default"\\.`));
      assert.match(text(r), /agent sdk-agent/);
    });

    await t.step(
      "the agent commits (one commit also touches the forbidden README.md)",
      async () => {
        await Deno.writeTextFile(`${repo}/src/stats.ts`, STATS_WITH_FREQUENCY);
        await Deno.writeTextFile(`${repo}/README.md`, "# textstats\n\nNow with frequencies.\n");
        await Deno.writeTextFile(`${repo}/tests/extra_test.ts`, "// outside unit impl\n");
        await git(repo, "add", "-A");
        await git(repo, "commit", "-qm", "wordFrequency\n\nKeel-Unit: impl");
        await Deno.writeTextFile(`${repo}/tests/stats_test.ts`, TESTS_WITH_FREQUENCY);
        await git(repo, "add", "-A");
        await git(repo, "commit", "-qm", "test wordFrequency\n\nKeel-Unit: test");
      },
    );

    await t.step("test_exec runs each planned test's contract command and records it", async () => {
      for (const id of ["frequency-exported", "frequency-tested"]) {
        const r = await call("test_exec", { testId: id });
        assert.equal(r.isError, undefined, text(r));
        assert.match(text(r), new RegExp(`^Test ${id}: passed \\(exit code 0, \\d+ ms\\)`));
        const rec = r.structuredContent?.record as { command: string[]; status: string };
        assert.equal(rec.status, "passed");
        assert.equal(rec.command[0], "sh");
      }
    });

    await t.step("drift_preview shows the finding before finish", async () => {
      const r = await call("drift_preview", {});
      assert.equal(r.isError, undefined, text(r));
      assert.match(text(r), /· running \(preview, not written\) · DRIFTED/);
      assert.match(text(r), /\[F1\] SCOPE_FILE_FORBIDDEN: README\.md is forbidden by "README\.md"/);
    });

    await t.step("guard_check says README.md is out of scope", async () => {
      const r = await call("guard_check", { paths: ["README.md", "src/stats.ts"] });
      assert.equal(r.structuredContent?.ok, false);
      assert.match(text(r), /^✗ README\.md {2}forbidden by "README\.md"/);
    });

    await t.step("run_finish: drifted, and the human text names the findings", async () => {
      const r = await call("run_finish", {});
      assert.equal(r.isError, undefined, text(r));
      assert.equal(r.structuredContent?.verdict, "drifted");
      assert.match(text(r), /\[F1\] SCOPE_FILE_FORBIDDEN: README\.md is forbidden/);
      assert.match(text(r), /Verdict: drifted — 1 error finding\(s\) not accepted \(F1\)/);
    });

    await t.step("deviation_accept: invalid arguments name each issue", async () => {
      const r = await call("deviation_accept", { findingId: "F1" });
      assert.equal(r.isError, true);
      assert.match(text(r), /^error\[USAGE\]: Invalid params\n {2}- why: /);
      assert.match(text(r), /\n {2}- by: /);
    });

    await t.step("deviation_accept → aligned", async () => {
      const r = await call("deviation_accept", {
        findingId: "F1",
        why: "The README line was requested by the maintainer",
        by: "maintainer",
      });
      assert.equal(r.isError, undefined, text(r));
      assert.match(text(r), /^Accepted F1 \(SCOPE_FILE_FORBIDDEN\) in run /);
      assert.match(text(r), /Verdict: drifted → aligned/);
      const report = await call("run_report", {});
      assert.equal(report.structuredContent?.verdict, "aligned");
      assert.match(text(report), /Verdict: aligned\./);
    });

    await t.step("contracts and run reports are resources", async () => {
      const list = await client.listResources();
      const uris = (list.resources as { uri: string }[]).map((x) => x.uri);
      const q = `?repo=${encodeURIComponent(repo)}`;
      assert.ok(uris.includes(`keel://contract/default${q}`), uris.join(", "));
      assert.ok(uris.includes(`keel://run/${runId}${q}`), uris.join(", "));
      const run = await client.readResource({ uri: `keel://run/${runId}${q}` });
      const c0 = run.contents[0] as { text: string; mimeType: string };
      assert.equal(c0.mimeType, "application/json");
      assert.equal(JSON.parse(c0.text).verdict, "aligned");
      const contract = await client.readResource({ uri: `keel://contract/default${q}` });
      const doc = JSON.parse((contract.contents[0] as { text: string }).text);
      assert.equal(doc.status.ready, true);
      assert.deepEqual(doc.intent.allowed_files, ["src/**", "tests/**"]);
      await assert.rejects(
        () => client.readResource({ uri: `keel://run/nope${q}` }),
        /RUN_NOT_FOUND/,
      );
      await assert.rejects(
        () => client.readResource({ uri: "keel://run/nope?repo=%2Fetc" }),
        /PATH_OUTSIDE_REPO/,
      );
    });

    await t.step("lessons recorded by the retrospective reach lessons and the brief", async () => {
      assert.equal((await keel(repo, ["retro"])).code, 0);
      const l = await call("lessons", {});
      assert.equal(l.isError, undefined, text(l));
      assert.equal(l.structuredContent?.contract, "default");
      assert.match(
        text(l),
        /^Lessons for the paths of contract "default":\n {2}· Earlier drift on paths this contract covers: PLAN_COMMIT_OUTSIDE_UNIT on tests\/extra_test\.ts in 1 run\(s\)/,
      );
      const b = await call("brief", {});
      assert.match(
        text(b),
        /## Lessons from earlier runs on these paths\n\n- Earlier drift on paths this contract covers: PLAN_COMMIT_OUTSIDE_UNIT on tests\/extra_test\.ts/,
      );
    });

    await t.step("trust_level answers in human text", async () => {
      const tr = await call("trust_level", {});
      assert.equal(tr.isError, undefined, text(tr));
      assert.match(text(tr), /^Trust over the latest \d+ finished run\(s\) per scope/);
    });

    await t.step("a repo outside the roots is refused with PATH_OUTSIDE_REPO", async () => {
      const r = await call("contract_status", { repo: "/etc" });
      assert.equal(r.isError, true);
      assert.equal((r.structuredContent?.error as { code: string }).code, "PATH_OUTSIDE_REPO");
      assert.match(text(r), /^error\[PATH_OUTSIDE_REPO\]: \/etc is outside the server's roots/);
    });
  } finally {
    await client.close();
    await Deno.remove(root, { recursive: true });
  }
});
