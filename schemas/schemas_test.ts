import assert from "node:assert/strict";
import { ERROR_CODES } from "../core/errors.ts";
import { renderSchemaFiles } from "./render.ts";

Deno.test("committed schemas/*.schema.json equal what the zod schemas generate", async () => {
  const files = renderSchemaFiles(ERROR_CODES);
  for (const [file, text] of Object.entries(files)) {
    const committed = await Deno.readTextFile(new URL(file, import.meta.url)).catch(() => null);
    assert.notEqual(committed, null, `schemas/${file} is missing: run deno task schemas`);
    assert.deepEqual(
      JSON.parse(committed!),
      JSON.parse(text),
      `schemas/${file} is stale: run deno task schemas`,
    );
  }
});

Deno.test("every schema has a 2020-12 $schema and a $id", () => {
  for (const [file, text] of Object.entries(renderSchemaFiles(ERROR_CODES))) {
    const doc = JSON.parse(text);
    assert.equal(doc.$schema, "https://json-schema.org/draft/2020-12/schema", file);
    assert.match(doc.$id, /^urn:keel:schema:[a-z_]+:1$/, file);
  }
});
