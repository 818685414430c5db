import assert from "node:assert/strict";
import { ERROR_CODES } from "../core/errors.ts";
import { updateReadme } from "../scripts/docs.ts";

const README = await Deno.readTextFile(new URL("../README.md", import.meta.url));

Deno.test("README's first lines give the main job and the test command", () => {
  const head = README.split("\n").slice(0, 6).join("\n");
  assert.match(head, /npx -y deno@2\.9\.6 task keel pilot/);
  assert.match(head, /npx -y deno@2\.9\.6 task ok/);
});

Deno.test("README's error table is generated from ERROR_CODES (run deno task docs)", () => {
  assert.equal(README, updateReadme(README));
  for (const code of Object.keys(ERROR_CODES)) assert.ok(README.includes(`| \`${code}\` |`), code);
});

Deno.test(".ci/run runs the README's test command", async () => {
  const ci = await Deno.readTextFile(new URL("../.ci/run", import.meta.url));
  assert.match(ci, /^deno task ok$/m);
  assert.match(ci, /npm install -g .*deno@\$\{DENO_VERSION\}/);
});
