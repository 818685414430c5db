import assert from "node:assert/strict";
import { join } from "node:path";
import { compileTargets, findBaseBinary, hostTarget } from "../scripts/compile.ts";
import { FIXTURES, HAVE_FIXTURES, tempRepo } from "./helpers.ts";

const base = await findBaseBinary(hostTarget(), { network: false });
const NAME = "compiled host binary: --version, pilot, next on a fixture, serve --stdio round trip";

Deno.test({
  name: base.available ? NAME : `${NAME} — SKIPPED: no denort base binary (${base.detail})`,
  ignore: !base.available,
  async fn() {
    const out = await Deno.makeTempDir({ prefix: "keel-dist-" });
    try {
      const [built] = await compileTargets({ targets: [hostTarget()], outDir: out });
      assert.ok(built);
      const sums = await Deno.readTextFile(join(out, "SHA256SUMS"));
      assert.match(sums, new RegExp(`^${built.sha256}  keel-${hostTarget()}`, "m"));
      const run = async (args: string[], cwd = out, stdin?: string) => {
        const child = new Deno.Command(built.file, {
          args,
          cwd,
          stdin: stdin === undefined ? "null" : "piped",
          stdout: "piped",
          stderr: "piped",
        }).spawn();
        if (stdin !== undefined) {
          const w = child.stdin.getWriter();
          await w.write(new TextEncoder().encode(stdin));
          await w.close();
        }
        const o = await child.output();
        return { code: o.code, stdout: new TextDecoder().decode(o.stdout) };
      };
      const version = await run(["--version"]);
      assert.equal(version.code, 0);
      assert.match(version.stdout, /^keel \d+\.\d+\.\d+ \([0-9a-f]{12}(-dirty)?\)\n$/);
      const pilot = await run(["pilot", "--json"]);
      assert.equal(pilot.code, 0);
      assert.equal(JSON.parse(pilot.stdout).ok, true);
      if (HAVE_FIXTURES) {
        const repo = await tempRepo();
        const slug = "workflow-parity-988-989-991-01KRKTT5";
        await Deno.mkdir(join(repo, "kitty-specs"));
        await new Deno.Command("cp", {
          args: ["-r", join(FIXTURES, slug), join(repo, "kitty-specs")],
        })
          .output();
        const next = await run(["next", "--mission", slug, "--json"], repo);
        assert.equal(next.code, 0);
        assert.equal(JSON.parse(next.stdout).wp_id, "WP01");
        await Deno.remove(repo, { recursive: true });
      }
      const rpc = await run(
        ["serve", "--stdio"],
        out,
        '{"jsonrpc":"2.0","id":1,"method":"keel/version"}\n',
      );
      assert.equal(rpc.code, 0);
      const reply = JSON.parse(rpc.stdout.trim().split("\n")[0]!);
      assert.equal(reply.id, 1);
      assert.match(reply.result.version, /^\d+\.\d+\.\d+$/);
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});

Deno.test("compile refuses clearly when no base binary can be had", async () => {
  if (base.available) return; // a base binary exists here: the real build above covers compile
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../scripts/compile.ts", import.meta.url).pathname, "--host"],
    env: { DENORT_BIN: "/nonexistent/denort" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 3);
  assert.match(err, /deno compile needs Deno's denort base binary/);
  assert.match(err, /DENORT_BIN=\/nonexistent\/denort does not exist/);
  assert.doesNotMatch(err, /at .*\.ts:\d+/, "no stack trace");
});
