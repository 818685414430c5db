import assert from "node:assert/strict";
import fc from "fast-check";
import { escapeHtml, escapeMd, mdCode } from "./escape.ts";

Deno.test("escapeHtml() leaves no markup and decodes back to the input (property)", () => {
  const decode = (s: string) =>
    s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'")
      .replace(/&amp;/g, "&");
  fc.assert(fc.property(fc.string({ unit: "grapheme" }), (s) => {
    const out = escapeHtml(s);
    assert.ok(!/[<>"']/.test(out));
    assert.equal(decode(out), s);
  }));
});

Deno.test("escapeMd() and mdCode() keep a table cell on one line with no bare pipe (property)", () => {
  fc.assert(fc.property(fc.string(), (s) => {
    for (const out of [escapeMd(s), mdCode(s)]) {
      assert.ok(!/[\r\n]/.test(out));
      assert.ok(!/(^|[^\\])\|/.test(out), out);
      assert.ok(!/[<>]/.test(escapeMd(s)));
    }
    assert.equal(mdCode(s).split("`").length, 3, "one code span");
  }));
});
