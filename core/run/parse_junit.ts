/**
 * JUnit XML reports: parse every testcase (nested suites included) with
 * its outcome, and match testcases to the test contract's `junit_name`s.
 *
 * @module
 */

import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { PlannedTest } from "../../schemas/test_contract.ts";

/** One testcase of a JUnit report. */
export interface JUnitCase {
  classname: string | null;
  name: string;
  file: string | null;
  /** Seconds, when the report gives it. */
  time_s: number | null;
  outcome: "passed" | "failure" | "error" | "skipped";
  /** The failure/error/skipped message (attribute, else the element's text, cut to 2,000 chars). */
  message: string | null;
}

/** Result of {@link parseJUnit}. */
export type JUnitParse =
  | { ok: true; cases: JUnitCase[] }
  | { ok: false; line: number; column: number; reason: string };

const ARRAYS = new Set(["testsuites", "testsuite", "testcase", "failure", "error", "skipped"]);

/**
 * Parse a JUnit XML report. Malformed XML, a root that is not
 * `<testsuites>`/`<testsuite>`, or a testcase without a name is an error
 * with the line and column where it was found.
 *
 * @param text The XML.
 * @returns The testcases in document order, or where the report is broken.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseJUnit } from "./parse_junit.ts";
 * const r = parseJUnit('<testsuite><testcase classname="a" name="b"/></testsuite>');
 * assert(r.ok && r.cases[0]!.outcome === "passed");
 * ```
 */
export function parseJUnit(text: string): JUnitParse {
  if (text.trim() === "") return { ok: false, line: 1, column: 1, reason: "the file is empty" };
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (valid !== true) {
    return {
      ok: false,
      line: valid.err.line ?? 1,
      column: valid.err.col ?? 1,
      reason: valid.err.msg,
    };
  }
  let doc: Record<string, unknown>;
  try {
    doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: "",
      attributesGroupName: "@",
      textNodeName: "#text",
      parseTagValue: false,
      parseAttributeValue: false,
      ignoreDeclaration: true,
      ignorePiTags: true,
      isArray: (name: string) => ARRAYS.has(name),
    }).parse(text) as Record<string, unknown>;
  } catch (error) {
    return { ok: false, line: 1, column: 1, reason: (error as Error).message };
  }
  const roots = Object.keys(doc).filter((k) => !k.startsWith("?") && k !== "#text");
  if (!roots.some((k) => k === "testsuites" || k === "testsuite")) {
    const at = _position(text, /<[A-Za-z_]/g, 0);
    return {
      ok: false,
      ...at,
      reason: `the root element is <${roots[0] ?? "?"}>, not <testsuites> or <testsuite>`,
    };
  }
  const cases: JUnitCase[] = [];
  let index = 0;
  let broken: JUnitParse | null = null;
  const walkSuite = (suite: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(suite)) {
      if (broken) return;
      if (k === "testsuite" || k === "testsuites") {
        for (const s of v as unknown[]) if (_isObject(s)) walkSuite(s);
      } else if (k === "testcase") {
        for (const c of v as unknown[]) {
          const tc = _isObject(c) ? c : {};
          const attrs = _attrs(tc);
          if (!attrs.name) {
            broken = {
              ok: false,
              ..._position(text, /<testcase[\s/>]/g, index),
              reason: "a <testcase> has no name attribute",
            };
            return;
          }
          index++;
          cases.push(_case(tc, attrs));
        }
      }
    }
  };
  for (const k of roots) {
    for (const s of doc[k] as unknown[]) if (_isObject(s)) walkSuite(s);
  }
  if (broken) return broken;
  return { ok: true, cases };
}

/**
 * The planned tests a testcase belongs to: a `junit_name` equal to
 * `classname.name` or to `name`, or ending in `*` and a prefix of either.
 *
 * @param testcase `{classname, name}`.
 * @param tests The planned tests (contract order).
 * @returns The matching test ids, in contract order.
 */
export function matchJUnitCase(
  testcase: { classname: string | null; name: string },
  tests: readonly PlannedTest[],
): string[] {
  const full = testcase.classname ? `${testcase.classname}.${testcase.name}` : testcase.name;
  return tests.filter((t) => {
    const j = t.junit_name;
    if (j === undefined) return false;
    if (j.endsWith("*")) {
      const prefix = j.slice(0, -1);
      return full.startsWith(prefix) || testcase.name.startsWith(prefix);
    }
    return j === full || j === testcase.name;
  }).map((t) => t.id);
}

function _case(tc: Record<string, unknown>, attrs: Record<string, string>): JUnitCase {
  let outcome: JUnitCase["outcome"] = "passed";
  let detail: unknown = null;
  if (Array.isArray(tc.error) && tc.error.length > 0) {
    outcome = "error";
    detail = tc.error[0];
  } else if (Array.isArray(tc.failure) && tc.failure.length > 0) {
    outcome = "failure";
    detail = tc.failure[0];
  } else if (Array.isArray(tc.skipped) && tc.skipped.length > 0) {
    outcome = "skipped";
    detail = tc.skipped[0];
  }
  let message: string | null = null;
  if (outcome !== "passed") {
    if (_isObject(detail)) {
      const a = _attrs(detail);
      const body = typeof detail["#text"] === "string" ? detail["#text"] : "";
      message = a.message || a.type || body || null;
    } else if (typeof detail === "string" && detail !== "") {
      message = detail;
    }
    if (message !== null && message.length > 2000) message = message.slice(0, 2000) + "…";
  }
  const time = attrs.time === undefined ? NaN : Number(attrs.time);
  return {
    classname: attrs.classname || null,
    name: attrs.name!,
    file: attrs.file || null,
    time_s: Number.isFinite(time) ? time : null,
    outcome,
    message,
  };
}

function _attrs(node: Record<string, unknown>): Record<string, string> {
  const a = node["@"];
  return _isObject(a) ? a as Record<string, string> : {};
}

function _isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function _position(text: string, re: RegExp, nth: number): { line: number; column: number } {
  let m: RegExpExecArray | null;
  let i = 0;
  let at = 0;
  while ((m = re.exec(text)) !== null) {
    if (i++ === nth) {
      at = m.index;
      break;
    }
  }
  const before = text.slice(0, at).split(/\r?\n/);
  return { line: before.length, column: before.at(-1)!.length + 1 };
}
