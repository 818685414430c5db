import assert from "node:assert/strict";
import { z } from "zod";
import { SCHEMA_NAMES } from "../core/schema_registry.ts";
import { METHODS } from "./methods.ts";
import { rpcJsonSchema } from "./openrpc.ts";

/** Where a result schema accepts unknown fields: objects that are not strict, `unknown`, `any`. */
function _openings(schema: z.ZodType, path: string, out: string[]): string[] {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  const walk = (s: unknown, p: string) => _openings(s as z.ZodType, p, out);
  switch (def.type) {
    case "object": {
      const catchall = def.catchall as z.ZodType | undefined;
      if (catchall?._zod.def.type !== "never") out.push(`${path} (object)`);
      for (const [k, v] of Object.entries(def.shape as Record<string, unknown>)) {
        walk(v, `${path}.${k}`);
      }
      break;
    }
    case "array":
      walk(def.element, `${path}[]`);
      break;
    case "record":
      walk(def.valueType, `${path}{}`);
      break;
    case "union":
      (def.options as unknown[]).forEach((o, i) => walk(o, `${path}|${i}`));
      break;
    case "optional":
    case "nullable":
    case "default":
    case "readonly":
      walk(def.innerType, path);
      break;
    case "unknown":
    case "any":
      out.push(`${path} (${def.type})`);
      break;
  }
  return out;
}

/**
 * The only places a result may carry data of no fixed shape: JSON Schema
 * documents, finding and diagnostic evidence, a WP's review override, a
 * doctor fix, a dropped write-scope entry (as the WP file wrote it).
 */
const OPEN_BY_DESIGN =
  /(^|\.)(evidence|diagnostics\[\]|fix|override|entry)(\{\})? \(|^\|0 \(object\)$|^\|1\.\w+ \(object\)$/;

Deno.test("every method declares a strict result schema (no field of unknown shape but the listed ones)", async () => {
  for (const [name, def] of Object.entries(METHODS)) {
    const m = await def.load();
    assert.ok(m.result instanceof z.ZodType, name);
    const type = m.result._zod.def.type;
    assert.ok(!["unknown", "any", "record"].includes(type), `${name}: result is ${type}`);
    const open = _openings(m.result, "", []).filter((p) => !OPEN_BY_DESIGN.test(p));
    assert.deepEqual(open, [], name);
    assert.notDeepEqual(rpcJsonSchema(m.result, "output"), {}, name);
  }
});

Deno.test("the walker finds what accepts unknown fields", () => {
  const loose = z.object({ a: z.strictObject({ b: z.unknown() }), c: z.array(z.any()) });
  assert.deepEqual(_openings(loose, "", []), [" (object)", ".a.b (unknown)", ".c[] (any)"]);
  assert.deepEqual(_openings(z.strictObject({ d: z.string().nullable().optional() }), "", []), []);
});

Deno.test("schema/get's result: a JSON Schema document, or every one by name", async () => {
  const m = await METHODS["schema/get"].load();
  assert.deepEqual(_openings(m.result, "", []), [
    "|0 (object)",
    ...SCHEMA_NAMES.map((n) => `|1.${n} (object)`),
  ]);
  assert.equal(m.result.safeParse({ $schema: "x", $id: "y", type: "object" }).success, true);
  assert.equal(m.result.safeParse({ type: "object" }).success, false);
});
