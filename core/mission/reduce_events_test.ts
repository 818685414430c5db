import assert from "node:assert/strict";
import { isKeelError, type KeelError } from "../errors.ts";
import { eventLine } from "./event_line.ts";
import { reduceEvents } from "./reduce_events.ts";
import { transitionEvent } from "../../testing/mission.ts";

const T = (wp: string, from: string, to: string, at: string, id: string, extra = {}) =>
  eventLine(transitionEvent(wp, from, to, at, id, extra));
const A = (wp: string, at: string, id: string, delta: Record<string, unknown>, actor = "x") =>
  eventLine({ actor, at, delta, event_id: id, kind: "annotation", wp_id: wp });
const ULID1 = "01KRKVE47X8H2FKBHX0RHC19EA";
const ULID2 = "01KRKVE47X8H2FKBHX0RHC19EB";
const ULID3 = "01KRKVE47X8H2FKBHX0RHC19EC";

function corrupt(fn: () => unknown): KeelError {
  try {
    fn();
  } catch (error) {
    if (isKeelError(error)) return error;
    throw error;
  }
  throw new Error("expected EVENT_LOG_CORRUPT");
}

Deno.test("reduceEvents() folds spec-kitty's event log rules", async (t) => {
  await t.step("an empty log is the empty snapshot", () => {
    const s = reduceEvents("\n\n");
    assert.deepEqual(s, {
      mission_slug: "",
      materialized_at: "",
      event_count: 0,
      last_event_id: null,
      work_packages: {},
      summary: {
        planned: 0,
        claimed: 0,
        in_progress: 0,
        for_review: 0,
        in_review: 0,
        approved: 0,
        done: 0,
        blocked: 0,
        canceled: 0,
      },
      recorded_verdicts: {},
    });
  });

  await t.step("de-duplication keeps the first occurrence in file order", () => {
    const text = [
      T("WP01", "planned", "claimed", "2026-01-01T00:00:01Z", "E1", { actor: "first" }),
      T("WP01", "planned", "done", "2026-01-01T00:00:01Z", "E1", { actor: "second" }),
    ].join("\n");
    const s = reduceEvents(text);
    assert.equal(s.event_count, 1);
    assert.equal(s.work_packages.WP01!.lane, "claimed");
    assert.equal(s.work_packages.WP01!.actor, "first");
  });

  await t.step("sorting compares the raw (at, event_id) strings, not dates", () => {
    // "2026-01-01T00:00:00.9Z" sorts before "2026-01-01T00:00:00Z" ('.' < 'Z'),
    // although it is the later instant.
    const text = [
      T("WP01", "planned", "done", "2026-01-01T00:00:00Z", "A"),
      T("WP01", "planned", "claimed", "2026-01-01T00:00:00.9Z", "B"),
    ].join("\n");
    const s = reduceEvents(text);
    assert.equal(s.work_packages.WP01!.lane, "done");
    assert.equal(s.last_event_id, "A");
    assert.equal(s.materialized_at, "2026-01-01T00:00:00Z");
    // Equal `at`: event_id decides, by code point ("Z" < "a").
    const tie = [
      T("WP02", "planned", "in_progress", "2026-01-01T00:00:00Z", "a1"),
      T("WP02", "planned", "claimed", "2026-01-01T00:00:00Z", "Z1"),
    ].join("\n");
    assert.equal(reduceEvents(tie).work_packages.WP02!.lane, "in_progress");
  });

  await t.step("astral characters compare by code point, not UTF-16 unit", () => {
    // U+FF5E (BMP, 0xFF5E) < U+1F600 (astral, surrogates 0xD83D…) by code point.
    const text = [
      T("WP01", "planned", "done", "2026-01-01T00:00:00Z", "\u{1F600}"),
      T("WP01", "planned", "claimed", "2026-01-01T00:00:00Z", "\uFF5E"),
    ].join("\n");
    assert.equal(reduceEvents(text).work_packages.WP01!.lane, "done");
  });

  await t.step("rollback tie: a rollback beats a forward transition at the same `at`", () => {
    const at = "2026-01-01T00:00:05Z";
    const text = [
      T("WP01", "planned", "in_review", "2026-01-01T00:00:01Z", "E0"),
      // Sorted: R1 (rollback) before Z9 (forward) — the forward one must not win.
      T("WP01", "in_review", "in_progress", at, "R1"),
      T("WP01", "in_review", "approved", at, "Z9"),
    ].join("\n");
    const s = reduceEvents(text);
    assert.equal(s.work_packages.WP01!.lane, "in_progress");
    assert.equal(s.work_packages.WP01!.last_event_id, "R1");
    // The other direction: forward first in sort order, then the rollback applies.
    const text2 = [
      T("WP01", "planned", "for_review", "2026-01-01T00:00:01Z", "E0"),
      T("WP01", "for_review", "approved", at, "A1"),
      T("WP01", "for_review", "in_progress", at, "B1", { review_ref: "review-cycle://x" }),
    ].join("\n");
    assert.equal(reduceEvents(text2).work_packages.WP01!.lane, "in_progress");
    // for_review → in_progress without review_ref is not a rollback: plain order wins.
    const text3 = [
      T("WP01", "planned", "for_review", "2026-01-01T00:00:01Z", "E0"),
      T("WP01", "for_review", "in_progress", at, "A1"),
      T("WP01", "for_review", "approved", at, "B1"),
    ].join("\n");
    assert.equal(reduceEvents(text3).work_packages.WP01!.lane, "approved");
  });

  await t.step("transitions are never validated; force only counts", () => {
    const text = [
      T("WP01", "claimed", "planned", "2026-01-01T00:00:01Z", "E1"),
      T("WP01", "planned", "planned", "2026-01-01T00:00:02Z", "E2", { force: true }),
      T("WP01", "for_review", "done", "2026-01-01T00:00:03Z", "E3", { force: true }),
    ].join("\n");
    const s = reduceEvents(text);
    assert.equal(s.work_packages.WP01!.lane, "done");
    assert.equal(s.work_packages.WP01!.force_count, 2);
    assert.equal(s.summary.done, 1);
  });

  await t.step("the claim edge copies policy_metadata into the snapshot", () => {
    const text = T("WP01", "planned", "claimed", "2026-01-01T00:00:01Z", "E1", {
      policy_metadata: { agent: "claude", shell_pid: 42, shell_pid_created_at: "t" },
    });
    const wp = reduceEvents(text).work_packages.WP01!;
    assert.equal(wp.agent, "claude");
    assert.equal(wp.shell_pid, 42);
    assert.equal(wp.shell_pid_created_at, "t");
  });

  await t.step("review_result: set, cleared from in_review, carried over", () => {
    const rr = { reviewer: "r", verdict: "changes_requested", reference: "ref" };
    const text = [
      T("WP01", "for_review", "in_review", "2026-01-01T00:00:01Z", "E1"),
      T("WP01", "in_review", "in_progress", "2026-01-01T00:00:02Z", "E2", { review_result: rr }),
      T("WP01", "in_progress", "for_review", "2026-01-01T00:00:03Z", "E3"),
    ].join("\n");
    assert.deepEqual(reduceEvents(text).work_packages.WP01!.review_result, rr);
    const cleared = text + "\n" +
      T("WP01", "for_review", "in_review", "2026-01-01T00:00:04Z", "E4") + "\n" +
      T("WP01", "in_review", "approved", "2026-01-01T00:00:05Z", "E5");
    assert.equal(reduceEvents(cleared).work_packages.WP01!.review_result, null);
  });

  await t.step("recorded_verdicts: review_result and evidence.review into approved/done", () => {
    const rr = {
      reviewer: "r",
      verdict: "changes_requested",
      reference: "review-cycle://m/WP01/review-cycle-1.md",
    };
    const ev = (verdict: string, reference: string) => ({
      evidence: { review: { reviewer: "r", verdict, reference } },
    });
    const text = [
      T("WP01", "in_review", "in_progress", "2026-01-01T00:00:01Z", "E1", { review_result: rr }),
      T(
        "WP01",
        "in_review",
        "approved",
        "2026-01-01T00:00:02Z",
        "E2",
        ev("approved", "Review passed"),
      ),
      // evidence on a transition that does not enter approved/done records nothing
      T("WP02", "in_review", "planned", "2026-01-01T00:00:01Z", "E3", ev("approved", "x")),
      T(
        "WP03",
        "approved",
        "done",
        "2026-01-01T00:00:01Z",
        "E4",
        ev("approved", "lane-approved:WP03"),
      ),
      T("WP04", "planned", "claimed", "2026-01-01T00:00:01Z", "E5"),
    ].join("\n");
    const s = reduceEvents(text);
    assert.deepEqual(s.recorded_verdicts, {
      WP01: { verdict: "approved", reference: "Review passed", source: "evidence", event_id: "E2" },
      WP03: {
        verdict: "approved",
        reference: "lane-approved:WP03",
        source: "evidence",
        event_id: "E4",
      },
    });
    // spec-kitty's review_result fold is unchanged: cleared by the in_review exit.
    assert.equal(s.work_packages.WP01!.review_result, null);
    const first = reduceEvents(text.split("\n")[0]!);
    assert.deepEqual(first.recorded_verdicts.WP01, {
      verdict: "changes_requested",
      reference: rr.reference,
      source: "review_result",
      event_id: "E1",
    });
  });

  await t.step("annotations fold after every transition, in (at, event_id) order", () => {
    const text = [
      A("WP01", "2026-01-01T00:00:09Z", ULID2, { agent: "late", note: "n2" }),
      A("WP01", "2026-01-01T00:00:00Z", ULID1, { agent: "early", note: "n1", shell_pid: 7 }),
      T("WP01", "planned", "claimed", "2026-01-01T00:00:05Z", "E1", {
        policy_metadata: { agent: "claimer" },
      }),
      A("WP01", "2026-01-01T00:00:10Z", ULID3, { agent: "", subtasks: { T1: "done" } }),
    ].join("\n");
    const wp = reduceEvents(text).work_packages.WP01!;
    assert.equal(wp.agent, "late"); // "" is a no-op; annotations win over the claim sidecar
    assert.deepEqual(wp.notes, ["n1", "n2"]);
    assert.equal(wp.shell_pid, 7);
    assert.deepEqual(wp.subtasks, { T1: "done" });
    assert.equal(wp.lane, "claimed");
    assert.equal(reduceEvents(text).event_count, 1);
  });

  await t.step("release_runtime_claim nulls the runtime claim first", () => {
    const text = [
      T("WP01", "planned", "claimed", "2026-01-01T00:00:01Z", "E1", {
        policy_metadata: { agent: "a", shell_pid: 1 },
      }),
      A("WP01", "2026-01-01T00:00:02Z", ULID1, { release_runtime_claim: true, model: "m" }),
    ].join("\n");
    const wp = reduceEvents(text).work_packages.WP01!;
    assert.equal(wp.agent, null);
    assert.equal(wp.shell_pid, null);
    assert.equal(wp.shell_pid_created_at, null);
    assert.equal(wp.model, "m");
  });

  await t.step("review override record; all-empty is the release sentinel", () => {
    const rec = { at: "t", actor: "me", wp_id: "WP01", reason: "because" };
    const text = [
      T("WP01", "planned", "approved", "2026-01-01T00:00:01Z", "E1"),
      A("WP01", "2026-01-01T00:00:02Z", ULID1, { review: rec }),
    ].join("\n");
    assert.deepEqual(reduceEvents(text).work_packages.WP01!.review, rec);
    const released = text + "\n" +
      A("WP01", "2026-01-01T00:00:03Z", ULID2, {
        review: { at: "", actor: "", wp_id: "", reason: "" },
      });
    assert.equal(reduceEvents(released).work_packages.WP01!.review, null);
  });

  await t.step("tracker refs: union, replace wins", () => {
    const text = [
      A("WP01", "2026-01-01T00:00:01Z", ULID1, { tracker_refs: ["a", "b"] }),
      A("WP01", "2026-01-01T00:00:02Z", ULID2, { tracker_refs: ["b", "c"] }),
    ].join("\n");
    assert.deepEqual(reduceEvents(text).work_packages.WP01!.tracker_refs, ["a", "b", "c"]);
    const replaced = text + "\n" +
      A("WP01", "2026-01-01T00:00:03Z", ULID3, {
        tracker_refs: ["z"],
        tracker_refs_replace: ["d", "d", "e"],
      });
    assert.deepEqual(reduceEvents(replaced).work_packages.WP01!.tracker_refs, ["d", "e"]);
  });

  await t.step("an annotation-only WP is uninitialized and not counted", () => {
    const s = reduceEvents(A("WP09", "2026-01-01T00:00:01Z", ULID1, { note: "x" }, "ann"));
    assert.deepEqual(s.work_packages.WP09, {
      lane: "uninitialized",
      actor: "ann",
      last_transition_at: null,
      last_event_id: null,
      force_count: 0,
      notes: ["x"],
    });
    assert.equal(s.event_count, 0);
    assert.equal(Object.values(s.summary).reduce((a, b) => a + b, 0), 0);
  });

  await t.step("non-lane lines are skipped; unknown keys ignored; dict actors", () => {
    const text = [
      JSON.stringify({ event_type: "WPCreated", event_id: "X", payload: {} }),
      JSON.stringify({ event_name: "retrospective.captured", at: "x" }),
      JSON.stringify({ type: "RetrospectiveSkipped" }),
      T("WP01", "genesis", "planned", "2026-01-01T00:00:01Z", "E1", {
        actor: { role: "implementer", profile: null, tool: null, model: null },
        lamport: 3,
      }),
    ].join("\n");
    const s = reduceEvents(text);
    assert.equal(s.event_count, 1);
    assert.equal(s.work_packages.WP01!.actor, "implementer");
    assert.equal(s.mission_slug, "synthetic");
  });

  await t.step("a path-like mission_slug is not trusted", () => {
    const s = reduceEvents(
      T("WP01", "genesis", "planned", "2026-01-01T00:00:01Z", "E1", {
        mission_slug: "../../etc",
      }),
    );
    assert.equal(s.mission_slug, "");
  });

  await t.step("a corrupt line fails the whole read with its line number", () => {
    const good = T("WP01", "genesis", "planned", "2026-01-01T00:00:01Z", "E1");
    const cases: [string, number, RegExp][] = [
      [`${good}\n\n{not json\n`, 3, /invalid JSON/],
      [`${good}\n[1,2]\n`, 2, /JSON object/],
      [`${good}\n${JSON.stringify({ kind: "weird" })}`, 2, /unknown event kind/],
      [`${good}\n${T("WP01", "planned", "doing", "2026-01-01T00:00:02Z", "E2")}`, 2, /not a lane/],
      [
        `${JSON.stringify({ actor: "a", at: "x", event_id: "E", wp_id: "WP01" })}`,
        1,
        /missing required key/,
      ],
      [`${A("WP01", "2026-01-01T00:00:02Z", "not-a-ulid", {})}`, 1, /ULID/],
      [
        `${
          JSON.stringify({ actor: "a", at: "x", event_id: ULID1, kind: "annotation", wp_id: "W" })
        }`,
        1,
        /delta/,
      ],
      [`${A("WP01", "2026-01-01T00:00:02Z", ULID1, { subtasks: { T1: "doing" } })}`, 1, /lane/],
      [
        T("WP01", "genesis", "planned", "2026-01-01T00:00:01Z", "E1", {
          actor: { tool: "x", role: null },
        }),
        1,
        /actor/,
      ],
    ];
    for (const [text, line, reason] of cases) {
      const e = corrupt(() => reduceEvents(text, { path: "kitty-specs/m/status.events.jsonl" }));
      assert.equal(e.code, "EVENT_LOG_CORRUPT");
      assert.equal(e.data.line, line, text);
      assert.equal(e.data.path, "kitty-specs/m/status.events.jsonl");
      assert.match(String(e.data.reason), reason);
    }
  });
});

// A direct transcription of the reference algorithm, to hold the optimised
// reducer to it on random logs (duplicates, equal timestamps, rollbacks).
// deno-lint-ignore no-explicit-any
function referenceReduce(events: any[]): Record<string, [string, string, number]> {
  const seen = new Set<string>();
  const unique = events.filter((
    e,
  ) => (seen.has(e.event_id) ? false : (seen.add(e.event_id), true)));
  unique.sort((a, b) =>
    a.at < b.at
      ? -1
      : a.at > b.at
      ? 1
      : a.event_id < b.event_id
      ? -1
      : a.event_id > b.event_id
      ? 1
      : 0
  );
  // deno-lint-ignore no-explicit-any
  const isRb = (e: any) =>
    e.to_lane === "in_progress" &&
    (e.from_lane === "in_review" || (e.from_lane === "for_review" && e.review_ref != null));
  // deno-lint-ignore no-explicit-any
  const st: Record<string, any> = {};
  for (const e of unique) {
    const cur = st[e.wp_id];
    if (cur && cur.at === e.at) {
      const setter = unique.find((x) => x.event_id === cur.id);
      if (isRb(e) && setter && !isRb(setter)) { /* apply */ }
      else if (setter && isRb(setter) && !isRb(e)) continue;
    }
    st[e.wp_id] = {
      lane: e.to_lane,
      at: e.at,
      id: e.event_id,
      fc: (cur?.fc ?? 0) + (e.force ? 1 : 0),
    };
  }
  return Object.fromEntries(Object.entries(st).map(([k, v]) => [k, [v.lane, v.id, v.fc]]));
}

Deno.test("reduceEvents() agrees with the reference algorithm on random logs", async () => {
  const { default: fc } = await import("fast-check");
  const lanes = [
    "planned",
    "claimed",
    "in_progress",
    "for_review",
    "in_review",
    "approved",
    "done",
  ];
  const event = fc.record({
    wp_id: fc.constantFrom("WP01", "WP02", "WP03"),
    from_lane: fc.constantFrom(...lanes),
    to_lane: fc.constantFrom(...lanes),
    at: fc.constantFrom(
      "2026-01-01T00:00:01Z",
      "2026-01-01T00:00:01+00:00",
      "2026-01-01T00:00:02Z",
    ),
    event_id: fc.constantFrom("A", "B", "C", "D", "E", "F", "G", "a", "b", "01KX", "01KY"),
    force: fc.boolean(),
    review_ref: fc.constantFrom(null, "review-cycle://m/WP01/review-cycle-1.md"),
  });
  fc.assert(
    fc.property(fc.array(event, { maxLength: 25 }), (events) => {
      const full = events.map((e) => ({ ...e, actor: "x", execution_mode: "worktree" }));
      const text = full.map((e) => eventLine(e)).join("\n");
      const ours = reduceEvents(text).work_packages;
      const got = Object.fromEntries(
        Object.entries(ours).map(([k, v]) => [k, [v.lane, v.last_event_id, v.force_count]]),
      );
      assert.deepEqual(got, referenceReduce(full));
    }),
    { numRuns: 500 },
  );
});
