/**
 * The work-package flow over MCP (the official client against `keel mcp`):
 * `mission_implement` with `run: true` claims, prepares the lane worktree
 * and says why no run started; with `workspace: false` it only claims;
 * `mission_review` carries `wp_runs` and `run_check`.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { writeMission } from "../core/mission/test_support.ts";
import { git, GIT_ENV } from "./helpers.ts";

const MAIN = new URL("../cli/main.ts", import.meta.url).pathname;
const SLUG = "mcp-01KTMCPA";

type ToolResult = {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: { type: string; text: string }[];
};

Deno.test("MCP: mission_implement run/workspace, mission_review wp_runs", async () => {
  const repo = await Deno.makeTempDir({ prefix: "workspace-mcp-" });
  await git(repo, "init", "-q", "-b", "main");
  await Deno.writeTextFile(join(repo, ".gitignore"), ".worktrees/\n.keel/locks/\n");
  await writeMission(repo, {
    slug: SLUG,
    missionId: "01KTMCPAAAAAAAAAAAAAAAAAAA",
    wps: [{ id: "WP01" }, { id: "WP02" }],
  });
  await git(repo, "add", "-A");
  await git(repo, "commit", "-qm", "mission");
  const transport = new StdioClientTransport({
    command: Deno.execPath(),
    args: ["run", "-A", "--quiet", MAIN, "mcp", "--repo", repo],
    env: { ...GIT_ENV, NO_COLOR: "1", PATH: Deno.env.get("PATH") ?? "" },
    stderr: "pipe",
  });
  const client = new Client({ name: "keel-test", version: "0.0.0" });
  await client.connect(transport);
  try {
    const tools = (await client.listTools()).tools as {
      name: string;
      inputSchema: { properties?: Record<string, unknown> };
    }[];
    const impl = tools.find((t) => t.name === "mission_implement")!;
    assert.ok("run" in impl.inputSchema.properties! && "workspace" in impl.inputSchema.properties!);
    const review = tools.find((t) => t.name === "mission_review")!;
    assert.ok("requireAligned" in review.inputSchema.properties!);

    const r = await client.callTool({
      name: "mission_implement",
      arguments: { mission: SLUG, agent: "claude", wp: "WP01", run: true },
    }) as ToolResult;
    assert.equal(r.isError ?? false, false, r.content[0]?.text);
    const s = r.structuredContent!;
    assert.equal(s.wp_id, "WP01");
    assert.equal((s.workspace as { path: string }).path, `.worktrees/${SLUG}-lane-a`);
    assert.equal((s.workspace as { branch: string }).branch, `kitty/mission-${SLUG}-lane-a`);
    assert.equal(s.run, null);
    assert.equal((s.no_run as { code: string }).code, "CONTRACT_NOT_FOUND");
    assert.match(r.content[0]!.text, /Run: {7}none: CONTRACT_NOT_FOUND/);
    assert.equal(
      (await git(join(repo, `.worktrees/${SLUG}-lane-a`), "symbolic-ref", "--short", "HEAD"))
        .trim(),
      `kitty/mission-${SLUG}-lane-a`,
    );

    const only = await client.callTool({
      name: "mission_implement",
      arguments: { mission: SLUG, agent: "claude", wp: "WP02", workspace: false },
    }) as ToolResult;
    assert.equal(only.structuredContent!.workspace, null);
    await assert.rejects(Deno.lstat(join(repo, `.worktrees/${SLUG}-lane-b`)));

    const rv = await client.callTool({
      name: "mission_review",
      arguments: { mission: SLUG, requireAligned: true },
    }) as ToolResult;
    const wpRuns = rv.structuredContent!.wp_runs as { wp_id: string; run_status: string }[];
    assert.deepEqual(wpRuns.map((w) => [w.wp_id, w.run_status]), [
      ["WP01", "not run"],
      ["WP02", "not run"],
    ]);
    assert.deepEqual(rv.structuredContent!.run_check, { result: "pass", drifted: [] });
    assert.match(rv.content[0]!.text, /Keel runs per WP:/);
  } finally {
    await client.close();
    await Deno.remove(repo, { recursive: true });
  }
});
