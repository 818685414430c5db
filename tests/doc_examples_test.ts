import assert from "node:assert/strict";
import { findWeakExamples, weakExamples } from "../scripts/check_examples.ts";

Deno.test("every doc example in keel's sources asserts with node:assert/strict", () => {
  assert.deepEqual(findWeakExamples(), []);
});

Deno.test("weakExamples() refuses an example without an assertion, or with the console's assert", () => {
  const block = (code: string) =>
    `/**\n * Doc.\n *\n * @example\n * \`\`\`ts\n${code}\n * \`\`\`\n */\n`;
  const printOnly = ["console", "assert"].join(".") + "(1 === 2);";
  assert.deepEqual(weakExamples("a.ts", block(` * ${printOnly}`)), [
    { file: "a.ts", line: 5, reason: "uses the console's assert, which only prints" },
  ]);
  assert.deepEqual(weakExamples("a.ts", block(" * const x = 1;")), [
    { file: "a.ts", line: 5, reason: "asserts nothing with node:assert/strict" },
  ]);
  assert.deepEqual(
    weakExamples(
      "a.ts",
      block(' * import assert from "node:assert/strict";\n * assert.equal(1, 1);'),
    ),
    [],
  );
});

Deno.test("a doc example with a false assertion fails deno test --doc", async () => {
  const dir = await Deno.makeTempDir({ prefix: "keel-doc-" });
  try {
    const src = [
      "/**",
      " * Adds one.",
      " *",
      " * @example",
      " * ```ts",
      ' * import assert from "node:assert/strict";',
      ' * import { addOne } from "./m.ts";',
      " * assert.equal(addOne(1), 3);",
      " * ```",
      " */",
      "export function addOne(n: number): number {",
      "  return n + 1;",
      "}",
      "",
    ].join("\n");
    await Deno.writeTextFile(`${dir}/m.ts`, src);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["test", "--doc", "--no-config", `${dir}/m.ts`],
      cwd: dir,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    assert.notEqual(out.code, 0, text);
    assert.match(text, /AssertionError/);
    assert.match(text, /1 failed/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
