import assert from "node:assert/strict";
import { keelJson } from "../tests/helpers.ts";
import { copyMission as copyInto } from "./fixtures.ts";

/** A temporary root holding one real mission under `kitty-specs/`. */
async function copyMission(slug: string): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "keel-fixture-" });
  await copyInto(slug, root);
  return root;
}

type Blocker = Record<string, unknown>;

Deno.test({
  name: "merge gate on fixture 067-runtime-recovery-and-audit-safety: WP06 at cycle 2",
  fn: async () => {
    const slug = "067-runtime-recovery-and-audit-safety";
    const root = await copyMission(slug);
    try {
      const dry = await keelJson(root, ["merge", "--mission", slug, "--dry-run"]);
      assert.equal(dry.code, 1);
      assert.equal(dry.json.blocked, true);
      assert.equal(dry.json.diagnostic_code, "REJECTED_REVIEW_ARTIFACT_CONFLICT");
      assert.equal(dry.json.mission_slug, slug);
      assert.equal(dry.json.target_branch, "main");
      const blockers = dry.json.blockers as Blocker[];
      // spec-kitty's fields (path null, cycle 0 for an event verdict); keel adds the reference.
      assert.deepEqual(
        blockers.map((b) => [
          b.wp_id,
          b.lane,
          b.latest_review_cycle_path,
          b.review_cycle_number,
          b.latest_review_cycle_verdict,
          b.verdict_source,
          b.review_reference_path,
        ]),
        [[
          "WP06",
          "done",
          null,
          0,
          "changes_requested",
          "event",
          `kitty-specs/${slug}/tasks/WP06-canonical-progress-reporting/review-cycle-2.md`,
        ]],
      );
      const real = await keelJson(root, ["merge", "--mission", slug]);
      assert.equal(real.code, 1);
      assert.deepEqual(real.json, dry.json);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test({
  name: "merge gate on fixture 067: with no verdict in the log, the artifact names WP06 cycle 2",
  fn: async () => {
    const slug = "067-runtime-recovery-and-audit-safety";
    const root = await copyMission(slug);
    try {
      // Drop every verdict the log records: the review-cycle frontmatter then decides.
      await dropLogVerdicts(root, slug);
      const dry = await keelJson(root, ["merge", "--mission", slug, "--dry-run"]);
      assert.equal(dry.code, 1);
      const blockers = dry.json.blockers as Blocker[];
      assert.deepEqual(
        blockers.map((b) => [
          b.wp_id,
          b.latest_review_cycle_path,
          b.review_cycle_number,
          b.latest_review_cycle_verdict,
          b.verdict_source,
        ]),
        [[
          "WP06",
          `kitty-specs/${slug}/tasks/WP06-canonical-progress-reporting/review-cycle-2.md`,
          2,
          "rejected",
          "artifact",
        ]],
      );
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test({
  name: "review gate on fixture private-teamspace-ingress-safeguards-01KQH03Y: the log's " +
    "approvals win over stale rejected cycle files",
  fn: async () => {
    const slug = "private-teamspace-ingress-safeguards-01KQH03Y";
    const root = await copyMission(slug);
    try {
      // Every WP went in_review→approved with evidence.review verdict approved: no blocker
      // (spec-kitty answers the same), although cycles 4 and 6 say rejected.
      const review = await keelJson(root, ["review", "--mission", slug, "--mode", "lightweight"]);
      const kinds = (review.json.findings as { type: string }[]).map((x) => x.type);
      assert.deepEqual(kinds, ["dead_code_baseline_missing"]);
      // With those verdicts removed from the log, the latest cycle files decide.
      await dropLogVerdicts(root, slug);
      const stale = await keelJson(root, ["review", "--mission", slug, "--mode", "lightweight"]);
      assert.equal(stale.code, 1);
      const tasks = `kitty-specs/${slug}/tasks`;
      const f = stale.json.findings as { type: string; evidence: Blocker }[];
      assert.deepEqual(
        f.filter((x) => x.type === "rejected_review_artifact").map((x) => [
          x.evidence.wp_id,
          x.evidence.latest_review_cycle_path,
          x.evidence.review_cycle_number,
          x.evidence.verdict_source,
        ]),
        [
          ["WP01", `${tasks}/WP01-strict-private-team-resolver/review-cycle-4.md`, 4, "artifact"],
          [
            "WP02",
            `${tasks}/WP02-tokenmanager-rehydrate-membership/review-cycle-4.md`,
            4,
            "artifact",
          ],
          ["WP04", `${tasks}/WP04-direct-ingress-call-sites/review-cycle-4.md`, 4, "artifact"],
          [
            "WP05",
            `${tasks}/WP05-websocket-and-stdout-discipline/review-cycle-6.md`,
            6,
            "artifact",
          ],
        ],
      );
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

/** Remove `review_result` and `evidence` from every event of a copied fixture's log. */
async function dropLogVerdicts(root: string, slug: string): Promise<void> {
  const log = `${root}/kitty-specs/${slug}/status.events.jsonl`;
  const lines = (await Deno.readTextFile(log)).split("\n").filter((l) => l.trim() !== "")
    .map((l) => {
      const e = JSON.parse(l);
      if (e.review_result) e.review_result = null;
      if (e.evidence) e.evidence = null;
      return JSON.stringify(e);
    });
  await Deno.writeTextFile(log, lines.join("\n") + "\n");
}

Deno.test({
  name:
    "merge on fixture 064-complete-mission-identity-cutover: legacy lanes.json → LANES_JSON_INVALID",
  fn: async () => {
    const slug = "064-complete-mission-identity-cutover";
    const root = await copyMission(slug);
    try {
      const r = await keelJson(root, ["merge", "--mission", slug, "--dry-run"]);
      assert.equal(r.code, 3);
      assert.equal(r.json.error?.code, "LANES_JSON_INVALID");
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});
