import assert from "node:assert/strict";
import { ERROR_CODES } from "../core/errors.ts";
import {
  blockContent,
  ERROR_TABLE_END,
  ERROR_TABLE_START,
  GENERATED_BLOCKS,
  renderErrorTable,
  tableCells,
} from "../scripts/docs.ts";

const README = await Deno.readTextFile(new URL("../README.md", import.meta.url));

// deno fmt pads a table's columns (outside deno-fmt-ignore); compare cell by cell.
const cells = tableCells;

Deno.test("README's first lines give the main job and the test command", () => {
  const head = README.split("\n").slice(0, 6).join("\n");
  assert.match(head, /npx -y deno@2\.9\.6 task keel pilot/);
  assert.match(head, /npx -y deno@2\.9\.6 task ok/);
});

Deno.test("README's error table is generated from ERROR_CODES (run deno task docs)", () => {
  const block = README.slice(
    README.indexOf(ERROR_TABLE_START) + ERROR_TABLE_START.length,
    README.indexOf(ERROR_TABLE_END),
  );
  assert.deepEqual(cells(block), cells(renderErrorTable()));
  const documented = cells(block).slice(2).map((row) => row[1]);
  assert.deepEqual(documented, Object.keys(ERROR_CODES).map((c) => `\`${c}\``));
});

Deno.test("every generated block in README.md and docs/ is current (run deno task docs)", async () => {
  assert.ok(GENERATED_BLOCKS.some((b) => b.file === "README.md" && b.start === ERROR_TABLE_START));
  for (const block of GENERATED_BLOCKS) {
    const text = await Deno.readTextFile(new URL(`../${block.file}`, import.meta.url));
    assert.deepEqual(cells(blockContent(text, block)), cells(block.render()), block.file);
  }
});

Deno.test("README stays a front page: reference lives in docs/", () => {
  const bytes = new TextEncoder().encode(README).length;
  const table = new TextEncoder().encode(
    README.slice(README.indexOf(ERROR_TABLE_START), README.indexOf(ERROR_TABLE_END)),
  ).length;
  assert.ok(bytes - table < 9_000, `README without the error table is ${bytes - table} bytes`);
});

Deno.test(".ci/run runs the README's test command", async () => {
  const ci = await Deno.readTextFile(new URL("../.ci/run", import.meta.url));
  assert.match(ci, /^deno task ok( |$)/m);
  assert.match(ci, /npm install -g .*deno@\$\{DENO_VERSION\}/);
});
