import assert from "node:assert/strict";
import type { PlannedTest } from "../../schemas/test_contract.ts";
import { matchJUnitCase, parseJUnit } from "./parse_junit.ts";

Deno.test("parseJUnit() reads every testcase with its outcome", async (t) => {
  await t.step("nested suites; failures, errors and skips kept apart", () => {
    const r = parseJUnit(`<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
  <testsuite name="s1">
    <testcase classname="pkg.A" name="ok" time="0.25" file="a.ts"/>
    <testcase classname="pkg.A" name="bad"><failure message="expected 1 &lt; 2">trace</failure></testcase>
    <testcase classname="pkg.B" name="boom"><error type="TypeError">stack</error></testcase>
    <testcase classname="pkg.B" name="later"><skipped/></testcase>
    <testsuite name="inner"><testcase name="bare"/></testsuite>
  </testsuite>
</testsuites>`);
    assert.ok(r.ok);
    assert.deepEqual(r.cases.map((c) => [c.classname, c.name, c.outcome, c.message]), [
      ["pkg.A", "ok", "passed", null],
      ["pkg.A", "bad", "failure", "expected 1 < 2"],
      ["pkg.B", "boom", "error", "TypeError"],
      ["pkg.B", "later", "skipped", null],
      [null, "bare", "passed", null],
    ]);
    assert.equal(r.cases[0]!.time_s, 0.25);
    assert.equal(r.cases[0]!.file, "a.ts");
  });
  await t.step("a single <testsuite> root", () => {
    const r = parseJUnit(
      `<testsuite><testcase classname="a" name="b"><failure>x</failure></testcase></testsuite>`,
    );
    assert.ok(r.ok);
    assert.deepEqual(r.cases.map((c) => [c.outcome, c.message]), [["failure", "x"]]);
  });
});

Deno.test("parseJUnit() reports where a report is broken", async (t) => {
  await t.step("malformed XML: line and column", () => {
    const r = parseJUnit(
      `<testsuites>\n  <testsuite>\n    <testcase name="a">\n  </testsuite>\n</testsuites>`,
    );
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.line, 4);
    assert.equal(typeof r.column, "number");
  });
  await t.step("not JUnit", () => {
    const r = parseJUnit(`<html><body/></html>`);
    assert.deepEqual(r, {
      ok: false,
      line: 1,
      column: 1,
      reason: "the root element is <html>, not <testsuites> or <testsuite>",
    });
  });
  await t.step("a testcase without a name", () => {
    const r = parseJUnit(
      `<testsuite>\n<testcase name="a"/>\n  <testcase classname="x"/>\n</testsuite>`,
    );
    assert.deepEqual(r, {
      ok: false,
      line: 3,
      column: 3,
      reason: "a <testcase> has no name attribute",
    });
  });
  await t.step("empty", () => {
    assert.equal(parseJUnit("  \n").ok, false);
  });
});

Deno.test("matchJUnitCase() matches classname.name, name, or a prefix*", () => {
  const tests: PlannedTest[] = [
    { id: "full", junit_name: "pkg.A.ok", required: true, gate: "finish" },
    { id: "short", junit_name: "bare", required: true, gate: "finish" },
    { id: "prefix", junit_name: "pkg.B*", required: true, gate: "finish" },
    { id: "cmd", command: "x", required: true, gate: "finish" },
  ];
  assert.deepEqual(matchJUnitCase({ classname: "pkg.A", name: "ok" }, tests), ["full"]);
  assert.deepEqual(matchJUnitCase({ classname: null, name: "bare" }, tests), ["short"]);
  assert.deepEqual(matchJUnitCase({ classname: "pkg.B", name: "x" }, tests), ["prefix"]);
  assert.deepEqual(matchJUnitCase({ classname: "pkg.A", name: "other" }, tests), []);
  assert.deepEqual(matchJUnitCase({ classname: "q", name: "ok" }, tests), []);
});
