/**
 * spec-kitty fidelity on synthetic missions written by the tests (issue 14,
 * items 2–6): event-sourced review verdicts, the review lane gate over the
 * event log's WPs, Python's rounding of `weighted_percentage`, and one
 * selection call shared by `next`, `implement`, `mission status` and
 * `mission list`.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import fc from "fast-check";
import { checkReviewArtifacts } from "../core/gates/check_review_artifacts.ts";
import { reviewOp } from "../core/gates/review_op.ts";
import {
  computeProgress,
  eventLine,
  missionListOp,
  missionStatusOp,
  nextOp,
  openMission,
  pythonRound1,
  reduceEvents,
} from "../core/mission/mod.ts";
import { gitRunSync } from "../testing/git.ts";
import { type SynthWp, transitionEvent, writeMission } from "../testing/mission.ts";
import { testContext as ctxFor } from "../testing/context.ts";

const MID = "01KTESTAAAAAAAAAAAAAAAAAAA";

async function withTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "keel-fidelity-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const REJECTED = "---\ncycle_number: 4\nwp_id: WP01\nverdict: rejected\n---\n\nstale\n";
const at = (s: number) => `2026-02-01T00:00:${String(s).padStart(2, "0")}.000000+00:00`;
const ev = (
  wp: string,
  from: string,
  to: string,
  s: number,
  id: string,
  extra: Record<string, unknown> = {},
) => eventLine(transitionEvent(wp, from, to, at(s), id, extra));

Deno.test("item 2: the event log's verdict decides; the review-cycle file only when it records none", async () => {
  await withTemp(async (root) => {
    const review = (verdict: string, reference: string) => ({
      evidence: { review: { reviewer: "r", verdict, reference } },
    });
    const rr = (verdict: string) => ({
      review_result: {
        reviewer: "r",
        verdict,
        reference: "review-cycle://m-01KTESTA/WP04-work/review-cycle-1.md",
      },
    });
    await writeMission(root, {
      slug: "m-01KTESTA",
      missionId: MID,
      wps: [
        { id: "WP01", lane: "in_review" },
        { id: "WP02", lane: "approved" },
        { id: "WP03", lane: "in_review" },
        { id: "WP04", lane: "in_review" },
      ],
      extraLines: [
        // WP01: in_review→approved with evidence.review approved (reference text), then done.
        ev("WP01", "in_review", "approved", 10, "X01", review("approved", "Review passed")),
        ev("WP01", "approved", "done", 11, "X02", review("approved", "lane-approved:WP01")),
        // WP02: no verdict anywhere in the log: the artifact decides.
        // WP03: in_review→done with evidence only.
        ev("WP03", "in_review", "done", 12, "X03", review("approved", "merged after fixes")),
        // WP04: review_result changes_requested, carried to approved: blocks as spec-kitty.
        ev("WP04", "in_review", "in_progress", 13, "X04", rr("changes_requested")),
        ev("WP04", "in_progress", "approved", 14, "X05", { force: true, reason: "r" }),
      ],
    });
    const dir = join(root, "kitty-specs", "m-01KTESTA");
    for (const wp of ["WP01", "WP02", "WP03", "WP04"]) {
      await Deno.mkdir(join(dir, "tasks", `${wp}-work`));
      await Deno.writeTextFile(join(dir, "tasks", `${wp}-work`, "review-cycle-4.md"), REJECTED);
    }
    await Deno.writeTextFile(join(dir, "tasks", "WP04-work", "review-cycle-1.md"), REJECTED);
    const gm = await openMission(root, "m-01KTESTA");
    const r = await checkReviewArtifacts(gm);
    assert.deepEqual(r.checks.map((c) => [c.wp_id, c.lane, c.outcome, c.source, c.verdict]), [
      ["WP01", "done", "approved", "event", "approved"],
      ["WP02", "approved", "blocked", "artifact", "rejected"],
      ["WP03", "done", "approved", "event", "approved"],
      ["WP04", "approved", "blocked", "event", "changes_requested"],
    ]);
    const wp04 = r.blockers.find((b) => b.wp_id === "WP04")!;
    assert.deepEqual(
      [
        wp04.latest_review_cycle_path,
        wp04.review_cycle_number,
        wp04.latest_review_cycle_verdict,
        wp04.review_reference_path,
      ],
      [null, 0, "changes_requested", "kitty-specs/m-01KTESTA/tasks/WP04-work/review-cycle-1.md"],
    );
    const wp02 = r.blockers.find((b) => b.wp_id === "WP02")!;
    assert.equal(
      wp02.latest_review_cycle_path,
      "kitty-specs/m-01KTESTA/tasks/WP02-work/review-cycle-4.md",
    );
    assert.equal(wp02.review_cycle_number, 4);
  });
});

Deno.test("item 4: review's lane gate counts the event log's WPs; a WP with no events is a note", async () => {
  await withTemp(async (root) => {
    await writeMission(root, {
      slug: "m-01KTESTA",
      missionId: MID,
      wps: [
        { id: "WP01", lane: "done" },
        { id: "WP02", lane: null },
        { id: "WP03", lane: "done" },
        { id: "WP04", lane: null },
      ],
    });
    const r = await reviewOp({ mission: "m-01KTESTA", mode: "lightweight" }, ctxFor(root));
    assert.deepEqual(r.findings.filter((f) => f.type === "wp_not_done"), []);
    assert.equal(r.gates[0]!.result, "pass");
    assert.deepEqual(r.notes.map((n) => [n.code, n.wp_id]), [
      ["WP_NOT_IN_EVENT_LOG", "WP02"],
      ["WP_NOT_IN_EVENT_LOG", "WP04"],
    ]);
    assert.match(r.gates[0]!.summary, /^2 WP\(s\) in the event log: 0 not done/);
    assert.match(r.gates[0]!.summary, /not in the event log \(not counted\): WP02, WP04$/);
    // Only the missing baseline fails this modern mission.
    assert.deepEqual(r.findings.map((f) => f.code), ["LIGHTWEIGHT_REVIEW_MISSING_BASELINE"]);
  });
  await withTemp(async (root) => {
    // The WPs not done are listed in the log's order (first event), as spec-kitty prints them.
    await writeMission(root, {
      slug: "m-01KTESTA",
      missionId: MID,
      wps: [{ id: "WP01", lane: null }, { id: "WP02", lane: "planned" }],
      extraLines: [
        ev("WP09", "planned", "claimed", 1, "A1"),
        ev("WP01", "planned", "approved", 2, "A2"),
      ],
    });
    const r = await reviewOp({ mission: "m-01KTESTA", mode: "lightweight" }, ctxFor(root));
    assert.deepEqual(
      r.findings.filter((f) => f.type === "wp_not_done").map((
        f,
      ) => [f.evidence.wp_id, f.evidence.lane]),
      [["WP02", "planned"], ["WP09", "claimed"], ["WP01", "approved"]],
    );
    assert.deepEqual(r.notes, []);
  });
});

/** Python's round(v, 1) by exact arithmetic on the double's binary value. */
function exactRound1(v: number): number {
  if (!Number.isFinite(v) || Math.abs(v) >= 2 ** 52) return v;
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, Math.abs(v));
  const bits = buf.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const mant = expBits === 0 ? frac : frac | (1n << 52n);
  const exp = (expBits === 0 ? 1 : expBits) - 1075; // |v| = mant * 2^exp
  // n = round_half_even(|v| * 10) = round(mant * 10 / 2^-exp)
  let n: bigint;
  if (exp >= 0) n = mant * 10n * (1n << BigInt(exp));
  else {
    const den = 1n << BigInt(-exp);
    const num = mant * 10n;
    const q = num / den;
    const rem = num - q * den;
    n = rem * 2n > den || (rem * 2n === den && q % 2n === 1n) ? q + 1n : q;
  }
  const r = Number(`${n / 10n}.${n % 10n}`);
  return v < 0 ? -r : r;
}

Deno.test("item 5: weighted_percentage rounds as Python's round(x * 100, 1)", async (t) => {
  await t.step("values Python gives", () => {
    // python3 -c 'print(round(v, 1))' for each v
    const table: [number, number][] = [
      [91.25, 91.2],
      [91.35, 91.3],
      [0.05, 0.1],
      [0.15, 0.1],
      [0.25, 0.2],
      [2.675, 2.7],
      [0.45, 0.5],
      [1.25, 1.2],
      [12.75, 12.8],
      [33.35, 33.4],
      [66.65, 66.7],
      [99.95, 100],
    ];
    for (const [v, want] of table) {
      assert.equal(pythonRound1(v), want, String(v));
      assert.equal(exactRound1(v), want, `oracle ${v}`);
    }
  });
  await t.step("property: equals exact half-even rounding of the binary value", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e7, max: 1e7, noNaN: true }), (v) => {
        assert.equal(pythonRound1(v), exactRound1(v));
      }),
      { numRuns: 3000 },
    );
    // Exact ties (k/4) and values a hair off them.
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_000_000 }),
        fc.integer({ min: -2, max: 2 }),
        (k, d) => {
          let v = k / 4;
          for (let i = 0; i < Math.abs(d); i++) v = d > 0 ? nextUp(v) : nextDown(v);
          assert.equal(pythonRound1(v), exactRound1(v));
        },
      ),
      { numRuns: 3000 },
    );
  });
  await t.step("property: every lane mix gives Python's value", () => {
    const weights = [0, 0.05, 0.3, 0.6, 0.7, 0.8, 1];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...weights), { minLength: 1, maxLength: 40 }), (ws) => {
        let sum = 0;
        for (const w of ws) sum += w;
        assert.equal(pythonRound1((sum / ws.length) * 100), exactRound1((sum / ws.length) * 100));
      }),
      { numRuns: 2000 },
    );
  });
  await t.step("7 done and 1 in progress: 91.25 → 91.2 in progress", () => {
    const wps: SynthWp[] = [];
    const lines: string[] = [];
    for (let i = 1; i <= 8; i++) {
      const id = `WP0${i}`;
      wps.push({ id });
      lines.push(ev(id, "planned", i === 8 ? "in_progress" : "done", i, `P${i}`));
    }
    const snapshot = reduceEvents(lines.join("\n"));
    const p = computeProgress({
      hasTasksDir: true,
      wps: wps.map((w) => ({ id: w.id }) as never),
      snapshot,
    });
    assert.equal(p!.weighted_percentage, 91.2);
  });
});

function nextUp(v: number): number {
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, v);
  const bits = b.getBigUint64(0);
  if (v === 0) return Number.MIN_VALUE;
  b.setBigUint64(0, v > 0 ? bits + 1n : bits - 1n);
  return b.getFloat64(0);
}

function nextDown(v: number): number {
  return -nextUp(-v);
}

Deno.test("also: next, mission status and mission list agree on every state", async () => {
  const lanes = [
    "planned",
    "claimed",
    "in_progress",
    "for_review",
    "in_review",
    "approved",
    "done",
    "blocked",
    "canceled",
    null,
  ] as const;
  const gitInit = (root: string) => gitRunSync(root, ["init", "-q"]);
  await fc.assert(
    fc.asyncProperty(
      fc.array(
        fc.record({
          lane: fc.constantFrom(...lanes),
          deps: fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { maxLength: 2 }),
          base: fc.constantFrom(undefined, "0123456789abcdef0123456789abcdef01234567"),
        }),
        { minLength: 0, maxLength: 6 },
      ),
      fc.boolean(),
      async (spec, repo) => {
        await withTemp(async (root) => {
          if (repo) gitInit(root);
          const wps: SynthWp[] = spec.map((s, i) => {
            const wp: SynthWp = {
              id: `WP0${i + 1}`,
              lane: s.lane,
              deps: s.deps.map((d) => `WP0${d}`),
            };
            if (s.base !== undefined) wp.baseCommit = s.base;
            return wp;
          });
          await writeMission(root, { slug: "p-01KTESTA", missionId: MID, wps });
          const ctx = ctxFor(root);
          const next = await nextOp({ mission: "p-01KTESTA" }, ctx);
          const status = await missionStatusOp({ mission: "p-01KTESTA" }, ctx);
          const list = (await missionListOp({}, ctx)).missions[0]!;
          const selected = {
            wp_id: status.next.wp_id,
            selection_reason: status.next.selection_reason,
            warnings: status.next.warnings,
          };
          assert.deepEqual(
            {
              wp_id: list.next_wp_id,
              selection_reason: list.selection_reason,
              warnings: list.warnings,
            },
            selected,
          );
          assert.equal(list.mission_state, next.mission_state);
          assert.equal(status.mission_state, next.mission_state);
          if (next.mission_state === "implement") {
            assert.deepEqual(
              {
                wp_id: next.wp_id,
                selection_reason: next.selection_reason,
                warnings: next.warnings,
              },
              selected,
            );
          }
          // A missing base_commit never stops the pick; with a repository it is a warning.
          const chosen = wps.find((w) => w.id === selected.wp_id);
          assert.equal(
            selected.warnings.length,
            chosen?.baseCommit !== undefined && repo ? 1 : 0,
          );
        });
      },
    ),
    { numRuns: 30 },
  );
});
