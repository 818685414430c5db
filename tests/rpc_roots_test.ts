import assert from "node:assert/strict";
import { systemClock } from "../core/util/mod.ts";
import { createKeelServer } from "../rpc/mod.ts";
import { keel, tempRepo } from "./helpers.ts";

Deno.test("RPC: one server, many folders — repo inside a --root, refused outside", async (t) => {
  const a = await tempRepo();
  const b = await tempRepo();
  const outside = await tempRepo();
  try {
    for (const dir of [a, b]) assert.equal((await keel(dir, ["init"])).code, 0);
    const server = createKeelServer(
      { cwd: "/", clock: systemClock, env: {}, gitBackend: "auto" },
      { roots: [a, b] },
    );
    await t.step("each request works in the repo it names", async () => {
      for (const dir of [a, b]) {
        const r = await server.call("contract/status", { repo: dir });
        assert.ok("result" in r, JSON.stringify(r));
        const status = r.result as { artifacts: { path: string; state: string }[] };
        assert.deepEqual(status.artifacts.map((x) => x.state), ["draft", "draft", "draft"]);
      }
    });
    await t.step("a repo outside every root is PATH_OUTSIDE_REPO", async () => {
      for (const repo of [outside, `${a}/../${outside.split("/").at(-1)}`]) {
        const r = await server.call("contract/status", { repo });
        assert.ok("error" in r);
        const data = r.error.data as { code: string; data: { roots: string[] } };
        assert.equal(data.code, "PATH_OUTSIDE_REPO");
        assert.deepEqual(data.data.roots, [a, b]);
      }
    });
    await t.step("a symlink inside a root that leads outside is refused", async () => {
      await Deno.symlink(outside, `${a}/escape`);
      const r = await server.call("contract/status", { repo: `${a}/escape` });
      assert.ok("error" in r);
      assert.equal((r.error.data as { code: string }).code, "PATH_OUTSIDE_REPO");
    });
    await t.step("without roots, repo must be inside the server's directory", async () => {
      const plain = createKeelServer({ cwd: a, clock: systemClock, env: {}, gitBackend: "auto" });
      const ok = await plain.call("contract/status", { repo: "." });
      assert.ok("result" in ok);
      const r = await plain.call("contract/status", { repo: b });
      assert.equal(("error" in r) && (r.error.data as { code: string }).code, "PATH_OUTSIDE_REPO");
    });
  } finally {
    for (const d of [a, b, outside]) await Deno.remove(d, { recursive: true });
  }
});

Deno.test("keel serve / keel mcp: --root is repeatable, in order, empty by default", async () => {
  const { parseArgv } = await import("../cli/parse.ts");
  const { parser } = await import("../cli/commands/mcp.ts");
  const two = parseArgv([parser], ["mcp", "--root", "/a", "--root", "/b"]);
  assert.ok(two.kind === "ok");
  assert.deepEqual(two.args.roots, ["/a", "/b"]);
  const none = parseArgv([parser], ["mcp"]);
  assert.ok(none.kind === "ok");
  assert.deepEqual(none.args.roots, []);
});
