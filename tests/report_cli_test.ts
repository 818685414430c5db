/**
 * `keel report` end to end: the pilot's runs (run and history views), a
 * synthetic spec-kitty mission written here (mission view), the RPC method
 * `report/render` against the CLI's `--json`, and the `-o` writer's refusals.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { createRpcClient } from "../rpc/mod.ts";
import { GIT_ENV, keel, keelJson, tempRepo } from "./helpers.ts";
import {
  MISSION_SLUG as SLUG,
  MISSION_WALKS as WALKS,
  writeBoardMission,
} from "./report_fixtures.ts";

const MAIN = new URL("../cli/main.ts", import.meta.url).pathname;

/** The HTML of one board column. */
function _lane(html: string, lane: string): string {
  const m = html.match(
    new RegExp(`<section class="lane" data-lane="${lane}">([\\s\\S]*?)</section>`),
  );
  assert.ok(m, `no column ${lane}`);
  return m[1]!;
}

/** The WP ids of the cards in an HTML fragment. */
function _cards(fragment: string): string[] {
  return [...fragment.matchAll(/<article class="card[^"]*" data-wp="([^"]+)"/g)].map((m) => m[1]!);
}

async function _pilotRepo(): Promise<{ repo: string; json: Record<string, unknown> }> {
  const cwd = await Deno.makeTempDir({ prefix: "keel-report-" });
  const r = await keelJson(cwd, ["pilot", "--keep"]);
  assert.equal(r.code, 0, r.stderr);
  await Deno.remove(cwd, { recursive: true });
  return { repo: r.json.repository as string, json: r.json };
}

async function _runIds(repo: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const e of Deno.readDir(join(repo, ".keel", "runs"))) {
    if (e.isDirectory) ids.push(e.name);
  }
  return ids.sort();
}

Deno.test("keel report on the pilot's runs: run view (md, sarif, html), history, pilot's own report", async (t) => {
  const { repo, json } = await _pilotRepo();
  try {
    const ids = await _runIds(repo);
    assert.equal(ids.length, 4);
    const first = ids[0]!;

    await t.step("keel pilot wrote the HTML report of its runs and said where", async () => {
      assert.equal(json.report, join(repo, "keel-report.html"));
      const html = await Deno.readTextFile(json.report as string);
      assert.ok(html.startsWith("<!doctype html>"));
      assert.ok(html.includes('data-view="history"'));
      const runs = [...html.matchAll(/<tr class="run" data-run="([^"]+)" data-verdict="([^"]+)"/g)]
        .map((m) => [m[1], m[2]]);
      assert.deepEqual(runs, [
        [ids[3], "aligned"],
        [ids[2], "drifted"],
        [ids[1], "aligned"],
        [ids[0], "drifted"],
      ]);
      const levels = json.levels as Record<string, string>;
      for (const [scope, level] of Object.entries(levels)) {
        assert.ok(
          html.includes(`<section class="scope" data-scope="${scope}"><h2>${scope} `) &&
            html.includes(`data-level="${level}"`),
          `${scope}: ${level}`,
        );
      }
      // Six charts per scope (feature, docs, overall), each an inline SVG.
      assert.equal([...html.matchAll(/<figure class="metric" data-metric="/g)].length, 18);
      assert.equal([...html.matchAll(/<svg class="chart"/g)].length, 18);
    });

    await t.step("the drifted run as Markdown: a readable table of every finding", async () => {
      const r = await keel(repo, ["report", "--run", first, "--format", "md"]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^## keel run `[0-9A-Z]{26}`: ❌ DRIFTED$/m);
      assert.match(r.stdout, /^\| id \| severity \| code \| message \| accepted \|$/m);
      for (
        const [id, code] of [
          ["F1", "SCOPE_FILE_OUTSIDE_ALLOWED"],
          ["F2", "PLAN_COMMIT_UNPLANNED"],
          ["F3", "PLAN_UNIT_MISSING"],
          ["F4", "TEST_REQUIRED_NOT_RUN"],
        ]
      ) assert.match(r.stdout, new RegExp(`^\\| ${id} \\| error \\| \`${code}\` \\|`, "m"));
      assert.match(
        r.stdout,
        /^\| F1 \| .* \| by maintainer: Documenting the new function is welcome \|$/m,
      );
      assert.ok(r.stdout.includes("\n<details>\n"));
    });

    await t.step("the drifted run as SARIF names the out-of-scope file", async () => {
      const r = await keel(repo, ["report", "--run", first, "--format", "sarif"]);
      assert.equal(r.code, 0, r.stderr);
      const log = JSON.parse(r.stdout);
      assert.equal(log.version, "2.1.0");
      const results = log.runs[0].results as {
        ruleId: string;
        locations?: { physicalLocation: { artifactLocation: { uri: string } } }[];
      }[];
      assert.deepEqual(results.map((x) => x.ruleId), [
        "SCOPE_FILE_OUTSIDE_ALLOWED",
        "PLAN_COMMIT_UNPLANNED",
        "PLAN_UNIT_MISSING",
        "TEST_REQUIRED_NOT_RUN",
      ]);
      assert.equal(
        results[0]!.locations![0]!.physicalLocation.artifactLocation.uri,
        "docs/usage.md",
      );
    });

    await t.step(
      "default view is the latest run; -o writes the file and --json says where",
      async () => {
        const out = join(repo, "latest.html");
        const r = await keelJson(repo, ["report", "-o", out]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.json.view, "run");
        assert.equal(r.json.subject, ids[3]);
        assert.equal(r.json.verdict, "aligned");
        assert.equal(r.json.output, out);
        assert.equal(await Deno.readTextFile(out), r.json.text);
      },
    );

    await t.step("history as Markdown: one row per scope with its level", async () => {
      const r = await keel(repo, ["report", "--history", "--format", "md"]);
      assert.equal(r.code, 0, r.stderr);
      for (const [scope, level] of Object.entries(json.levels as Record<string, string>)) {
        assert.match(
          r.stdout,
          new RegExp(`^\\| ${scope} \\| \\d+ \\| .* \\| \\*\\*${level}\\*\\* \\|$`, "m"),
        );
      }
    });

    await t.step("report/render over RPC equals keel report --json", async () => {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--quiet", MAIN, "serve", "--stdio", "--repo", repo],
        env: { ...GIT_ENV, NO_COLOR: "1" },
        stdin: "piped",
        stdout: "piped",
        stderr: "inherit",
      }).spawn();
      const client = createRpcClient({ readable: child.stdout, writable: child.stdin });
      try {
        for (
          const [cli, params] of [
            [["--run", first, "--format", "md"], { run: first, format: "md" }],
            [["--run", first, "--format", "sarif"], { run: first, format: "sarif" }],
            [["--history", "--format", "md"], { history: true, format: "md" }],
          ] as const
        ) {
          const c = await keelJson(repo, ["report", ...cli]);
          const rpc = await client.call("report/render", params);
          assert.ok("result" in rpc, JSON.stringify(rpc));
          assert.deepEqual(rpc.result, c.json);
        }
        const bad = await client.call("report/render", { history: true, mission: "x" });
        assert.ok("error" in bad);
        assert.equal((bad.error.data as { code: string }).code, "USAGE");
      } finally {
        await client.end();
        await child.status;
      }
    });

    await t.step("bad combinations are USAGE (exit 2) from the core", async () => {
      for (
        const args of [
          ["--history", "--mission", "x"],
          ["--run", first, "--history"],
          ["--history", "--format", "sarif"],
          ["--history", "--contract", "default"],
          ["--window", "3"],
        ]
      ) {
        const r = await keelJson(repo, ["report", ...args]);
        assert.equal(r.code, 2, args.join(" "));
        assert.equal(r.json.error?.code, "USAGE", args.join(" "));
      }
      const none = await keelJson(repo, ["report", "--run", "01ZZZZZZZZZZZZZZZZZZZZZZZZ"]);
      assert.equal(none.json.error?.code, "RUN_NOT_FOUND");
    });

    await t.step("-o refuses a symlink and a directory, and leaves them alone", async () => {
      const target = join(repo, "victim.txt");
      await Deno.writeTextFile(target, "keep me\n");
      await Deno.symlink(target, join(repo, "planted.html"));
      const r = await keelJson(repo, ["report", "-o", "planted.html"]);
      assert.equal(r.code, 3);
      assert.equal(r.json.error?.code, "REPORT_OUTPUT_UNSAFE");
      assert.deepEqual((r.json.error as unknown as { data: unknown }).data, {
        path: "planted.html",
        reason: "a symlink",
      });
      assert.equal(await Deno.readTextFile(target), "keep me\n");
      assert.ok((await Deno.lstat(join(repo, "planted.html"))).isSymlink);
      await Deno.mkdir(join(repo, "adir"));
      const d = await keelJson(repo, ["report", "-o", "adir"]);
      assert.equal(d.json.error?.code, "REPORT_OUTPUT_UNSAFE");
    });
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("keel report --mission: every WP card in its lane, the next pick, the merge blockers", async (t) => {
  const repo = await tempRepo();
  try {
    await writeBoardMission(repo);
    const next = await keelJson(repo, ["next", "--mission", SLUG]);
    assert.equal(next.json.wp_id, "WP05");
    const merge = await keelJson(repo, ["merge", "--mission", SLUG, "--dry-run"]);
    const mergeBlockers = (merge.json.blockers as { wp_id: string; diagnostic_code: string }[])
      .map((b) => [b.wp_id, b.diagnostic_code]);
    assert.deepEqual(mergeBlockers, [["WP01", "REJECTED_REVIEW_ARTIFACT_CONFLICT"]]);

    const r = await keelJson(repo, ["report", "--mission", SLUG]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.view, "mission");
    assert.equal(r.json.subject, SLUG);
    const html = r.json.text as string;

    await t.step("nine lane columns in spec-kitty's order", () => {
      const lanes = [...html.matchAll(/<section class="lane" data-lane="([^"]+)">/g)].map((m) =>
        m[1]
      );
      assert.deepEqual(lanes, [
        "planned",
        "claimed",
        "in_progress",
        "for_review",
        "in_review",
        "approved",
        "done",
        "blocked",
        "canceled",
      ]);
    });
    await t.step("every WP card in the right column", () => {
      const expected: Record<string, string[]> = {
        planned: ["WP05", "WP06"],
        claimed: ["WP09"],
        in_progress: ["WP04"],
        for_review: ["WP03"],
        in_review: ["WP10"],
        approved: ["WP02"],
        done: ["WP01"],
        blocked: ["WP07"],
        canceled: ["WP08"],
      };
      for (const [lane, wps] of Object.entries(expected)) {
        assert.deepEqual(_cards(_lane(html, lane)), wps, lane);
      }
      assert.equal(_cards(html).length, 10);
    });
    await t.step("cards carry title, agent, dependencies and review cycles", () => {
      const card = (wp: string) => {
        const m = html.match(
          new RegExp(`<article [^>]*data-wp="${wp}"[^>]*>([\\s\\S]*?)</article>`),
        );
        assert.ok(m, wp);
        return m[1]!;
      };
      assert.ok(card("WP04").includes("Build part 04"));
      assert.ok(card("WP04").includes("agent: <b>claude</b>"));
      assert.ok(card("WP05").includes("depends on: WP01 ✓"));
      assert.ok(card("WP06").includes("depends on: WP04 (in_progress)"));
      assert.ok(card("WP01").includes("review cycles: 2"));
      assert.ok(card("WP02").includes("review cycles: 1"));
      assert.ok(card("WP03").includes("review cycles: 0"));
    });
    await t.step("the WP next would pick is highlighted, and only it", () => {
      const highlighted = [
        ...html.matchAll(/<article class="card next[^"]*" data-wp="([^"]+)" data-next="true"/g),
      ]
        .map((m) => m[1]);
      assert.deepEqual(highlighted, ["WP05"]);
      assert.ok(html.includes('<p class="next-pick" data-next="WP05">'));
    });
    await t.step("the review-artifact blocker merge would raise is marked on its card", () => {
      const blocked = [...html.matchAll(/data-wp="([^"]+)" data-blockers="([^"]+)"/g)].map((m) => [
        m[1],
        m[2],
      ]);
      assert.deepEqual(blocked, mergeBlockers);
      assert.match(
        _lane(html, "done"),
        /<p class="blocker" data-code="REJECTED_REVIEW_ARTIFACT_CONFLICT"><span class="stop">BLOCKS MERGE<\/span> /,
      );
    });
    await t.step("as Markdown: one row per WP with its lane and marks", async () => {
      const md = await keel(repo, ["report", "--mission", SLUG, "--format", "md"]);
      assert.equal(md.code, 0, md.stderr);
      assert.match(md.stdout, /^\| planned \| `WP05` \| .* \| ⭐ next \|$/m);
      assert.match(
        md.stdout,
        /^\| done \| `WP01` \| .* \| ⛔ `REJECTED_REVIEW_ARTIFACT_CONFLICT` \|$/m,
      );
      for (const wp of Object.keys(WALKS)) assert.match(md.stdout, new RegExp(`\\| \`${wp}\` \\|`));
    });
    await t.step("an unknown mission is MISSION_NOT_FOUND", async () => {
      const bad = await keelJson(repo, ["report", "--mission", "no-such"]);
      assert.equal(bad.json.error?.code, "MISSION_NOT_FOUND");
    });
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});
