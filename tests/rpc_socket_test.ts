import assert from "node:assert/strict";
import { createRpcClient, type RpcClient, unixDuplex } from "../rpc/mod.ts";
import { GIT_ENV, tempRepo } from "./helpers.ts";

const MAIN = new URL("../cli/main.ts", import.meta.url).pathname;

interface Server {
  child: Deno.ChildProcess;
  path: string;
  stderr: Promise<string>;
}

async function _start(repo: string, path: string): Promise<Server> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, "serve", "--socket", path, "--repo", repo],
    env: { ...GIT_ENV, NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  void new Response(child.stdout).text();
  let exited = false;
  child.status.then(() => (exited = true));
  while (!(await _connectable(path))) {
    if (exited) throw new Error(`server exited early: ${await stderr}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return { child, path, stderr };
}

async function _connectable(path: string): Promise<boolean> {
  try {
    (await Deno.connect({ transport: "unix", path })).close();
    return true;
  } catch {
    return false;
  }
}

async function _exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

async function _client(path: string): Promise<{ client: RpcClient; conn: Deno.UnixConn }> {
  const conn = await Deno.connect({ transport: "unix", path });
  return { client: createRpcClient(unixDuplex(conn)), conn };
}

function _rssKiB(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
}

type Err = { id: unknown; error: { code: number; data: Record<string, unknown> } };

Deno.test("keel serve --socket: a real client over a real unix socket", async (t) => {
  const repo = await tempRepo();
  const dir = await Deno.makeTempDir({ prefix: "keel-sock-" });
  await Deno.chmod(dir, 0o755);
  const path = `${dir}/keel.sock`;
  const server = await _start(repo, path);
  try {
    await t.step("the socket is 0600, and no temporary entry is left beside it", async () => {
      const st = await Deno.lstat(path);
      assert.ok(st.isSocket);
      assert.equal(st.mode! & 0o777, 0o600);
      assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["keel.sock"]);
    });

    await t.step("round trip, batch, unknown method", async () => {
      const { client, conn } = await _client(path);
      assert.deepEqual(await client.call("keel/version"), {
        jsonrpc: "2.0",
        id: 1,
        result: { version: "0.1.0", commit: "source" },
      });
      await client.send(
        '[{"jsonrpc":"2.0","id":"a","method":"keel/version"},{"jsonrpc":"2.0","id":"b","method":"x/y"}]\n',
      );
      const batch = await client.next() as Err[];
      assert.deepEqual(batch.map((r) => [r.id, r.error?.code ?? "ok"]), [["a", "ok"], [
        "b",
        -32601,
      ]]);
      conn.close();
    });

    await t.step("a second server on the same path is refused with exit 4", async () => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--quiet", MAIN, "serve", "--socket", path, "--repo", repo],
        env: { ...GIT_ENV, NO_COLOR: "1" },
        stdin: "null",
      }).output();
      assert.equal(out.code, 4);
      assert.match(new TextDecoder().decode(out.stderr), /error\[RPC_SOCKET_IN_USE\]/);
      const { client, conn } = await _client(path);
      assert.ok("result" in await client.call("keel/version"));
      conn.close();
    });

    await t.step("a client that disconnects mid-frame; the next client is answered", async () => {
      const a = await Deno.connect({ transport: "unix", path });
      await a.write(new TextEncoder().encode('{"jsonrpc":"2.0","id":1,"method":"keel/ver'));
      a.close();
      const { client, conn } = await _client(path);
      assert.ok("result" in await client.call("keel/version"));
      conn.close();
    });

    await t.step("a half-open client (write side shut) still gets its response", async () => {
      const conn = await Deno.connect({ transport: "unix", path });
      const client = createRpcClient(unixDuplex(conn));
      await client.send(
        '{"jsonrpc":"2.0","id":"h","method":"contract/init","params":{"name":"half"}}\n',
      );
      await conn.closeWrite();
      const r = await client.next() as { id: string; result: { contract: string } };
      assert.equal(r.id, "h");
      assert.equal(r.result.contract, "half");
      await client.closed;
      conn.close();
    });

    await t.step(
      "abuse: 100 idle connections, twenty 10 MB frames, a 10,000-element batch, invalid UTF-8, a client that never reads",
      async () => {
        // A leak grows with every round; V8's heap settles after a couple of
        // rounds (measured: 68 → 165 → 172 → 179 → 202 MiB), so the growth that
        // counts is the one after the first two rounds.
        const ROUNDS = 4;
        const rss = [_rssKiB(server.child.pid)];
        let silentKiB = 0;
        for (let round = 0; round < ROUNDS; round++) {
          const idle = await Promise.all(
            Array.from({ length: 100 }, () => Deno.connect({ transport: "unix", path })),
          );
          const { client, conn } = await _client(path);
          assert.ok("result" in await client.call("keel/version"));

          const hog = await Deno.connect({ transport: "unix", path });
          const request = new TextEncoder().encode(
            Array.from(
              { length: 500 },
              (_, i) => `{"jsonrpc":"2.0","id":${i},"method":"schema/get"}`,
            )
              .join("\n") + "\n",
          );
          let hogWritten = 0;
          const hogWriting = (async () => {
            try {
              for (let i = 0; i < 40; i++) {
                await hog.write(request);
                hogWritten += request.length;
              }
            } catch {
              // dropped by the server
            }
          })();

          const big = await Deno.connect({ transport: "unix", path });
          const bigClient = createRpcClient(unixDuplex(big));
          const tenMb = `{"jsonrpc":"2.0","id":"big","method":"keel/version","params":{"p":"${
            "x".repeat(10 * 1024 * 1024)
          }"}}\n`;
          const bytes = new TextEncoder().encode(tenMb);
          for (let i = 0; i < 20; i++) {
            await bigClient.send(bytes);
            const tooLarge = await bigClient.next() as Err;
            assert.equal(tooLarge.error.code, -32600);
            assert.equal(tooLarge.error.data.code, "RPC_FRAME_TOO_LARGE");
            assert.deepEqual(tooLarge.error.data.data, { limit: 4 * 1024 * 1024 });
            assert.ok("result" in await bigClient.call("keel/version"));
          }

          const batch = JSON.stringify(
            Array.from(
              { length: 10_000 },
              (_, i) => ({ jsonrpc: "2.0", id: i, method: "keel/version" }),
            ),
          );
          await bigClient.send(batch + "\n");
          const batchReply = await bigClient.next() as Err;
          assert.equal(batchReply.error.code, -32600);
          assert.deepEqual(batchReply.error.data, { limit: 1000, size: 10_000 });

          await bigClient.send(new Uint8Array([0xff, 0xfe, 0x0a]));
          const utf = await bigClient.next() as Err;
          assert.equal(utf.error.code, -32700);

          for (let i = 0; i < 50; i++) {
            assert.ok("result" in await client.call("keel/version"), `well-behaved call ${i}`);
          }
          hog.close();
          await hogWriting;
          big.close();
          for (const c of idle) c.close();
          assert.ok("result" in await client.call("keel/version"));
          conn.close();
          rss.push(_rssKiB(server.child.pid));
          silentKiB = Math.round(hogWritten / 1024);
        }
        const mib = rss.map((k) => Math.round(k / 1024));
        // deno-lint-ignore no-console
        console.log(
          `server RSS ${mib.join(" → ")} MiB over ${ROUNDS} rounds; the silent client got ` +
            `${silentKiB} KiB in before its writes blocked`,
        );
        assert.ok(rss[4]! - rss[0]! < 220 * 1024, `server RSS grew to ${mib[4]} MiB`);
        assert.ok(
          rss[4]! - rss[2]! < 80 * 1024,
          `rounds 3 and 4 grew ${mib[4]! - mib[2]!} MiB (each round sends over 200 MB)`,
        );
      },
    );

    await t.step("SIGTERM stops the server cleanly and removes the socket", async () => {
      const { client, conn } = await _client(path);
      assert.ok("result" in await client.call("keel/version"));
      server.child.kill("SIGTERM");
      assert.equal((await server.child.status).code, 0);
      await client.closed;
      conn.close();
      assert.equal(await _exists(path), false);
      assert.deepEqual([...Deno.readDirSync(dir)], []);
    });
  } finally {
    try {
      server.child.kill("SIGKILL");
    } catch {
      // already exited
    }
    await server.child.status;
    await server.stderr;
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("keel serve --socket: a stale socket file is replaced; a non-socket file is refused", async (t) => {
  const repo = await tempRepo();
  const dir = await Deno.makeTempDir({ prefix: "keel-sock-" });
  try {
    await t.step("stale socket (nobody listening) is replaced", async () => {
      const path = `${dir}/stale.sock`;
      const l = Deno.listen({ transport: "unix", path: `${dir}/orig.sock` });
      await Deno.link(`${dir}/orig.sock`, path);
      l.close();
      assert.ok((await Deno.lstat(path)).isSocket);
      const server = await _start(repo, path);
      const { client, conn } = await _client(path);
      assert.ok("result" in await client.call("keel/version"));
      conn.close();
      server.child.kill("SIGINT");
      assert.equal((await server.child.status).code, 0);
      await server.stderr;
      assert.equal(await _exists(path), false);
    });
    await t.step("a regular file at the path is left alone and the server exits 4", async () => {
      const path = `${dir}/file.sock`;
      await Deno.writeTextFile(path, "precious");
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--quiet", MAIN, "serve", "--socket", path, "--repo", repo, "--json"],
        env: { ...GIT_ENV, NO_COLOR: "1" },
        stdin: "null",
      }).output();
      assert.equal(out.code, 4);
      const doc = JSON.parse(new TextDecoder().decode(out.stdout));
      assert.equal(doc.error.code, "RPC_SOCKET_IN_USE");
      assert.equal(doc.error.data.reason, "not a socket");
      assert.equal(await Deno.readTextFile(path), "precious");
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("keel serve --socket: a missing parent folder or an over-long path is RPC_SOCKET_PATH_INVALID; a 107-byte path works", async (t) => {
  const repo = await tempRepo();
  const dir = await Deno.makeTempDir({ prefix: "keel-sock-" });
  const refused = async (path: string) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", MAIN, "serve", "--socket", path, "--repo", repo, "--json"],
      env: { ...GIT_ENV, NO_COLOR: "1" },
      stdin: "null",
    }).output();
    const doc = JSON.parse(new TextDecoder().decode(out.stdout));
    return { code: out.code, error: doc.error as { code: string; data: { reason: string } } };
  };
  try {
    await t.step("missing parent folder", async () => {
      const r = await refused(`${dir}/no/such/folder/k.sock`);
      assert.equal(r.code, 3);
      assert.equal(r.error.code, "RPC_SOCKET_PATH_INVALID");
      assert.equal(r.error.data.reason, `the folder ${dir}/no/such/folder does not exist`);
    });
    await t.step("parent that is a file", async () => {
      await Deno.writeTextFile(`${dir}/plain`, "x");
      const r = await refused(`${dir}/plain/k.sock`);
      assert.equal(r.code, 3);
      assert.equal(r.error.code, "RPC_SOCKET_PATH_INVALID");
      assert.equal(r.error.data.reason, `${dir}/plain is not a folder`);
      assert.equal(await Deno.readTextFile(`${dir}/plain`), "x");
      await Deno.remove(`${dir}/plain`);
    });
    await t.step("108-byte path", async () => {
      const path = `${dir}/${"x".repeat(108 - dir.length - 1)}`;
      assert.equal(path.length, 108);
      const r = await refused(path);
      assert.equal(r.code, 3);
      assert.equal(r.error.code, "RPC_SOCKET_PATH_INVALID");
      assert.equal(
        r.error.data.reason,
        "the path is 108 bytes; a unix socket path holds at most 107",
      );
      assert.equal(await _exists(path), false);
    });
    await t.step("107-byte path serves, is 0600 and is removed at the end", async () => {
      const path = `${dir}/${"y".repeat(107 - dir.length - 1)}`;
      assert.equal(new TextEncoder().encode(path).length, 107);
      const server = await _start(repo, path);
      try {
        assert.equal((await Deno.lstat(path)).mode! & 0o777, 0o600);
        assert.deepEqual(
          [...Deno.readDirSync(dir)].map((e) => e.name),
          ["y".repeat(107 - dir.length - 1)],
        );
        const { client, conn } = await _client(path);
        assert.ok("result" in await client.call("keel/version"));
        conn.close();
      } finally {
        server.child.kill("SIGINT");
        assert.equal((await server.child.status).code, 0);
        await server.stderr;
      }
      assert.equal(await _exists(path), false);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(repo, { recursive: true });
  }
});
