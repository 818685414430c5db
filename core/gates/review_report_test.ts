import assert from "node:assert/strict";
import { parse } from "yaml";
import { renderReviewReport } from "./review_report.ts";
import { parseFrontmatter } from "./review_cycles.ts";

Deno.test("renderReviewReport() writes spec-kitty's report layout", () => {
  const text = renderReviewReport({
    verdict: "fail",
    verdict_tags: [],
    mode: "lightweight",
    reviewed_at: "2026-05-01T10:00:00.000Z",
    gates: [
      {
        id: "gate_1",
        name: "wp_lane_check",
        command: "keel review (internal gate 1)",
        exit_code: 0,
        result: "pass",
      },
      {
        id: "gate_2",
        name: "dead_code_scan",
        command: "keel review (internal gate 2)",
        exit_code: 1,
        result: "fail",
      },
    ],
    findings: [{
      type: "dead_code_baseline_missing",
      code: "LIGHTWEIGHT_REVIEW_MISSING_BASELINE",
      message: "Run `keel merge` to record baseline_merge_commit.",
    }],
    issue_matrix_present: "not_applicable",
  });
  const fm = parseFrontmatter(text);
  assert.ok(fm.ok);
  assert.deepEqual(
    fm.ok ? fm.data : null,
    parse(
      [
        "verdict: fail",
        "mode: lightweight",
        "reviewed_at: 2026-05-01T10:00:00.000Z",
        "findings: 1",
        "gates_recorded:",
        "  - {id: gate_1, name: wp_lane_check, command: keel review (internal gate 1), exit_code: 0, result: pass}",
        "  - {id: gate_2, name: dead_code_scan, command: keel review (internal gate 2), exit_code: 1, result: fail}",
        "issue_matrix_present: not_applicable",
        "mission_exception_present: not_applicable",
      ].join("\n"),
    ),
  );
  assert.ok(text.startsWith("---\nverdict: fail\nmode: lightweight\n"));
  assert.ok(text.endsWith(
    "---\n\n## Findings\n\n- **dead_code_baseline_missing** `LIGHTWEIGHT_REVIEW_MISSING_BASELINE`: " +
      "Run `keel merge` to record baseline_merge_commit.\n",
  ));
});
