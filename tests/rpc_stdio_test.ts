import assert from "node:assert/strict";
import { createRpcClient, type RpcClient } from "../rpc/mod.ts";
import { GIT_ENV, tempRepo } from "./helpers.ts";

const MAIN = new URL("../cli/main.ts", import.meta.url).pathname;

interface Served {
  client: RpcClient;
  child: Deno.ChildProcess;
  stderr: Promise<string>;
}

function _serve(repo: string, extra: string[] = [], framing: "ndjson" | "lsp" = "ndjson"): Served {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, "serve", "--stdio", "--repo", repo, ...extra],
    env: { ...GIT_ENV, NO_COLOR: "1" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const client = createRpcClient({ readable: child.stdout, writable: child.stdin }, { framing });
  const stderr = new Response(child.stderr).text();
  return { client, child, stderr };
}

type Err = { error: { code: number; message: string; data: Record<string, unknown> } };

Deno.test("keel serve --stdio: a real client over a real pipe", async (t) => {
  const repo = await tempRepo();
  const s = _serve(repo, ["--max-frame-bytes", "4096"]);
  try {
    await t.step("round trip: keel/version", async () => {
      const r = await s.client.call("keel/version");
      assert.deepEqual(r, {
        jsonrpc: "2.0",
        id: 1,
        result: { version: "0.1.0", commit: "source" },
      });
    });
    await t.step("a core operation: contract/init then contract/status", async () => {
      const init = await s.client.call("contract/init", { name: "demo" }) as {
        result: { created: string[] };
      };
      assert.deepEqual(init.result.created, [
        ".keel/contracts/demo/intent.json",
        ".keel/contracts/demo/test_contract.json",
        ".keel/contracts/demo/commit_plan.json",
      ]);
      const st = await s.client.call("contract/status", { contract: "demo" }) as {
        result: { contract: string; artifacts: { artifact: string; state: string }[] };
      };
      assert.equal(st.result.contract, "demo");
      assert.deepEqual(st.result.artifacts.map((a) => [a.artifact, a.state]), [
        ["intent", "draft"],
        ["tests", "draft"],
        ["plan", "draft"],
      ]);
    });
    await t.step("a keel error: -32000 with the CLI's code", async () => {
      const r = await s.client.call("contract/status", { contract: "nope" }) as unknown as Err;
      assert.equal(r.error.code, -32000);
      assert.equal(r.error.data.code, "CONTRACT_NOT_FOUND");
      assert.deepEqual((r.error.data.data as { contract: string }).contract, "nope");
    });
    await t.step("a batch with a notification inside", async () => {
      await s.client.send(
        JSON.stringify([
          { jsonrpc: "2.0", id: "b1", method: "keel/version" },
          { jsonrpc: "2.0", method: "keel/version" },
          { jsonrpc: "2.0", id: "b2", method: "schema/get", params: { name: "nope" } },
        ]) + "\n",
      );
      const reply = await s.client.next() as { id: string; error?: { data: { code: string } } }[];
      assert.equal(reply.length, 2);
      assert.deepEqual(reply.map((r) => r.id), ["b1", "b2"]);
      assert.equal(reply[1]!.error!.data.code, "SCHEMA_NOT_FOUND");
    });
    await t.step(
      "a notification alone gets nothing; the following request is answered",
      async () => {
        await s.client.send('{"jsonrpc":"2.0","method":"keel/version"}\n');
        await s.client.send('{"jsonrpc":"2.0","method":"no/such"}\n');
        await s.client.send('{"jsonrpc":"2.0","id":"after","method":"keel/version"}\n');
        const next = await s.client.next() as { id: string };
        assert.equal(next.id, "after");
      },
    );
    await t.step("an unknown method: -32601", async () => {
      const r = await s.client.call("mission/frobnicate") as unknown as Err;
      assert.equal(r.error.code, -32601);
    });
    await t.step("invalid params: -32602 with the zod issue", async () => {
      const r = await s.client.call("contract/approve", {
        artifact: "everything",
        by: "me",
      }) as unknown as Err;
      assert.equal(r.error.code, -32602);
      assert.equal(r.error.data.code, "USAGE");
      const issues = (r.error.data.data as { issues: { path: string[] }[] }).issues;
      assert.deepEqual(issues.map((i) => i.path.join(".")), ["artifact"]);
    });
    await t.step("a malformed frame, then a valid one", async () => {
      await s.client.send('{"jsonrpc":"2.0","id":5,"method":\n');
      const bad = await s.client.next() as Err & { id: null };
      assert.equal(bad.error.code, -32700);
      assert.equal(bad.id, null);
      assert.equal(
        (await s.client.call("keel/version") as { result: { version: string } }).result.version,
        "0.1.0",
      );
    });
    await t.step("invalid UTF-8, then a valid frame", async () => {
      await s.client.send(new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d, 0x0a]));
      const bad = await s.client.next() as Err;
      assert.equal(bad.error.code, -32700);
      assert.equal(bad.error.data.reason, "frame is not valid UTF-8");
      assert.ok("result" in await s.client.call("keel/version"));
    });
    await t.step(
      "an oversized frame gets RPC_FRAME_TOO_LARGE and the pipe keeps working",
      async () => {
        await s.client.send(
          `{"jsonrpc":"2.0","id":"big","method":"keel/version","params":{"p":"${
            "x".repeat(10_000)
          }"}}\n`,
        );
        const big = await s.client.next() as Err;
        assert.equal(big.error.code, -32600);
        assert.equal(big.error.data.code, "RPC_FRAME_TOO_LARGE");
        assert.deepEqual(big.error.data.data, { limit: 4096 });
        assert.ok("result" in await s.client.call("keel/version"));
      },
    );
    await t.step(
      "stdin closing ends the server after the request in flight is answered",
      async () => {
        const pending = s.client.call("contract/validate", { contract: "demo" });
        await s.client.end();
        const r = await pending as { result: { contract: string; ok: boolean } };
        assert.equal(r.result.contract, "demo");
        await s.client.closed;
        const status = await s.child.status;
        assert.equal(status.code, 0);
        assert.equal(await s.stderr, "");
      },
    );
  } finally {
    await s.client.end();
    await s.child.status;
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("keel serve --stdio --framing lsp: Content-Length frames written a byte at a time", async () => {
  const repo = await tempRepo();
  const s = _serve(repo, ["--framing", "lsp"], "lsp");
  try {
    const body = new TextEncoder().encode(
      '{"jsonrpc":"2.0","id":"é€","method":"schema/get","params":{"name":"intent"}}',
    );
    const frame = new Uint8Array([
      ...new TextEncoder().encode(`Content-Length: ${body.length}\r\n\r\n`),
      ...body,
    ]);
    for (const b of frame) await s.client.send(new Uint8Array([b]));
    const r = await s.client.next() as { id: string; result: { title?: string; $id: string } };
    assert.equal(r.id, "é€");
    assert.equal(r.result.$id, "urn:keel:schema:intent:1");
    const v = await s.client.call("keel/version") as { result: { version: string } };
    assert.equal(v.result.version, "0.1.0");
  } finally {
    await s.client.end();
    assert.equal((await s.child.status).code, 0);
    await s.stderr;
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("keel serve --stdio: input ending in the middle of a frame ends the server cleanly", async () => {
  const repo = await tempRepo();
  const s = _serve(repo);
  try {
    assert.ok("result" in await s.client.call("keel/version"));
    await s.client.send('{"jsonrpc":"2.0","id":2,"method":"keel/ver');
    await s.client.end();
    assert.equal(await s.client.next(), undefined);
    assert.equal((await s.child.status).code, 0);
    assert.equal(await s.stderr, "");
  } finally {
    await s.client.end();
    await s.child.status;
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("keel serve needs exactly one of --stdio and --socket", async (t) => {
  for (const args of [["serve"], ["serve", "--stdio", "--socket", "/tmp/never.sock"]]) {
    await t.step(args.join(" "), async () => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--quiet", MAIN, ...args, "--json"],
        env: { ...GIT_ENV, NO_COLOR: "1" },
        stdin: "null",
      }).output();
      assert.equal(out.code, 2);
      const doc = JSON.parse(new TextDecoder().decode(out.stdout));
      assert.equal(doc.error.code, "USAGE");
    });
  }
});
