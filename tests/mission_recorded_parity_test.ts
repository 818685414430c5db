/**
 * keel against the recorded answers of the real spec-kitty 3.2.6rc3
 * (`../shared/fixtures/spec-kitty/recorded/`): every recorded state — each
 * fixture mission as committed and with its event log cut to a third and two
 * thirds — gives the same `next` payload (spec-kitty's keys), the same
 * `merge --dry-run` blockers and the same lightweight review verdict and
 * diagnostics; and `mission status` / `mission list` name the same WP, reason
 * and warnings as `next`. That comparison is part of the conformance run
 * (`conformance/mission_test.ts`); these tests hold its parsers.
 *
 * @module
 */

import assert from "node:assert/strict";
import { parseReviewConsole } from "../scripts/recorded_parity.ts";

Deno.test("parseReviewConsole reads spec-kitty's wrapped console text", () => {
  const tail = [
    "",
    "Reviewing mission: X ",
    "(m)",
    "Mode: lightweight (explicit)",
    "",
    "  ✗  WP lane check: 2 WP(s) not in done",
    "       WP11: claimed",
    "       WP01: approved",
    "  ✗  Review artifact consistency: blocking latest review artifact exists for ",
    "terminal WP(s)",
    "       WP01 is lane 'approved', but the event-sourced review verdict is ",
    "'changes_requested' and no on-disk review artifact exists.",
    "  ✗  Dead-code scan: missing baseline_merge_commit ",
    "(LIGHTWEIGHT_REVIEW_MISSING_BASELINE)",
    "",
    "Verdict: fail  (4 finding(s))",
  ].join("\n");
  assert.deepEqual(parseReviewConsole(tail), {
    verdict: "fail",
    findings: 4,
    not_done: [["WP11", "claimed"], ["WP01", "approved"]],
    blocking_review: ["WP01"],
    dead_code: "LIGHTWEIGHT_REVIEW_MISSING_BASELINE",
  });
});
