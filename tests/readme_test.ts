import assert from "node:assert/strict";
import { ERROR_CODES } from "../core/errors.ts";
import { ERROR_TABLE_END, ERROR_TABLE_START, renderErrorTable } from "../scripts/docs.ts";

const README = await Deno.readTextFile(new URL("../README.md", import.meta.url));

Deno.test("README's first lines give the main job and the test command", () => {
  const head = README.split("\n").slice(0, 6).join("\n");
  assert.match(head, /npx -y deno@2\.9\.6 task keel pilot/);
  assert.match(head, /npx -y deno@2\.9\.6 task ok/);
});

Deno.test("README's error table is generated from ERROR_CODES (run deno task docs)", () => {
  // deno fmt pads the table's columns; compare cell by cell.
  const cells = (table: string) =>
    table.trim().split("\n").map((row) => row.split("|").map((c) => c.trim().replace(/^-+$/, "-")));
  const block = README.slice(
    README.indexOf(ERROR_TABLE_START) + ERROR_TABLE_START.length,
    README.indexOf(ERROR_TABLE_END),
  );
  assert.deepEqual(cells(block), cells(renderErrorTable()));
  const documented = cells(block).slice(2).map((row) => row[1]);
  assert.deepEqual(documented, Object.keys(ERROR_CODES).map((c) => `\`${c}\``));
});

Deno.test(".ci/run runs the README's test command", async () => {
  const ci = await Deno.readTextFile(new URL("../.ci/run", import.meta.url));
  assert.match(ci, /^deno task ok( |$)/m);
  assert.match(ci, /npm install -g .*deno@\$\{DENO_VERSION\}/);
});
