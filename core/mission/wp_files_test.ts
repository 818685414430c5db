import assert from "node:assert/strict";
import fc from "fast-check";
import { parse as parseYaml } from "yaml";
import { KeelError } from "../errors.ts";
import { parseWpFile } from "./wp_files.ts";

const BOMB = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
  "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
  "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
  "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
].join("\n");

async function both(front: string) {
  const text = `---\n${front}\n---\n# body\n`;
  const settle = async (read: "full" | "light") => {
    try {
      const wp = await parseWpFile("WP01-x.md", text, { read });
      return { ok: true as const, dependencies: wp.dependencies, baseCommit: wp.baseCommit };
    } catch (error) {
      assert.ok(error instanceof KeelError, String(error));
      return { ok: false as const, code: error.code };
    }
  };
  return { full: await settle("full"), light: await settle("light") };
}

Deno.test("the light frontmatter read refuses what the YAML read refuses (alias bomb, tabs, `key: - x`)", async () => {
  for (
    const front of [
      `work_package_id: WP01\ndependencies: []\n${BOMB}`,
      "work_package_id: WP01\ntitle: - x\ndependencies: [WP02]",
      "dependencies:\n\t- WP02",
      "title: a: b\ndependencies: []",
    ]
  ) {
    const r = await both(front);
    assert.equal(r.full.ok, false, front);
    assert.deepEqual(r.light, r.full, front);
  }
});

Deno.test("the light frontmatter read agrees with the YAML read on generated frontmatter", async () => {
  const word = fc.constantFrom("WP01", "WP02", "abc", "a b", "x#y", "x #c", "-x", "- x", "? x");
  const scalar = fc.oneof(
    word,
    word.map((w) => `"${w}"`),
    word.map((w) => `'${w}'`),
    fc.constantFrom("", "~", "null", "&a x", "*a", "!tag x", "[WP01, WP02]", "[]", "{a: 1}", "|"),
    fc.constantFrom("['#1931']", "[WP01,]", "[,]", `['a', "b"]`, "[a] # c", "[a]x", "[a, [b]]"),
  );
  const key = fc.constantFrom("dependencies", "base_commit", "title", "history", "lane");
  const line = fc.oneof(
    fc.tuple(key, scalar).map(([k, v]) => (v === "" ? `${k}:` : `${k}: ${v}`)),
    scalar.map((v) => `  - ${v}`),
    scalar.map((v) => `- ${v}`),
    fc.tuple(key, scalar).map(([k, v]) => `  - ${k}: ${v}`),
    fc.tuple(key, scalar).map(([k, v]) => `    ${k}: ${v}`),
    fc.tuple(key, scalar).map(([k, v]) => `  ${k}: ${v}`),
    fc.constantFrom("# comment", "", "\t- WP01", "plain text"),
  );
  await fc.assert(
    fc.asyncProperty(fc.array(line, { maxLength: 8 }), async (lines) => {
      const front = lines.join("\n");
      const r = await both(front);
      // The light read may only answer when the YAML read would accept it.
      if (r.light.ok) {
        assert.equal(r.full.ok, true, `light accepted what YAML refuses:\n${front}`);
        let yamlOk = true;
        try {
          parseYaml(front, { uniqueKeys: false, logLevel: "error" });
        } catch {
          yamlOk = false;
        }
        assert.ok(yamlOk, front);
      }
      assert.equal(r.light.ok, r.full.ok, front);
      if (r.light.ok && r.full.ok) {
        assert.deepEqual(r.light.dependencies, r.full.dependencies, front);
        assert.equal(r.light.baseCommit, r.full.baseCommit, front);
      }
    }),
    { numRuns: 2000 },
  );
});
