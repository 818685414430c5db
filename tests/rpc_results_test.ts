/**
 * Every method's real result, over `keel serve --stdio` with the typed
 * client, matches its declared result schema exactly (strict objects: a
 * field more or less fails). One sequence calls every method of the table
 * with success on a sample repository holding a contract and a synthetic
 * spec-kitty mission; a method the sequence does not reach fails the test.
 *
 * @module
 */

import assert from "node:assert/strict";
import { createSampleRepo, FEATURE_CONTRACT } from "../core/pilot/mod.ts";
import {
  createRpcClient,
  type MethodName,
  type MethodParams,
  type MethodResult,
  METHODS,
  type RpcClient,
} from "../rpc/mod.ts";
import { writeMission } from "../testing/mission.ts";
import { editJson, git, GIT_ENV } from "./helpers.ts";

const MAIN = new URL("../cli/main.ts", import.meta.url).pathname;
const SLUG = "results-01KTRESA";

Deno.test("every method's result matches its result schema (typed client over stdio)", async (t) => {
  const repo = await Deno.makeTempDir({ prefix: "keel-rpc-results-" });
  await createSampleRepo(repo);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, "serve", "--stdio", "--repo", repo],
    env: { ...GIT_ENV, NO_COLOR: "1" },
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const client: RpcClient = createRpcClient({ readable: child.stdout, writable: child.stdin });
  const validated = new Set<string>();
  const call = async <M extends MethodName>(
    method: M,
    params: MethodParams<M>,
  ): Promise<MethodResult<M>> => {
    const result = await client.request(method, params);
    const { result: schema } = await METHODS[method].load();
    const parsed = schema.safeParse(result);
    assert.ok(parsed.success, `${method}: ${JSON.stringify(parsed.error?.issues)}`);
    validated.add(method);
    return result;
  };
  try {
    await t.step("contract methods", async () => {
      assert.match((await call("keel/version", {})).version, /^\d+\.\d+\.\d+/);
      assert.ok("intent" in await call("schema/get", {}));
      const one = await call("schema/get", { name: "intent" });
      assert.equal("$id" in one && one.$id, "urn:keel:schema:intent:1");
      assert.deepEqual((await call("contract/init", {})).contract, "default");
      const dir = `${repo}/.keel/contracts/default`;
      const c = FEATURE_CONTRACT;
      await editJson(`${dir}/intent.json`, (v) => void Object.assign(v, structuredClone(c.intent)));
      await editJson(`${dir}/test_contract.json`, (v) => void (v.tests = structuredClone(c.tests)));
      await editJson(`${dir}/commit_plan.json`, (v) => void (v.units = structuredClone(c.units)));
      assert.equal((await call("contract/validate", {})).ok, true);
      const approved = await call("contract/approve", { artifact: "all", by: "maintainer" });
      assert.deepEqual(approved.approved.map((a) => a.artifact), ["intent", "tests", "plan"]);
      assert.equal((await call("contract/status", {})).ready, true);
      await git(repo, "add", "-A");
      await git(repo, "commit", "-qm", "contract");
      assert.equal((await call("brief/get", {})).contract, "default");
      assert.deepEqual((await call("lessons/relevant", {})).lessons, []);
      assert.equal((await call("guard/check", { paths: ["README.md"] })).ok, true);
    });

    let runId = "";
    await t.step("run methods", async () => {
      runId = (await call("run/start", { agent: "a1" })).run_id;
      await Deno.writeTextFile(
        `${repo}/src/stats.ts`,
        (await Deno.readTextFile(`${repo}/src/stats.ts`)) +
          "\nexport function wordFrequency(text: string): Map<string, number> {\n" +
          "  return new Map();\n}\n",
      );
      await git(repo, "add", "src/stats.ts");
      await git(repo, "commit", "-qm", "Add wordFrequency\n\nKeel-Unit: impl");
      assert.equal(
        (await call("run/exec", { testId: "frequency-exported" })).record.status,
        "passed",
      );
      await call("run/recordTest", { testId: "frequency-tested", status: "passed" });
      await Deno.writeTextFile(
        `${repo}/junit.xml`,
        '<?xml version="1.0"?>\n<testsuite name="s" tests="1">\n' +
          '  <testcase classname="stats" name="counts words" time="0.01"/>\n</testsuite>\n',
      );
      assert.equal((await call("run/importJunit", { file: "junit.xml" })).testcases.total, 1);
      assert.equal((await call("run/drift", {})).run_id, runId);
      assert.equal((await call("run/finish", {})).run_id, runId);
      assert.equal((await call("run/report", {})).run_id, runId);
      assert.deepEqual((await call("run/list", {})).runs.map((r) => r.run_id), [runId]);
      assert.equal((await call("run/verify", {})).ok, true);
    });

    await t.step("deviation, retro, lessons, trust, report, doctor", async () => {
      const open = (await call("deviation/list", {})).open;
      assert.ok(open.length > 0, "the run has findings to accept");
      const accepted = await call("deviation/accept", {
        findingId: open[0]!.id!,
        why: "planned later",
        by: "maintainer",
      });
      assert.equal(accepted.deviation.finding_id, open[0]!.id);
      assert.equal((await call("retro/run", {})).run_id, runId);
      assert.ok((await call("lessons/list", {})).counts.lessons > 0);
      assert.equal((await call("trust/compute", {})).schema_version, 1);
      assert.equal((await call("trust/recordDefect", { run: runId, note: "crash" })).count, 1);
      assert.equal((await call("trust/recordRework", { run: runId, note: "tests" })).count, 1);
      assert.equal((await call("report/render", { format: "md" })).view, "run");
      assert.equal(typeof (await call("doctor/run", {})).ok, "boolean");
    });

    await t.step("mission methods", async () => {
      await writeMission(repo, {
        slug: SLUG,
        missionId: "01KTRESAAAAAAAAAAAAAAAAAAA",
        wps: [{ id: "WP01" }, { id: "WP02" }],
      });
      await git(repo, "add", "-A");
      await git(repo, "commit", "-qm", "mission");
      const list = await call("mission/list", {});
      assert.deepEqual(list.missions.map((m) => m.mission_slug), [SLUG]);
      assert.equal((await call("mission/status", { mission: SLUG })).wps.length, 2);
      const next = await call("mission/next", { mission: SLUG, agent: "claude", explain: true });
      assert.equal(next.wp_id, "WP01");
      assert.equal(next.explain?.[0]?.decision, "chosen");
      const approved = await call("mission/approve", {
        mission: SLUG,
        by: "maintainer",
        allowPlaceholders: true,
      });
      assert.deepEqual(approved.wps.map((w) => w.wp_id), ["WP01", "WP02"]);
      await git(repo, "add", "-A");
      await git(repo, "commit", "-qm", "mission contracts");
      const claimed = await call("mission/implement", {
        mission: SLUG,
        agent: "claude",
        wp: "WP01",
        run: true,
      });
      assert.equal(claimed.wp_id, "WP01");
      assert.ok("run" in claimed, "with run: the claim carries its run");
      assert.equal(claimed.run?.action, "started", JSON.stringify(claimed.no_run));
      assert.equal(claimed.brief?.contract, claimed.contract);
      const claim2 = await call("mission/implement", {
        mission: SLUG,
        agent: "claude",
        wp: "WP02",
        workspace: false,
      });
      assert.equal(claim2.workspace, null);
      const review = await call("mission/review", { mission: SLUG, mode: "lightweight" });
      assert.equal(review.wp_runs.length, 2);
      const merge = await call("mission/merge", { mission: SLUG, dryRun: true });
      assert.equal(merge.mission_slug, SLUG);
    });

    await t.step("every method of the table was called and validated", () => {
      assert.deepEqual([...validated].sort(), Object.keys(METHODS).sort());
    });
  } finally {
    await client.end();
    await child.status;
    await Deno.remove(repo, { recursive: true });
  }
});
