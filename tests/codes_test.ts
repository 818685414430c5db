import assert from "node:assert/strict";
import {
  CODE_DOMAINS,
  CODE_TABLE_FILES,
  codesSchema,
  codeTableMarkers,
  renderCodeTable,
} from "../scripts/codes.ts";

// deno fmt pads the table's columns; compare cell by cell.
function _cells(table: string): string[][] {
  return table.trim().split("\n").map((row) =>
    row.split("|").map((c) => c.trim().replace(/^-+$/, "-"))
  );
}

Deno.test("the docs' code tables are generated from the registries (run deno task docs)", async () => {
  for (const [domain, { codes }] of Object.entries(CODE_DOMAINS)) {
    const file = CODE_TABLE_FILES[domain]!;
    const text = await Deno.readTextFile(new URL(`../${file}`, import.meta.url));
    const [start, end] = codeTableMarkers(domain);
    const i = text.indexOf(start);
    assert.ok(i >= 0 && text.indexOf(end) > i, `${file} lacks the ${domain} markers`);
    const block = text.slice(i + start.length, text.indexOf(end));
    assert.deepEqual(_cells(block), _cells(renderCodeTable(domain)), domain);
    assert.deepEqual(
      _cells(block).slice(2).map((row) => row[1]),
      Object.keys(codes).map((c) => `\`${c}\``),
    );
  }
});

Deno.test("schemas/codes.schema.json is generated from the registries (run deno task schemas)", async () => {
  const file = await Deno.readTextFile(new URL("../schemas/codes.schema.json", import.meta.url));
  assert.deepEqual(JSON.parse(file), codesSchema());
  const defs = codesSchema().$defs as Record<string, { enum: string[] }>;
  assert.deepEqual(Object.keys(defs), ["validation", "drift", "gates", "doctor"]);
  assert.ok(defs.drift!.enum.includes("SCOPE_FILE_FORBIDDEN"));
  assert.ok(defs.doctor!.enum.includes("JSONL_TORN_TAIL"));
});

Deno.test("every registry has the one shape: a severity and a doc per code", () => {
  for (const [domain, { codes }] of Object.entries(CODE_DOMAINS)) {
    for (const [code, info] of Object.entries(codes)) {
      assert.match(code, /^[A-Z][A-Z0-9_]*$/, `${domain} ${code}`);
      assert.ok(["error", "warning", "info"].includes(info.severity), `${domain} ${code}`);
      assert.ok(info.doc.trim().length > 0, `${domain} ${code}`);
    }
  }
});
