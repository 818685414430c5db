import assert from "node:assert/strict";
import { DOMAINS, findViolations, graphCycles } from "../scripts/check_layers.ts";

/** A synthetic source tree: every listed file exists, with the given imports. */
function tree(files: Record<string, string[]>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [file, imports] of Object.entries(files)) {
    out.set(file, imports.map((line) => `${line}\n`).join("") + "export const x = 1;\n");
  }
  return out;
}

const BASE = {
  "core/errors.ts": [],
  "core/util/mod.ts": ['export * from "./ids.ts";'],
  "core/util/ids.ts": ['import { KeelError } from "../errors.ts";'],
  "core/contract/mod.ts": ['export * from "./layout.ts";'],
  "core/contract/layout.ts": ['import { id } from "../util/mod.ts";'],
  "core/run/mod.ts": ['export * from "./start.ts";'],
  "core/run/start.ts": ['import { layout } from "../contract/mod.ts";'],
};
const GRAPH = { util: [], contract: ["util"], run: ["contract", "util"] };

Deno.test("check_layers: the repository's layers hold (0 violations, 0 cycles)", () => {
  assert.deepEqual(findViolations(), []);
  assert.deepEqual(graphCycles(DOMAINS), []);
});

Deno.test("check_layers: a clean synthetic tree passes", () => {
  assert.deepEqual(findViolations({ files: tree(BASE), domains: GRAPH }), []);
});

Deno.test("check_layers: a cross-domain deep import fails", () => {
  const files = tree({
    ...BASE,
    "core/run/start.ts": ['import { l } from "../contract/layout.ts";'],
  });
  assert.deepEqual(findViolations({ files, domains: GRAPH }), [{
    file: "core/run/start.ts",
    target: "core/contract/layout.ts",
    rule: "core/run/ reaches core/contract/ only through its mod.ts (or params.ts / results.ts)",
  }]);
});

Deno.test("check_layers: a library domain's files are entries; a declared edge is still needed", () => {
  const files = tree({
    ...BASE,
    "core/contract/layout.ts": ['import { id } from "../util/ids.ts";'],
    "core/run/start.ts": ['import { id } from "../util/ids.ts";'],
  });
  assert.deepEqual(findViolations({ files, domains: GRAPH }), []);
  assert.deepEqual(
    findViolations({ files, domains: { ...GRAPH, run: ["contract"] } }).map((v) => v.rule),
    ["core/run/ may not import core/util/ (not declared in DOMAINS)"],
  );
});

Deno.test("check_layers: an undeclared domain edge fails", () => {
  const files = tree({ ...BASE, "core/util/ids.ts": ['import { s } from "../run/mod.ts";'] });
  assert.deepEqual(findViolations({ files, domains: GRAPH }).map((v) => v.rule), [
    "core/util/ may not import core/run/ (not declared in DOMAINS)",
    "cycle: contract → util → run → contract",
  ]);
});

Deno.test("check_layers: a cycle fails, even one dodged with a lazy import", () => {
  const files = tree({
    ...BASE,
    "core/contract/layout.ts": ['const m = await import("../run/mod.ts");'],
  });
  const both = { ...GRAPH, contract: ["run", "util"] };
  assert.deepEqual(findViolations({ files, domains: both }), [
    { file: "core/contract/", target: "core/run/", rule: "cycle: contract → run → contract" },
    { file: "DOMAINS", target: "contract", rule: "declared cycle: contract → run → contract" },
  ]);
});

Deno.test("check_layers: an undeclared domain fails", () => {
  const files = tree({ ...BASE, "core/extra/mod.ts": ['import { l } from "../contract/mod.ts";'] });
  assert.deepEqual(findViolations({ files, domains: GRAPH }).map((v) => v.rule), [
    "core/extra/ is not a declared domain (DOMAINS)",
  ]);
});

Deno.test("check_layers: schemas import nothing from core; product code no testing/ or bench/", () => {
  const files = tree({
    ...BASE,
    "schemas/render.ts": ['import { KeelError } from "../core/errors.ts";'],
    "rpc/mod.ts": ['export * from "../bench/rpc_socket.ts";'],
    "bench/rpc_socket.ts": ['import { x } from "../rpc/mod.ts";'],
    "testing/mission.ts": ['import { x } from "../core/run/mod.ts";'],
    "core/run/start.ts": ['import { w } from "../../testing/mission.ts";'],
  });
  assert.deepEqual(findViolations({ files, domains: GRAPH }).map((v) => [v.file, v.rule]), [
    ["core/run/start.ts", "product code must not import testing/"],
    ["rpc/mod.ts", "product code must not import bench/"],
    ["schemas/render.ts", "schemas/ import nothing from core/"],
  ]);
});

Deno.test("check_layers: an import line quoted in a string is not an import", () => {
  const files = tree({
    ...BASE,
    "core/run/start.ts": [`const s = 'import { w } from "../src/x.ts";';`],
  });
  assert.deepEqual(findViolations({ files, domains: GRAPH }), []);
});
