import assert from "node:assert/strict";
import { FIXTURES, HAVE_FIXTURES, keelJson } from "./helpers.ts";

/** Copy one fixture mission into `<tmp>/kitty-specs/<slug>` (the fixtures stay read-only). */
async function copyMission(slug: string): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "keel-fixture-" });
  await _copyDir(`${FIXTURES}${slug}`, `${root}/kitty-specs/${slug}`);
  return root;
}

async function _copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.isDirectory) await _copyDir(`${from}/${e.name}`, `${to}/${e.name}`);
    else if (e.isFile) await Deno.copyFile(`${from}/${e.name}`, `${to}/${e.name}`);
  }
}

type Blocker = Record<string, unknown>;

Deno.test({
  name: "merge gate on fixture 067-runtime-recovery-and-audit-safety: WP06 at cycle 2",
  ignore: !HAVE_FIXTURES,
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
      assert.deepEqual(
        blockers.map((b) => [
          b.wp_id,
          b.lane,
          b.latest_review_cycle_path,
          b.review_cycle_number,
          b.latest_review_cycle_verdict,
          b.verdict_source,
        ]),
        [[
          "WP06",
          "done",
          `kitty-specs/${slug}/tasks/WP06-canonical-progress-reporting/review-cycle-2.md`,
          2,
          "changes_requested",
          "event",
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
  name: "merge gate on fixture 067: the artifact rule alone also names WP06 cycle 2 'rejected'",
  ignore: !HAVE_FIXTURES,
  fn: async () => {
    const slug = "067-runtime-recovery-and-audit-safety";
    const root = await copyMission(slug);
    try {
      // Drop the event-sourced verdict: the review-cycle frontmatter then decides.
      const log = `${root}/kitty-specs/${slug}/status.events.jsonl`;
      const lines = (await Deno.readTextFile(log)).split("\n").filter((l) => l.trim() !== "")
        .map((l) => {
          const e = JSON.parse(l);
          if (e.review_result) e.review_result = null;
          return JSON.stringify(e);
        });
      await Deno.writeTextFile(log, lines.join("\n") + "\n");
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
  name: "merge gate on fixture private-teamspace-ingress-safeguards-01KQH03Y: WP01, 02, 04, 05",
  ignore: !HAVE_FIXTURES,
  fn: async () => {
    const slug = "private-teamspace-ingress-safeguards-01KQH03Y";
    const root = await copyMission(slug);
    try {
      const dry = await keelJson(root, ["merge", "--mission", slug, "--dry-run"]);
      assert.equal(dry.code, 1);
      const tasks = `kitty-specs/${slug}/tasks`;
      assert.deepEqual(
        (dry.json.blockers as Blocker[]).map((b) => [
          b.diagnostic_code,
          b.wp_id,
          b.lane,
          b.latest_review_cycle_path,
          b.review_cycle_number,
          b.latest_review_cycle_verdict,
        ]),
        [
          [
            "REJECTED_REVIEW_ARTIFACT_CONFLICT",
            "WP01",
            "done",
            `${tasks}/WP01-strict-private-team-resolver/review-cycle-4.md`,
            4,
            "rejected",
          ],
          [
            "REJECTED_REVIEW_ARTIFACT_CONFLICT",
            "WP02",
            "done",
            `${tasks}/WP02-tokenmanager-rehydrate-membership/review-cycle-4.md`,
            4,
            "rejected",
          ],
          [
            "REJECTED_REVIEW_ARTIFACT_CONFLICT",
            "WP04",
            "done",
            `${tasks}/WP04-direct-ingress-call-sites/review-cycle-4.md`,
            4,
            "rejected",
          ],
          [
            "REJECTED_REVIEW_ARTIFACT_CONFLICT",
            "WP05",
            "done",
            `${tasks}/WP05-websocket-and-stdout-discipline/review-cycle-6.md`,
            6,
            "rejected",
          ],
        ],
      );
      const real = await keelJson(root, ["merge", "--mission", slug]);
      assert.equal(real.code, 1);
      assert.deepEqual(real.json, dry.json);
      // Gate 1 of the review sees the same conflicts.
      const review = await keelJson(root, ["review", "--mission", slug, "--mode", "lightweight"]);
      assert.equal(review.code, 1);
      const f = review.json.findings as { type: string; evidence: Blocker }[];
      assert.deepEqual(
        f.filter((x) => x.type === "rejected_review_artifact").map((x) => x.evidence.wp_id),
        ["WP01", "WP02", "WP04", "WP05"],
      );
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "merge on fixture 064-complete-mission-identity-cutover: legacy lanes.json → LANES_JSON_INVALID",
  ignore: !HAVE_FIXTURES,
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
