import assert from "node:assert/strict";
import fc from "fast-check";
import { allRoots } from "./commands/mod.ts";
import type { Command, Node } from "./define.ts";
import { parseArgv } from "./parse.ts";

function commands(nodes: readonly Node[]): Command[] {
  return nodes.flatMap((n) => n.kind === "group" ? commands(n.children) : [n]);
}

Deno.test("parseArgv never throws: any argv is a parse, help, version or a usage problem", async () => {
  const roots = await allRoots();
  const all = commands(roots);
  const words = new Set<string>(["--", "-h", "--help", "-V", "--version", "help", "", "-", "x"]);
  for (const c of all) {
    for (const w of c.tag.split(" ")) words.add(w);
    for (const f of Object.values(c.fields)) {
      if (f.kind === "flag" || f.kind === "option") words.add(f.name);
      if (f.kind === "option" || f.kind === "arg") {
        for (const v of f.choices ?? []) words.add(v);
      }
    }
  }
  for (const g of ["--json", "--repo", "--debug", "--git-backend", "--git-backend=cli", "cli"]) {
    words.add(g);
  }
  const token = fc.oneof(fc.constantFrom(...words), fc.string({ maxLength: 6 }));
  fc.assert(
    fc.property(fc.array(token, { maxLength: 8 }), (argv) => {
      const r = parseArgv(roots, argv);
      assert.ok(["ok", "help", "version", "usage"].includes(r.kind));
      if (r.kind === "usage") assert.ok(r.message.length > 0);
      if (r.kind === "ok") {
        const cmd = all.find((c) => c.tag === r.args.cmd);
        assert.ok(cmd !== undefined, r.args.cmd);
        for (const [key, f] of Object.entries(cmd.fields)) {
          if ((f.kind === "option" || f.kind === "arg") && f.required) {
            assert.equal(typeof r.args[key], "string", `${cmd.tag} ${key}`);
          }
          if (f.kind === "flag") assert.equal(typeof r.args[key], "boolean");
          if (f.kind === "rest") {
            assert.ok(Array.isArray(r.args[key]));
            if (!f.optional) assert.ok(r.args[key].length >= 1, `${cmd.tag} ${key}`);
          }
        }
        assert.ok(["auto", "cli", "isomorphic"].includes(r.args.gitBackend));
      }
    }),
    { numRuns: 2000 },
  );
});

Deno.test("parseArgv: options in any order, --name=value, globals before the command", async () => {
  const roots = await allRoots();
  const a = parseArgv(roots, ["--repo", "/r", "run", "record", "--status=failed", "t1", "--json"]);
  assert.equal(a.kind, "ok");
  if (a.kind === "ok") {
    assert.deepEqual(
      [a.args.cmd, a.args.repo, a.args.status, a.args.testId, a.args.json, a.args.note],
      ["run record", "/r", "failed", "t1", true, undefined],
    );
  }
  const b = parseArgv(roots, ["run", "exec", "unit", "--", "deno", "test", "--json"]);
  assert.equal(b.kind, "ok");
  if (b.kind === "ok") {
    assert.deepEqual([b.args.command, b.args.json], [["deno", "test", "--json"], false]);
  }
  const bare = parseArgv(roots, ["run", "exec", "unit"]);
  assert.equal(bare.kind, "ok");
  if (bare.kind === "ok") assert.deepEqual([bare.args.testId, bare.args.command], ["unit", []]);
  const c = parseArgv(roots, ["serve", "--max-frame-bytes", "100"]);
  assert.equal(c.kind, "ok");
  if (c.kind === "ok") assert.deepEqual([c.args.maxFrameBytes, c.args.framing], [100, "ndjson"]);
});
