/**
 * The real spec-kitty missions under `../shared` are an extra conformance
 * run: the tests that need them are listed here, so a new one cannot skip
 * silently, and when the folder is absent the skipped tests are printed
 * loudly.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { FIXTURES_DIR, fixturesPresent } from "../testing/mission.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const SKIP = /ignore: !(HAVE_FIXTURES|fixturesPresent\(\)|PRESENT)(?!\w)/g;

/** Test file → how many of its tests run only with `../shared`. */
const SHARED_ONLY: Readonly<Record<string, number>> = {
  "core/mission/reduce_events_test.ts": 1,
  "tests/contract_from_wp_test.ts": 2,
  "tests/gates_fixtures_test.ts": 4,
  "tests/install_test.ts": 1,
  "tests/mcp_stdio_test.ts": 1,
  "tests/mission_claim_test.ts": 2,
  "tests/mission_conformance_test.ts": 1,
  "tests/mission_recorded_parity_test.ts": 1,
  "tests/parity_test.ts": 1,
  "tests/reliability_doctor_test.ts": 1,
  "tests/workspace_test.ts": 1,
};

function* _tests(dir: string): Generator<string> {
  for (const e of Deno.readDirSync(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) yield* _tests(p);
    else if (e.name.endsWith("_test.ts")) yield p;
  }
}

Deno.test("tests that need ../shared are declared, and their absence is printed loudly", () => {
  const found: Record<string, number> = {};
  for (const top of ["core", "cli", "rpc", "schemas", "tests"]) {
    for (const path of _tests(join(ROOT, top))) {
      const n = [...Deno.readTextFileSync(path).matchAll(SKIP)].length;
      if (n > 0) found[relative(ROOT, path)] = n;
    }
  }
  assert.deepEqual(found, SHARED_ONLY);
  if (!fixturesPresent()) {
    const total = Object.values(SHARED_ONLY).reduce((a, b) => a + b, 0);
    // deno-lint-ignore no-console
    console.error(
      `\n!!! ${total} CONFORMANCE TESTS SKIPPED: ${FIXTURES_DIR} is absent (../shared is not ` +
        `next to this checkout). Not run:\n` +
        Object.entries(SHARED_ONLY).map(([f, n]) => `!!!   ${f} (${n})`).join("\n") + "\n",
    );
  }
});
