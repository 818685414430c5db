/**
 * `keel approve --mission H --by WHO`: one contract per WP, drafted as
 * `init --from-wp` drafts it and approved in one step; placeholders refuse
 * the whole mission.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { contractStatus, locateKeel } from "../core/contract/mod.ts";
import { approveMissionOp } from "../core/mission_run/mod.ts";
import { writeMission } from "../testing/mission.ts";
import { git, keelJson } from "./helpers.ts";
import { keelFailure } from "../testing/keel_failure.ts";
import { testContext as ctxFor } from "../testing/context.ts";

const SLUG = "am-01KTAMAA";

async function mission(): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "workspace-am-" });
  await git(root, "init", "-q", "-b", "main");
  const dir = await writeMission(root, {
    slug: SLUG,
    missionId: "01KTAMAAAAAAAAAAAAAAAAAAAA",
    wps: [{ id: "WP01" }, { id: "WP02" }],
  });
  await Deno.writeTextFile(
    join(dir, "tasks", "WP01-work.md"),
    "---\nwork_package_id: WP01\ntitle: Parser\ndependencies: []\nsubtasks: [T001, T002]\n---\n\n" +
      "# WP01\n\n### T001 — Tokenizer\n\n### T002 — Grammar\n\n## Definition of Done\n\n" +
      "- [ ] `grep -r TODO src/` → 0 matches\n- [ ] `deno test -A tests/parser_test.ts` passes\n" +
      "- [ ] `deno lint` is clean\n\n## Risks\n\n`deno task bench`\n",
  );
  return root;
}

Deno.test("approve --mission: a WP without a test command refuses the whole mission; once edited, every WP is approved, bound to its digest", async () => {
  const root = await mission();
  try {
    const layout = locateKeel(root);
    const refused = await keelFailure(
      approveMissionOp({ mission: SLUG, by: "lead" }, ctxFor(root)),
    );
    assert.equal(refused.code, "CONTRACT_INVALID");
    const failing = refused.data.failing as { wp_id: string; contract: string }[];
    assert.deepEqual(failing.map((f) => [f.wp_id, f.contract]), [["WP02", "am-01ktamaa-wp02"]]);
    assert.match(refused.message, /placeholder/);
    // Nothing approved; both drafted.
    for (const name of ["am-01ktamaa-wp01", "am-01ktamaa-wp02"]) {
      const states = (await contractStatus(layout, name)).map((s) => s.state);
      assert.deepEqual(states, ["draft", "draft", "draft"]);
    }
    // WP01's draft: scope from its lane, units from subtasks, tests from the DoD's runner commands.
    const tests1 = JSON.parse(
      await Deno.readTextFile(join(root, ".keel/contracts/am-01ktamaa-wp01/test_contract.json")),
    );
    assert.deepEqual(
      tests1.tests.map((t: { id: string; command: string }) => [t.id, t.command]),
      [["wp01-tests", "deno test -A tests/parser_test.ts"], ["wp01-tests-2", "deno lint"]],
    );
    // Edit WP02's placeholder, approve the mission.
    const p2 = join(root, ".keel/contracts/am-01ktamaa-wp02/test_contract.json");
    const t2 = JSON.parse(await Deno.readTextFile(p2));
    t2.tests[0].command = "deno test -A tests/wp02_test.ts";
    await Deno.writeTextFile(p2, JSON.stringify(t2, null, 2) + "\n");
    const r = await approveMissionOp({ mission: SLUG, by: "lead" }, ctxFor(root));
    assert.equal(r.mission_slug, SLUG);
    assert.deepEqual(r.wps.map((w) => [w.wp_id, w.contract, w.status, w.drafted]), [
      ["WP01", "am-01ktamaa-wp01", "approved", false],
      ["WP02", "am-01ktamaa-wp02", "approved", false],
    ]);
    const w1 = r.wps[0]!;
    assert.deepEqual(w1.allowed_files, ["src/wp01/**"]);
    assert.deepEqual(w1.units, [{ id: "T001", summary: "Tokenizer" }, {
      id: "T002",
      summary: "Grammar",
    }]);
    for (const w of r.wps) {
      const statuses = await contractStatus(layout, w.contract);
      assert.deepEqual(statuses.map((s) => s.state), ["approved", "approved", "approved"]);
      assert.deepEqual(w.digests, {
        intent: statuses.find((s) => s.artifact === "intent")!.digest,
        tests: statuses.find((s) => s.artifact === "tests")!.digest,
        plan: statuses.find((s) => s.artifact === "plan")!.digest,
      });
    }
    // Again: already approved, nothing rewritten.
    const before = await Deno.readTextFile(
      join(root, ".keel/contracts/am-01ktamaa-wp01/intent.json"),
    );
    const again = await approveMissionOp({ mission: SLUG, by: "other" }, ctxFor(root));
    assert.deepEqual(again.wps.map((w) => w.status), ["already_approved", "already_approved"]);
    assert.equal(
      await Deno.readTextFile(join(root, ".keel/contracts/am-01ktamaa-wp01/intent.json")),
      before,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("keel approve --mission through the CLI: exit 1 on a placeholder, 0 once fixed; WHAT and --contract are refused with it", async () => {
  const root = await mission();
  try {
    const bad = await keelJson(root, ["approve", "--mission", SLUG, "--by", "lead"]);
    assert.equal(bad.code, 1);
    assert.equal(bad.json.error?.code, "CONTRACT_INVALID");
    const usage = await keelJson(root, ["approve", "intent", "--mission", SLUG, "--by", "lead"]);
    assert.equal(usage.code, 2);
    assert.equal(usage.json.error?.code, "USAGE");
    const none = await keelJson(root, ["approve", "--by", "lead"]);
    assert.equal(none.code, 2);
    const allowed = await keelJson(root, [
      "approve",
      "--mission",
      SLUG,
      "--by",
      "lead",
      "--allow-placeholders",
    ]);
    assert.equal(allowed.code, 0);
    assert.deepEqual(
      (allowed.json.wps as { wp_id: string; status: string }[]).map((w) => [w.wp_id, w.status]),
      [["WP01", "approved"], ["WP02", "approved"]],
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
