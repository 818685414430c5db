import assert from "node:assert/strict";
import { CODE_DOMAINS, codesSchema, codeTableMarkers, renderCodeTable } from "../scripts/codes.ts";

const README = await Deno.readTextFile(new URL("../README.md", import.meta.url));

// deno fmt pads the table's columns; compare cell by cell.
function _cells(table: string): string[][] {
  return table.trim().split("\n").map((row) =>
    row.split("|").map((c) => c.trim().replace(/^-+$/, "-"))
  );
}

Deno.test("README's code tables are generated from the registries (run deno task docs)", () => {
  for (const [domain, { codes }] of Object.entries(CODE_DOMAINS)) {
    const [start, end] = codeTableMarkers(domain);
    const i = README.indexOf(start);
    assert.ok(i >= 0 && README.indexOf(end) > i, `README lacks the ${domain} markers`);
    const block = README.slice(i + start.length, README.indexOf(end));
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
