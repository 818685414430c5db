/**
 * CLI/RPC parity: every command with `--json` gives, on the same state, the
 * same document as its RPC method (an error: the CLI's `error` object equals
 * the RPC `error.data`). Two identical repositories are driven through the
 * same sequence of rows, one by the CLI and one by a `keel serve --stdio`
 * process. Times, ULIDs, shas, durations and the repository path are
 * normalised; everything else must be equal.
 *
 * @module
 */

import assert from "node:assert/strict";
import { createSampleRepo, FEATURE_CONTRACT } from "../core/pilot/mod.ts";
import { systemClock } from "../core/util/mod.ts";
import {
  callMcpTool,
  createRpcClient,
  createRpcServer,
  MCP_TOOLS,
  type MethodName,
  METHODS,
  type RpcClient,
} from "../rpc/mod.ts";
import { editJson, git, GIT_ENV, keel, tempRepo } from "./helpers.ts";
import { parityShape, writeShapeMission } from "../testing/mission_shapes.ts";

const MAIN = new URL("../cli/main.ts", import.meta.url).pathname;
const MISSION = "workflow-parity-988-989-991-01KRKTT5";

/** One parity row: CLI arguments, the RPC method and params that mirror them. */
interface Row {
  cli: string[];
  method: string;
  params?: Record<string, unknown>;
  /** `ok` or the error code, and the CLI's exit code. */
  expect: [string, number];
  /** Applied to both repositories after the row (same edit on each). */
  after?: (repo: string) => Promise<void>;
  /**
   * The CLI's parser refuses the value before the operation runs (a choice,
   * an integer, an unknown flag): the codes are compared, not the messages.
   */
  codeOnly?: true;
}

function _normalise(value: unknown, repos: string[]): unknown {
  if (typeof value === "string") {
    let s = value;
    for (const r of repos) s = s.split(r).join("<repo>");
    return s
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)/g, "<time>")
      .replace(/\b[0-9A-HJKMNP-TV-Z]{26}\b/g, "<ulid>")
      .replace(/\b[0-9a-f]{64}\b/g, "<sha256>")
      .replace(/\b[0-9a-f]{40}\b/g, "<sha>")
      .replace(/\b[0-9a-f]{16,}\b/g, "<hex>")
      .replace(/\b[0-9a-f]{7,12}\b/g, "<short-sha>")
      // Wall-clock minutes in rendered text (the retro summary's approval latency).
      .replace(/\b\d+(\.\d+)? min\b/g, "<n> min");
  }
  if (Array.isArray(value)) return value.map((v) => _normalise(v, repos));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        _normalise(k, repos) as string,
        (/(_ms|_minutes)$/.test(k) || k === "pid") && typeof v === "number"
          ? "<n>"
          : _normalise(v, repos),
      ]),
    );
  }
  return value;
}

/** The result is exactly what the method's result schema describes (no field more or less). */
async function _assertResultSchema(method: string, result: unknown): Promise<void> {
  assert.ok(Object.hasOwn(METHODS, method), method);
  const { result: schema } = await METHODS[method as MethodName].load();
  const parsed = schema.safeParse(result);
  assert.ok(parsed.success, `${method}: ${JSON.stringify(parsed.error?.issues)}`);
}

function _server(repo: string): { client: RpcClient; child: Deno.ChildProcess } {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, "serve", "--stdio", "--repo", repo],
    env: { ...GIT_ENV, NO_COLOR: "1" },
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  return { client: createRpcClient({ readable: child.stdout, writable: child.stdin }), child };
}

/** The id of the repository's only run (rows say `<run>` where it goes). */
async function _runId(repo: string): Promise<string> {
  const ids: string[] = [];
  try {
    for await (const e of Deno.readDir(`${repo}/.keel/runs`)) if (e.isDirectory) ids.push(e.name);
  } catch {
    return "<none>";
  }
  return ids.sort().at(-1) ?? "<none>";
}

function _fill<T>(value: T, run: string): T {
  return JSON.parse(JSON.stringify(value).split("<run>").join(run)) as T;
}

async function _runRows(
  t: Deno.TestContext,
  rows: Row[],
  repoCli: string,
  repoRpc: string,
): Promise<void> {
  const { client, child } = _server(repoRpc);
  try {
    for (const row of rows) {
      await t.step(`keel ${row.cli.join(" ")} ≡ ${row.method}`, async () => {
        const cli = await keel(repoCli, [..._fill(row.cli, await _runId(repoCli)), "--json"]);
        let cliDoc: Record<string, unknown>;
        try {
          cliDoc = JSON.parse(cli.stdout);
        } catch {
          throw new Error(`CLI stdout is not JSON (exit ${cli.code}): ${cli.stdout}${cli.stderr}`);
        }
        const rpc = await client.call(row.method, _fill(row.params ?? {}, await _runId(repoRpc)));
        const rpcDoc = "result" in rpc ? rpc.result : { error: rpc.error.data };
        const outcome = "result" in rpc ? "ok" : (rpc.error.data as { code: string }).code;
        if ("error" in rpc) {
          // Invalid params (USAGE) are -32602, every other keel error -32000.
          const want = outcome === "USAGE" ? -32602 : -32000;
          assert.equal(rpc.error.code, want, JSON.stringify(rpc.error));
        }
        assert.deepEqual([outcome, cli.code], row.expect);
        if ("result" in rpc) await _assertResultSchema(row.method, rpc.result);
        if (row.codeOnly) {
          assert.equal((cliDoc.error as { code?: string } | undefined)?.code, outcome);
        } else {
          assert.deepEqual(
            _normalise(rpcDoc, [repoCli, repoRpc]),
            _normalise(cliDoc, [repoCli, repoRpc]),
          );
        }
      });
      if (row.after) {
        await row.after(repoCli);
        await row.after(repoRpc);
      }
    }
  } finally {
    await client.end();
    await child.status;
  }
}

async function _fillContract(repo: string): Promise<void> {
  const dir = `${repo}/.keel/contracts/default`;
  const c = FEATURE_CONTRACT;
  await editJson(`${dir}/intent.json`, (v) => void Object.assign(v, structuredClone(c.intent)));
  await editJson(`${dir}/test_contract.json`, (v) => void (v.tests = structuredClone(c.tests)));
  await editJson(`${dir}/commit_plan.json`, (v) => void (v.units = structuredClone(c.units)));
}

async function _junit(repo: string): Promise<void> {
  await Deno.writeTextFile(
    `${repo}/junit.xml`,
    '<?xml version="1.0"?>\n<testsuite name="s" tests="2">\n' +
      '  <testcase classname="stats" name="counts words" time="0.01"/>\n' +
      '  <testcase classname="stats" name="frequency" time="0.02"><failure message="no"/></testcase>\n' +
      "</testsuite>\n",
  );
}

async function _agentWork(repo: string): Promise<void> {
  await Deno.writeTextFile(
    `${repo}/src/stats.ts`,
    (await Deno.readTextFile(`${repo}/src/stats.ts`)) +
      "\nexport function wordFrequency(text: string): Map<string, number> {\n  return new Map();\n}\n",
  );
  await git(repo, "add", "src/stats.ts");
  await git(repo, "commit", "-qm", "Add wordFrequency\n\nKeel-Unit: impl");
}

/** Contract and run commands, on the pilot's sample repository. */
const CONTRACT_ROWS: Row[] = [
  {
    cli: ["schema", "intent"],
    method: "schema/get",
    expect: ["ok", 0],
    params: { name: "intent" },
  },
  {
    cli: ["schema", "nope"],
    method: "schema/get",
    expect: ["SCHEMA_NOT_FOUND", 3],
    params: { name: "nope" },
  },
  { cli: ["status"], method: "contract/status", expect: ["CONTRACT_NOT_FOUND", 3] },
  { cli: ["init"], method: "contract/init", expect: ["ok", 0], after: _fillContract },
  { cli: ["init"], method: "contract/init", expect: ["ARTIFACT_EXISTS", 4] },
  {
    cli: ["init", "second"],
    method: "contract/init",
    expect: ["ok", 0],
    params: { name: "second" },
  },
  {
    cli: ["init", "second", "--force"],
    method: "contract/init",
    expect: ["ok", 0],
    params: { name: "second", force: true },
  },
  { cli: ["schema"], method: "schema/get", expect: ["ok", 0] },
  { cli: ["validate"], method: "contract/validate", expect: ["ok", 0] },
  {
    cli: ["status", "--contract", "default"],
    method: "contract/status",
    expect: ["ok", 0],
    params: { contract: "default" },
  },
  { cli: ["run", "start"], method: "run/start", expect: ["CONTRACT_NOT_APPROVED", 1] },
  { cli: ["brief"], method: "brief/get", expect: ["CONTRACT_NOT_APPROVED", 1] },
  {
    cli: ["approve", "all", "--by", "maintainer"],
    method: "contract/approve",
    expect: ["ok", 0],
    params: { artifact: "all", by: "maintainer" },
  },
  { cli: ["status"], method: "contract/status", expect: ["ok", 0] },
  { cli: ["brief"], method: "brief/get", expect: ["ok", 0] },
  {
    cli: ["guard", "check", "README.md"],
    method: "guard/check",
    expect: ["ok", 0],
    params: { paths: ["README.md"] },
  },
  {
    cli: ["run", "start", "--session", "s1", "--agent", "a1"],
    method: "run/start",
    expect: ["ok", 0],
    params: { session: "s1", agent: "a1" },
    after: _agentWork,
  },
  {
    cli: ["run", "record", "frequency-exported", "--status", "passed"],
    method: "run/recordTest",
    expect: ["ok", 0],
    params: { testId: "frequency-exported", status: "passed" },
    after: _junit,
  },
  {
    cli: ["run", "import-junit", "junit.xml"],
    method: "run/importJunit",
    expect: ["ok", 0],
    params: { file: "junit.xml" },
  },
  {
    cli: ["guard", "check", "README.md", "src/stats.ts"],
    method: "guard/check",
    expect: ["ok", 1],
    params: { paths: ["README.md", "src/stats.ts"] },
  },
  { cli: ["run", "finish"], method: "run/finish", expect: ["ok", 1] },
  { cli: ["drift"], method: "run/drift", expect: ["ok", 1] },
  {
    cli: ["drift", "--run", "<run>", "--reanalyze"],
    method: "run/drift",
    expect: ["ok", 1],
    params: { run: "<run>", reanalyze: true },
  },
  { cli: ["run", "list"], method: "run/list", expect: ["ok", 0] },
  {
    cli: ["run", "list", "--contract", "nope"],
    method: "run/list",
    expect: ["ok", 0],
    params: { contract: "nope" },
  },
  { cli: ["verify"], method: "run/verify", expect: ["ok", 0] },
  {
    cli: ["verify", "--run", "01ARZ3NDEKTSV4RRFFQ69G5FAV"],
    method: "run/verify",
    expect: ["RUN_NOT_FOUND", 3],
    params: { run: "01ARZ3NDEKTSV4RRFFQ69G5FAV" },
  },
  { cli: ["deviation", "list"], method: "deviation/list", expect: ["ok", 0] },
  {
    cli: ["deviation", "accept", "F1", "--why", "planned later", "--by", "maintainer"],
    method: "deviation/accept",
    expect: ["ok", 0],
    params: { findingId: "F1", why: "planned later", by: "maintainer" },
  },
  {
    cli: ["deviation", "accept", "F2", "F3", "--why", "both later", "--by", "maintainer"],
    method: "deviation/accept",
    expect: ["ok", 0],
    params: { findingIds: ["F2", "F3"], why: "both later", by: "maintainer" },
  },
  {
    cli: ["deviation", "accept", "F999", "--why", "x", "--by", "maintainer"],
    method: "deviation/accept",
    expect: ["FINDING_NOT_FOUND", 3],
    params: { findingId: "F999", why: "x", by: "maintainer" },
  },
  { cli: ["retro"], method: "retro/run", expect: ["ok", 0] },
  {
    cli: ["defect", "record", "--run", "<run>", "--note", "crash on empty input"],
    method: "trust/recordDefect",
    expect: ["ok", 0],
    params: { run: "<run>", note: "crash on empty input" },
  },
  {
    cli: ["rework", "record", "--run", "<run>", "--note", "review asked for more tests"],
    method: "trust/recordRework",
    expect: ["ok", 0],
    params: { run: "<run>", note: "review asked for more tests" },
  },
  {
    cli: ["lessons", "--domain", "feature"],
    method: "lessons/list",
    expect: ["ok", 0],
    params: { domain: "feature" },
  },
  {
    cli: ["trust", "--window", "5"],
    method: "trust/compute",
    expect: ["ok", 0],
    params: { window: 5 },
  },
  { cli: ["doctor", "--fix"], method: "doctor/run", expect: ["ok", 0], params: { fix: true } },
  { cli: ["lessons"], method: "lessons/list", expect: ["ok", 0] },
  { cli: ["trust"], method: "trust/compute", expect: ["ok", 0] },
  { cli: ["doctor"], method: "doctor/run", expect: ["ok", 0] },
];

/** Mission commands, on a synthetic mission shaped like a real spec-kitty one. */
const MISSION_ROWS: Row[] = [
  { cli: ["mission", "list"], method: "mission/list", expect: ["ok", 0] },
  {
    cli: ["mission", "status", "--mission", "01KRKTT5"],
    method: "mission/status",
    expect: ["ok", 0],
    params: { mission: "01KRKTT5" },
  },
  {
    cli: ["mission", "status", "--mission", MISSION],
    method: "mission/status",
    expect: ["ok", 0],
    params: { mission: MISSION },
  },
  {
    cli: ["next", "--mission", MISSION],
    method: "mission/next",
    expect: ["ok", 0],
    params: { mission: MISSION },
  },
  {
    cli: ["next", "--mission", MISSION, "--agent", "claude", "--explain"],
    method: "mission/next",
    expect: ["ok", 0],
    params: { mission: MISSION, agent: "claude", explain: true },
  },
  {
    cli: ["next", "--mission", "no-such-mission"],
    method: "mission/next",
    expect: ["MISSION_NOT_FOUND", 3],
    params: { mission: "no-such-mission" },
  },
  {
    cli: ["implement", "--mission", MISSION, "--agent", " "],
    method: "mission/implement",
    expect: ["USAGE", 2],
    params: { mission: MISSION, agent: " " },
  },
  {
    cli: ["implement", "--mission", MISSION, "--agent", ""],
    method: "mission/implement",
    expect: ["USAGE", 2],
    params: { mission: MISSION, agent: "" },
  },
  {
    cli: ["next", "--mission", MISSION, "--agent", "\t"],
    method: "mission/next",
    expect: ["USAGE", 2],
    params: { mission: MISSION, agent: "\t" },
  },
  {
    cli: ["implement", "--no-workspace", "--mission", MISSION, "--agent", "claude"],
    method: "mission/implement",
    expect: ["ok", 0],
    params: { mission: MISSION, agent: "claude", workspace: false },
  },
  {
    cli: ["next", "--mission", MISSION],
    method: "mission/next",
    expect: ["ok", 0],
    params: { mission: MISSION },
  },
  {
    cli: ["review", "--mission", MISSION, "--mode", "lightweight"],
    method: "mission/review",
    expect: ["ok", 1],
    params: { mission: MISSION, mode: "lightweight" },
  },
  {
    cli: ["merge", "--mission", MISSION, "--dry-run"],
    method: "mission/merge",
    expect: ["ok", 1],
    params: { mission: MISSION, dryRun: true },
  },
  {
    cli: ["merge", "--mission", MISSION, "--dry-run", "--target", "main"],
    method: "mission/merge",
    expect: ["ok", 1],
    params: { mission: MISSION, dryRun: true, target: "main" },
  },
  {
    cli: ["merge", "--mission", MISSION, "--dry-run", "--target", "a..b"],
    method: "mission/merge",
    expect: ["USAGE", 2],
    params: { mission: MISSION, dryRun: true, target: "a..b" },
  },
];

Deno.test("parity: contract and run commands (CLI --json ≡ RPC result)", async (t) => {
  const a = await Deno.makeTempDir({ prefix: "keel-parity-cli-" });
  const b = await Deno.makeTempDir({ prefix: "keel-parity-rpc-" });
  try {
    await createSampleRepo(a);
    await createSampleRepo(b);
    await _runRows(t, CONTRACT_ROWS, a, b);
  } finally {
    await Deno.remove(a, { recursive: true });
    await Deno.remove(b, { recursive: true });
  }
});

Deno.test("parity: mission commands on a synthetic mission in the spec-kitty fixture's shape (CLI --json ≡ RPC result)", async (t) => {
  const repos = [await tempRepo(), await tempRepo()];
  try {
    for (const r of repos) {
      // The fixture's event sequence (bootstrap, backfilled claim, repair at equal times),
      // its target branch, lanes and boilerplate: next names WP01 through the same rows.
      await writeShapeMission(
        r,
        parityShape({ slug: MISSION, missionId: "01KRKTT58XC5KR0HF523333R9S" }),
      );
      await git(r, "add", "-A");
      await git(r, "commit", "-qm", "mission");
    }
    const next = await keel(repos[0]!, ["next", "--mission", MISSION, "--json"]);
    assert.equal(JSON.parse(next.stdout).wp_id, "WP01");
    await _runRows(t, MISSION_ROWS, repos[0]!, repos[1]!);
  } finally {
    for (const r of repos) await Deno.remove(r, { recursive: true });
  }
});

const USAGE: [string, number] = ["USAGE", 2];

/**
 * Bad input on every method with a CLI twin: empty, blank, wrong type, out
 * of range, not a choice, unknown. Each is refused by the operation's own
 * check (or, `codeOnly`, by the CLI's parser first) with the same code on
 * the CLI, over RPC and as an MCP tool error.
 */
const BAD_ROWS: Row[] = [
  { cli: ["schema", " "], method: "schema/get", params: { name: " " }, expect: USAGE },
  {
    cli: ["status", "--contract", ""],
    method: "contract/status",
    params: { contract: "" },
    expect: USAGE,
  },
  {
    cli: ["status", "--contract", " "],
    method: "contract/status",
    params: { contract: " " },
    expect: USAGE,
  },
  {
    cli: ["validate", "--contract", ""],
    method: "contract/validate",
    params: { contract: "" },
    expect: USAGE,
  },
  { cli: ["init", ""], method: "contract/init", params: { name: "" }, expect: USAGE },
  {
    cli: ["init", "--from-wp", " "],
    method: "contract/init",
    params: { fromWp: " " },
    expect: USAGE,
  },
  {
    cli: ["approve", "everything", "--by", "m"],
    method: "contract/approve",
    params: { artifact: "everything", by: "m" },
    expect: USAGE,
    codeOnly: true,
  },
  {
    cli: ["approve", "all", "--by", " "],
    method: "contract/approve",
    params: { artifact: "all", by: " " },
    expect: USAGE,
  },
  {
    cli: ["run", "start", "--agent", ""],
    method: "run/start",
    params: { agent: "" },
    expect: USAGE,
  },
  {
    cli: ["run", "start", "--session", "\t"],
    method: "run/start",
    params: { session: "\t" },
    expect: USAGE,
  },
  { cli: ["run", "exec", " "], method: "run/exec", params: { testId: " " }, expect: USAGE },
  {
    cli: ["run", "record", "", "--status", "passed"],
    method: "run/recordTest",
    params: { testId: "", status: "passed" },
    expect: USAGE,
  },
  {
    cli: ["run", "record", "t1", "--status", "maybe"],
    method: "run/recordTest",
    params: { testId: "t1", status: "maybe" },
    expect: USAGE,
    codeOnly: true,
  },
  {
    cli: ["run", "import-junit", ""],
    method: "run/importJunit",
    params: { file: "" },
    expect: USAGE,
  },
  { cli: ["run", "finish", "--run", ""], method: "run/finish", params: { run: "" }, expect: USAGE },
  {
    cli: ["run", "list", "--contract", " "],
    method: "run/list",
    params: { contract: " " },
    expect: USAGE,
  },
  { cli: ["drift", "--run", " "], method: "run/drift", params: { run: " " }, expect: USAGE },
  { cli: ["verify", "--run", ""], method: "run/verify", params: { run: "" }, expect: USAGE },
  {
    cli: ["brief", "--contract", ""],
    method: "brief/get",
    params: { contract: "" },
    expect: USAGE,
  },
  { cli: ["guard", "check", " "], method: "guard/check", params: { paths: [" "] }, expect: USAGE },
  {
    cli: ["deviation", "accept", "", "--why", "x", "--by", "m"],
    method: "deviation/accept",
    params: { findingId: "", why: "x", by: "m" },
    expect: USAGE,
  },
  {
    cli: ["deviation", "accept", "F1", "--why", "x", "--by", " "],
    method: "deviation/accept",
    params: { findingId: "F1", why: "x", by: " " },
    expect: USAGE,
  },
  {
    cli: ["deviation", "list", "--run", ""],
    method: "deviation/list",
    params: { run: "" },
    expect: USAGE,
  },
  { cli: ["retro", "--run", " "], method: "retro/run", params: { run: " " }, expect: USAGE },
  {
    cli: ["lessons", "--domain", ""],
    method: "lessons/list",
    params: { domain: "" },
    expect: USAGE,
  },
  {
    cli: ["trust", "--window", "0"],
    method: "trust/compute",
    params: { window: 0 },
    expect: USAGE,
    codeOnly: true,
  },
  {
    cli: ["trust", "--window", "ten"],
    method: "trust/compute",
    params: { window: "ten" },
    expect: USAGE,
    codeOnly: true,
  },
  {
    cli: ["defect", "record", "--run", "", "--note", "x"],
    method: "trust/recordDefect",
    params: { run: "", note: "x" },
    expect: USAGE,
  },
  {
    cli: ["rework", "record", "--run", "r1", "--note", " "],
    method: "trust/recordRework",
    params: { run: "r1", note: " " },
    expect: USAGE,
  },
  { cli: ["report", "--run", ""], method: "report/render", params: { run: "" }, expect: USAGE },
  {
    cli: ["report", "--history", "--window", "1001"],
    method: "report/render",
    params: { history: true, window: 1001 },
    expect: USAGE,
    codeOnly: true,
  },
  {
    cli: ["doctor", "--fix", "--force"],
    method: "doctor/run",
    params: { fix: true, force: true },
    expect: USAGE,
    codeOnly: true,
  },
  {
    cli: ["mission", "list", "--all"],
    method: "mission/list",
    params: { all: true },
    expect: USAGE,
    codeOnly: true,
  },
  {
    cli: ["mission", "status", "--mission", ""],
    method: "mission/status",
    params: { mission: "" },
    expect: USAGE,
  },
  {
    cli: ["next", "--mission", " "],
    method: "mission/next",
    params: { mission: " " },
    expect: USAGE,
  },
  {
    cli: ["next", "--mission", "m1", "--agent", ""],
    method: "mission/next",
    params: { mission: "m1", agent: "" },
    expect: USAGE,
  },
  {
    cli: ["implement", "--mission", "", "--agent", "a"],
    method: "mission/implement",
    params: { mission: "", agent: "a" },
    expect: USAGE,
  },
  {
    cli: ["implement", "--mission", "m1", "--agent", "a", " "],
    method: "mission/implement",
    params: { mission: "m1", agent: "a", wp: " " },
    expect: USAGE,
  },
  {
    cli: ["review", "--mission", ""],
    method: "mission/review",
    params: { mission: "" },
    expect: USAGE,
  },
  {
    cli: ["review", "--mission", "m1", "--mode", "deep"],
    method: "mission/review",
    params: { mission: "m1", mode: "deep" },
    expect: USAGE,
    codeOnly: true,
  },
  {
    cli: ["approve", "--mission", "", "--by", "m"],
    method: "mission/approve",
    params: { mission: "", by: "m" },
    expect: USAGE,
  },
  {
    cli: ["approve", "--mission", "m1", "--by", "\t"],
    method: "mission/approve",
    params: { mission: "m1", by: "\t" },
    expect: USAGE,
  },
  {
    cli: ["merge", "--mission", " ", "--dry-run"],
    method: "mission/merge",
    params: { mission: " ", dryRun: true },
    expect: USAGE,
  },
  {
    cli: ["merge", "--mission", "m1", "--dry-run", "--target", ""],
    method: "mission/merge",
    params: { mission: "m1", dryRun: true, target: "" },
    expect: USAGE,
  },
];

/**
 * Methods without a CLI command of the same meaning (so without rows above);
 * every other method of the table must have a bad-input row.
 */
const NO_CLI_TWIN: Record<string, string> = {
  "keel/version": "keel --version is a global flag, with no params to get wrong",
  "run/report": "the CLI shows a run's report through drift and report",
  "lessons/relevant": "part of the brief on the CLI",
};

Deno.test("parity: bad input gets the same code from the CLI, RPC and MCP", async (t) => {
  const a = await Deno.makeTempDir({ prefix: "keel-parity-bad-cli-" });
  const b = await Deno.makeTempDir({ prefix: "keel-parity-bad-rpc-" });
  try {
    await createSampleRepo(a);
    await createSampleRepo(b);
    await _runRows(t, BAD_ROWS, a, b);
    const server = createRpcServer({
      ctx: { cwd: b, clock: systemClock, env: {}, gitBackend: "auto" },
      methods: METHODS,
    });
    for (const row of BAD_ROWS) {
      for (const [name, tool] of Object.entries(MCP_TOOLS)) {
        if (tool.method !== row.method) continue;
        await t.step(`MCP ${name} ${JSON.stringify(row.params)}`, async () => {
          const r = await callMcpTool(server, name, row.params);
          assert.equal(r?.isError, true, JSON.stringify(r));
          assert.equal((r!.structuredContent.error as { code: string }).code, row.expect[0]);
        });
      }
    }
    await t.step("every method has bad-input rows or is listed as without a CLI twin", () => {
      const covered = new Set(BAD_ROWS.map((r) => r.method));
      for (const method of Object.keys(METHODS)) {
        assert.ok(
          covered.has(method) !== Object.hasOwn(NO_CLI_TWIN, method),
          `${method}: ${covered.has(method) ? "has rows but is listed" : "has no bad-input row"}`,
        );
      }
    });
    await t.step("every method refuses a wrong type and an unknown param with USAGE", async () => {
      for (const method of Object.keys(METHODS)) {
        for (const params of [{ repo: b, zzz: 1 }, { repo: b, mission: 7, contract: 7, run: 7 }]) {
          const r = await server.call(method, params);
          if (method === "keel/version" && Object.hasOwn(params, "mission")) continue;
          assert.ok("error" in r, `${method} ${JSON.stringify(params)} succeeded`);
          assert.deepEqual(
            [r.error.code, (r.error.data as { code: string }).code],
            [-32602, "USAGE"],
            method,
          );
        }
      }
    });
  } finally {
    await Deno.remove(a, { recursive: true });
    await Deno.remove(b, { recursive: true });
  }
});
