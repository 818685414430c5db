import assert from "node:assert/strict";
import fc from "fast-check";
import { canonicalJson, canonicalJsonOfStored } from "./canonical_json.ts";

/** The definition: keys sorted, undefined members dropped, no whitespace. */
function reference(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (value === undefined) return "null";
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return "[" + value.map((v) => reference(v)).join(",") + "]";
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return "{" + keys.map((k) => JSON.stringify(k) + ":" + reference(obj[k])).join(",") + "}";
}

Deno.test("canonicalJson() equals the recursive definition on any JSON value, with undefined members", () => {
  const value = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: "small" },
      fc.constant(undefined),
      fc.constant(null),
      fc.boolean(),
      fc.double(),
      fc.integer(),
      fc.string({ unit: "binary" }),
      fc.array(tie("node")),
      fc.dictionary(fc.string({ unit: "binary" }), tie("node")),
    ),
  })).node;
  fc.assert(fc.property(value, (v) => assert.equal(canonicalJson(v), reference(v))), {
    numRuns: 500,
  });
  assert.equal(
    canonicalJson({ b: undefined, a: [undefined, {}], "é": 1, z: { y: 2, x: [] } }),
    '{"a":[null,{}],"z":{"x":[],"y":2},"é":1}',
  );
  assert.equal(canonicalJson({ only: undefined }), "{}");
});

Deno.test("canonicalJsonOfStored() equals canonicalJson() of the value read back from JSON", () => {
  const key = fc.oneof(
    fc.string({ unit: "binary" }),
    fc.constantFrom("0", "1", "10", "9", "__proto__", "constructor", "01", "-1", "4294967295"),
  );
  const value = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: "small" },
      fc.constant(undefined),
      fc.constant(null),
      fc.boolean(),
      fc.double(),
      fc.integer(),
      fc.string({ unit: "binary" }),
      fc.array(tie("node")),
      fc.dictionary(key, tie("node")),
    ),
  })).node;
  const object = fc.dictionary(key, value);
  fc.assert(
    fc.property(
      object,
      (v) => assert.equal(canonicalJsonOfStored(v), canonicalJson(JSON.parse(JSON.stringify(v)))),
    ),
    { numRuns: 1000 },
  );
  assert.equal(canonicalJsonOfStored({ b: 1, 10: "x", 9: "y" }), '{"10":"x","9":"y","b":1}');
  assert.equal(
    canonicalJsonOfStored({ at: new Date(0), m: [undefined] }),
    '{"at":"1970-01-01T00:00:00.000Z","m":[null]}',
  );
  assert.equal(
    canonicalJsonOfStored(JSON.parse('{"__proto__":{"z":1},"a":2}')),
    '{"__proto__":{"z":1},"a":2}',
  );
});
