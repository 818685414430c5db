import assert from "node:assert/strict";
import type { CodeRegistryOf } from "../core/codes.ts";
import { VALIDATION_CODES } from "../core/contract/mod.ts";
import type { MergeBlocker, MergeWarning, ReviewFinding, ReviewResult } from "../core/gates/mod.ts";
import type { SelectionWarning, WorkspaceWarning } from "../core/mission/mod.ts";
import { ERROR_CODES, type ErrorCode } from "../core/errors.ts";
import { runSeal } from "../core/run/mod.ts";
import {
  ARTIFACT_READ_CODE_NAMES,
  DRIFT_CODE_NAMES,
  FINDING_CODE_NAMES,
  type GateCode,
  type MissionCode,
  VALIDATION_CODE_NAMES,
  type ValidationCode,
} from "../schemas/codes.ts";
import { jsonSchemaOf } from "../schemas/mod.ts";
import { Deviation, DriftFinding, Finding, RunReport } from "../schemas/run_report.ts";
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
  assert.deepEqual(Object.keys(defs), ["validation", "drift", "gates", "mission", "doctor"]);
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

Deno.test("every registry holds exactly the codes of its list in schemas/codes.ts, in order", () => {
  for (const [domain, { codes, names }] of Object.entries(CODE_DOMAINS)) {
    assert.deepEqual(Object.keys(codes), [...names], domain);
  }
  assert.deepEqual(FINDING_CODE_NAMES, [
    ...VALIDATION_CODE_NAMES,
    ...DRIFT_CODE_NAMES,
    ...ARTIFACT_READ_CODE_NAMES,
  ]);
  assert.equal(
    new Set(FINDING_CODE_NAMES).size,
    FINDING_CODE_NAMES.length,
    "a code is listed twice",
  );
  // The codes of an unreadable artifact are error codes (type-checked, and here at run time).
  const read: readonly ErrorCode[] = ARTIFACT_READ_CODE_NAMES;
  for (const code of read) assert.ok(Object.hasOwn(ERROR_CODES, code), code);
});

Deno.test("a finding code outside the lists fails type checking and parsing", () => {
  const ok: Finding = {
    code: "PLAN_TRAILER_UNKNOWN_UNIT",
    severity: "warning",
    message: "m",
    evidence: {},
  };
  const typo: Finding = {
    // @ts-expect-error a misspelt code is no finding code
    code: "PLAN_TRAILER_UNKNWN_UNIT",
    severity: "warning",
    message: "m",
    evidence: {},
  };
  const validation: DriftFinding = {
    // @ts-expect-error a run report's findings carry drift codes only
    code: "PATH_EMPTY",
    severity: "error",
    message: "m",
    evidence: {},
  };
  assert.equal(Finding.safeParse(ok).success, true);
  assert.equal(DriftFinding.safeParse(ok).success, true);
  for (const [schema, bad] of [[Finding, typo], [DriftFinding, validation]] as const) {
    const r = schema.safeParse(bad);
    assert.equal(r.success, false);
    assert.deepEqual(r.error!.issues.map((i) => i.path), [["code"]]);
  }
  assert.equal(Finding.safeParse(validation).success, true);
  assert.equal(
    Deviation.safeParse({
      finding_id: "F1",
      code: "PLAN_TRAILER_UNKNWN_UNIT",
      why: "w",
      by: "b",
      at: "2026-11-28T00:00:00.000Z",
    }).success,
    false,
  );
});

Deno.test("a registry with a code not in its list, or without a listed code, fails type checking", () => {
  const extra = {
    ...VALIDATION_CODES,
    // @ts-expect-error NOT_A_LISTED_CODE is not in VALIDATION_CODE_NAMES
    NOT_A_LISTED_CODE: { severity: "error", doc: "Not listed." },
  } satisfies CodeRegistryOf<ValidationCode>;
  const { PATH_EMPTY: _dropped, ...rest } = VALIDATION_CODES;
  // @ts-expect-error PATH_EMPTY is listed but has no entry
  const missing: CodeRegistryOf<ValidationCode> = rest;
  assert.equal(Object.keys(extra).length, VALIDATION_CODE_NAMES.length + 1);
  assert.equal(Object.keys(missing).length, VALIDATION_CODE_NAMES.length - 1);
});

Deno.test("run_report.schema.json carries the drift codes as the enum of findings and deviations", () => {
  const text = JSON.stringify(jsonSchemaOf("run_report"));
  const enums = [...text.matchAll(/"code":\{"type":"string","enum":(\[[^\]]*\])/g)].map((m) =>
    JSON.parse(m[1]!)
  );
  assert.deepEqual(enums, [[...DRIFT_CODE_NAMES], [...DRIFT_CODE_NAMES]]);
});

Deno.test("reports written before the code enum parse unchanged, so their seal still holds", async () => {
  for (const name of ["run_aligned", "run_drifted", "run_forbidden"]) {
    const url = new URL(`./fixtures/report/${name}.json`, import.meta.url);
    const raw = JSON.parse(await Deno.readTextFile(url));
    const parsed = RunReport.parse(raw);
    assert.deepEqual(parsed, raw, name);
    assert.equal(await runSeal(parsed), await runSeal(raw as RunReport), name);
  }
});

/** Compiles only when every member of `A` is a member of `B`. */
type _Within<A extends B, B> = A;

// Every diagnostic and warning code a gate or the claim puts into its result is a registered code:
// a code outside GATE_CODES / MISSION_CODES fails `deno task check` here.
export type _GateCodesInResults = [
  _Within<MergeBlocker["diagnostic_code"], GateCode>,
  _Within<MergeWarning["code"], GateCode>,
  _Within<ReviewFinding["code"], GateCode>,
  _Within<ReviewResult["notes"][number]["code"], GateCode>,
  _Within<SelectionWarning["code"], MissionCode>,
  _Within<WorkspaceWarning["code"], MissionCode>,
];
