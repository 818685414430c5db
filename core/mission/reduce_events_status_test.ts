/**
 * reduceEvents() against the status.json spec-kitty materialises, on
 * synthetic logs written in the shapes of the real missions' eras: the
 * 2026-04 logs (string actors, a migration's duplicate claim with the claim
 * sidecar, a `Z` timestamp among `+00:00` ones, a sticky review_result, a
 * duplicated event id), the 2026-08 logs (non-lane lines, genesis, dict
 * actors, runtime slots from annotations, a rollback that wins a timestamp
 * tie, override records and their release sentinel, tracker refs,
 * release_runtime_claim, a blocked WP), and a mission whose status.json is
 * stale (it still lists WPs whose annotations were removed from the log).
 *
 * Each expected status.json below is written by hand from spec-kitty's
 * reducer rules (shared/reference/spec-kitty-format.md §3.4), not by keel.
 */

import assert from "node:assert/strict";
import { eventLine } from "./event_line.ts";
import { reduceEvents, type StatusSnapshot } from "./reduce_events.ts";
import { annotationLine, transitionEvent } from "../../testing/mission.ts";

/** The keys status.json shares with the snapshot (mission_number/mission_type are meta.json's). */
function comparable(s: StatusSnapshot | Record<string, unknown>): Record<string, unknown> {
  const { mission_slug, materialized_at, event_count, last_event_id, summary, work_packages } =
    s as StatusSnapshot;
  return { mission_slug, materialized_at, event_count, last_event_id, summary, work_packages };
}

function summary(counts: Record<string, number>): Record<string, number> {
  const lanes = [
    "approved",
    "blocked",
    "canceled",
    "claimed",
    "done",
    "for_review",
    "in_progress",
    "in_review",
    "planned",
  ];
  return Object.fromEntries(lanes.map((l) => [l, counts[l] ?? 0]));
}

function stepper(slug: string) {
  return (
    wp: string,
    from: string,
    to: string,
    at: string,
    id: string,
    extra: Record<string, unknown> = {},
  ) => eventLine(transitionEvent(wp, from, to, at, id, { mission_slug: slug, ...extra }));
}

// --- 2026-04 (the 062/064/067 era) ------------------------------------------------------------

const APRIL = "067-synthetic-runtime-recovery";
const aprilAt = (hms: string) => `2026-04-06T${hms}+00:00`;
const CYCLE2 = `review-cycle://${APRIL}/WP01-progress/review-cycle-2.md`;
const APRIL_VERDICT = {
  feedback_path: `/tmp/elsewhere/kitty-specs/${APRIL}/tasks/WP01-progress/review-cycle-2.md`,
  reference: CYCLE2,
  reviewer: "unknown",
  verdict: "changes_requested",
};

function aprilLog(): string {
  const T = stepper(APRIL);
  const IMPL = "claude:opus:implementer:implementer";
  const done = (to: string) =>
    T("WP01", "approved", to, "2026-04-07T07:40:48.515835+00:00", "01KNKE62G31S673B0CSTMW7ZPC", {
      actor: "user",
      force: true,
      evidence: { review: { reference: "PR#452", reviewer: "Reviewer", verdict: "approved" } },
    });
  return [
    T("WP01", "planned", "planned", aprilAt("18:51:39.118530"), "01KNJ25PQETTMY82RYCXN6KXR4", {
      actor: "finalize-tasks",
      force: true,
      reason: "canonical bootstrap",
    }),
    T("WP02", "planned", "planned", aprilAt("18:51:39.118530"), "01KNJ25PQETTMY82RYCXN6KXR5", {
      actor: "finalize-tasks",
      force: true,
      reason: "canonical bootstrap",
    }),
    annotationLine("WP02", aprilAt("18:51:40.000000"), "01KNJ25Q000000000000000000", {
      note: "bootstrap check",
    }),
    T("WP01", "planned", "claimed", aprilAt("18:52:26.327789"), "01KNJ274TQWEW910FZ7ZZWHPX6", {
      actor: IMPL,
    }),
    // The migration's duplicate claim: same instant, a non-ULID id, the claim sidecar.
    T("WP01", "planned", "claimed", aprilAt("18:52:26.327789"), "69AG4BYV7CSSSD0SHSNNYK3MAX", {
      actor: "migration:backfill_runtime_state",
      policy_metadata: { agent: "claude:opus:reviewer:reviewer", shell_pid: 33319 },
    }),
    annotationLine(
      "WP01",
      aprilAt("18:52:26.327789"),
      "799RJJEZ2AVMVJ3SBJEMSFNPZX",
      { subtasks: { T001: "done", T002: "done" } },
      "migration:backfill_runtime_state",
    ),
    T("WP01", "claimed", "in_progress", aprilAt("18:52:26.333952"), "01KNJ274TXM4YHG3ZB5A32ZTXD", {
      actor: IMPL,
    }),
    T(
      "WP01",
      "in_progress",
      "for_review",
      aprilAt("19:02:39.352569"),
      "01KNJ2SVFRX59S99WDC03QACD2",
      {
        actor: "user",
        force: true,
      },
    ),
    T(
      "WP01",
      "for_review",
      "in_progress",
      aprilAt("19:03:10.098474"),
      "01KNJ2TSGJXV7Y4ZSKMF0CEGPJ",
      {
        actor: "claude:opus:reviewer:reviewer",
        force: true,
        review_ref: "action-review-claim",
      },
    ),
    T("WP01", "in_progress", "planned", aprilAt("19:05:48.300166"), "01KNJ2ZM0CMH3CW4EMZSWCN2TG", {
      actor: "user",
      force: true,
      review_ref: CYCLE2,
    }),
    // A backfill written later with a `Z` timestamp: sorts after `19:05:48.300166+00:00`.
    T("WP01", "in_review", "in_progress", "2026-04-06T19:05:48Z", "6KF9QWVN7M13VT8BPE5628EVXS", {
      actor: "migration:verdict_provenance_backfill",
      review_result: APRIL_VERDICT,
    }),
    T("WP01", "planned", "claimed", aprilAt("19:06:10.194168"), "01KNJ309CJZ8TZ9ZV3W6V36GQY", {
      actor: IMPL,
    }),
    T("WP01", "claimed", "in_progress", aprilAt("19:06:10.271995"), "01KNJ309EZYMCSW8SQJ1W354G2", {
      actor: IMPL,
    }),
    T(
      "WP01",
      "in_progress",
      "for_review",
      aprilAt("19:11:26.932226"),
      "01KNJ39YPME9VZB9TZ9JJ10QYV",
      {
        actor: "user",
      },
    ),
    T("WP01", "for_review", "approved", aprilAt("19:11:27.183425"), "01KNJ39YYFXPTY2J9AZF87JJZ6", {
      actor: "user",
      evidence: {
        review: { reference: "Review passed", reviewer: "Reviewer", verdict: "approved" },
      },
    }),
    done("done"),
    // The same event id again: the first in file order wins.
    done("planned"),
  ].join("\n") + "\n";
}

/** What spec-kitty writes for {@link aprilLog}. */
const APRIL_STATUS = {
  event_count: 14,
  last_event_id: "01KNKE62G31S673B0CSTMW7ZPC",
  materialized_at: "2026-04-07T07:40:48.515835+00:00",
  mission_number: "67",
  mission_slug: APRIL,
  mission_type: "software-dev",
  summary: summary({ done: 1, planned: 1 }),
  work_packages: {
    WP01: {
      actor: "user",
      agent: "claude:opus:reviewer:reviewer",
      force_count: 5,
      lane: "done",
      last_event_id: "01KNKE62G31S673B0CSTMW7ZPC",
      last_transition_at: "2026-04-07T07:40:48.515835+00:00",
      review_result: APRIL_VERDICT,
      shell_pid: 33319,
      subtasks: { T001: "done", T002: "done" },
    },
    WP02: {
      actor: "finalize-tasks",
      force_count: 1,
      lane: "planned",
      last_event_id: "01KNJ25PQETTMY82RYCXN6KXR5",
      last_transition_at: "2026-04-06T18:51:39.118530+00:00",
      notes: ["bootstrap check"],
    },
  },
};

// --- 2026-08 (the read-side-seam/assertive/rc3 era) -------------------------------------------

const AUGUST = "synthetic-lane-seam-01M0GGX8";
const augAt = (day: number, hms: string) => `2026-08-${day}T${hms}+00:00`;
const id = (n: number) => `01M0GH${String(n).padStart(20, "0")}`;
const dictActor = (tool: string | null, role: string) => ({
  model: tool === null ? null : "opus",
  profile: tool === null ? null : "implementer-ivan",
  role,
  tool,
});

function augustLog(): string {
  const T = stepper(AUGUST);
  const claim = T("WP01", "planned", "claimed", augAt(21, "10:00:00.000000"), id(3), {
    actor: dictActor("claude", "implementer"),
    policy_metadata: { agent: "claude", shell_pid: 2912391, shell_pid_created_at: "1787378351.65" },
  });
  return [
    eventLine({
      aggregate_id: "01M0GGX8F4B9QVRS6Z001SXNNS",
      aggregate_type: "Mission",
      event_id: "01M0GGX97EVARN32813W9J3EEF",
      event_type: "MissionCreated",
      payload: { mission_slug: AUGUST, mission_type: "software-dev" },
      project_slug: null,
      project_uuid: null,
      schema_version: "3.0.0",
      timestamp: "2026-08-20T21:23:22.213248+00:00",
    }),
    T("WP01", "genesis", "planned", augAt(20, "21:30:00.100000"), id(1), {
      actor: "finalize-tasks",
      force: true,
    }),
    T("WP02", "genesis", "planned", augAt(20, "21:30:00.100000"), id(2), {
      actor: "finalize-tasks",
      force: true,
    }),
    T("WP03", "genesis", "planned", augAt(20, "21:30:00.100000"), id(30), {
      actor: "finalize-tasks",
      force: true,
    }),
    claim,
    annotationLine("WP01", augAt(21, "10:00:00.500000"), id(4), {
      agent_profile: "implementer-ivan",
      agent_profile_version: "1.0",
      model: "__resolved_model_absent__",
      provider: "__resolved_provider_absent__",
      role: "implementer",
    }, "claude"),
    T("WP01", "claimed", "in_progress", augAt(21, "10:00:01.000000"), id(5), { actor: "claude" }),
    T("WP01", "in_progress", "for_review", augAt(21, "10:30:00.000000"), id(6), {
      actor: "claude",
    }),
    T("WP01", "for_review", "in_review", augAt(21, "10:31:00.000000"), id(7), {
      actor: dictActor(null, "reviewer"),
      review_ref: "action-review-claim",
    }),
    T("WP01", "in_review", "in_progress", augAt(21, "10:40:00.000000"), id(8), {
      actor: "reviewer",
      review_result: {
        reference: `review-cycle://${AUGUST}/WP01-seam/review-cycle-1.md`,
        reviewer: "reviewer-renata",
        verdict: "changes_requested",
      },
    }),
    T("WP01", "in_progress", "for_review", augAt(21, "11:00:00.000000"), id(9), {
      actor: "claude",
    }),
    T("WP01", "for_review", "in_review", augAt(21, "11:01:00.000000"), id(10), {
      actor: "reviewer",
    }),
    T("WP01", "in_review", "approved", augAt(21, "11:10:00.000000"), id(11), {
      actor: "reviewer",
      review_result: { reference: "WP01 verified", reviewer: "ATDD", verdict: "approved" },
    }),
    annotationLine("WP01", augAt(21, "11:10:00.500000"), id(12), {
      note: "WP01 verified: 2 tests pass",
    }, "reviewer"),
    T("WP01", "approved", "done", augAt(22, "07:09:46.631968"), id(13), {
      actor: "merge",
      force: true,
      policy_metadata: { merge_phase: "done", target_branch: "main" },
    }),
    eventLine({
      at: augAt(22, "07:10:00.000000"),
      event_id: id(14),
      event_name: "retrospective.captured",
      mission_slug: AUGUST,
      payload: { findings: 0 },
    }),
    T("WP02", "planned", "claimed", augAt(21, "12:00:00.000000"), id(15), {
      actor: "codex",
      policy_metadata: { agent: "codex", shell_pid: 4242 },
    }),
    T("WP02", "claimed", "in_progress", augAt(21, "12:00:00.000000"), id(16), { actor: "codex" }),
    T("WP02", "in_progress", "for_review", augAt(21, "12:30:00.000000"), id(17), {
      actor: "codex",
    }),
    // A rollback, then a forward move with the same timestamp: the rollback stays.
    T("WP02", "for_review", "in_progress", augAt(21, "12:40:00.000000"), id(18), {
      actor: "user",
      force: true,
      review_ref: `review-cycle://${AUGUST}/WP02-seam/review-cycle-1.md`,
    }),
    T("WP02", "in_progress", "for_review", augAt(21, "12:40:00.000000"), id(19), {
      actor: "codex",
    }),
    annotationLine("WP02", augAt(21, "12:41:00.000000"), id(20), {
      review: {
        actor: "user",
        at: "2026-08-21T12:41:00Z",
        reason: "flaky reviewer",
        wp_id: "WP02",
      },
    }, "user"),
    annotationLine("WP02", augAt(21, "12:42:00.000000"), id(21), {
      release_runtime_claim: true,
    }, "user"),
    T("WP03", "planned", "claimed", augAt(21, "13:00:01.000000"), id(31), { actor: "claude" }),
    T("WP03", "claimed", "in_progress", augAt(21, "13:00:02.000000"), id(32), { actor: "claude" }),
    T("WP03", "in_progress", "for_review", augAt(21, "13:00:03.000000"), id(33), {
      actor: "claude",
    }),
    T("WP03", "for_review", "in_review", augAt(21, "13:00:04.000000"), id(34), {
      actor: "reviewer",
    }),
    T("WP03", "in_review", "blocked", augAt(21, "13:00:05.000000"), id(35), {
      actor: "reviewer",
      reason: "waiting on WP02",
    }),
    annotationLine("WP03", augAt(21, "13:00:06.000000"), id(36), { tracker_refs: ["#1931"] }),
    annotationLine("WP03", augAt(21, "13:00:07.000000"), id(37), {
      tracker_refs: ["#1931", "#2000"],
    }),
    annotationLine("WP03", augAt(21, "13:00:08.000000"), id(38), {
      review: { actor: "user", at: "2026-08-21T13:00:08Z", reason: "skip", wp_id: "WP03" },
    }),
    // The release sentinel: an all-empty review record clears the slot; an empty agent is a no-op.
    annotationLine("WP03", augAt(21, "13:00:09.000000"), id(39), {
      agent: "",
      review: { actor: "", at: "", reason: "", wp_id: "" },
    }),
    annotationLine("WP03", augAt(21, "13:00:10.000000"), id(40), {
      agent: "",
      shell_pid: 0,
      subtasks: { T009: "done", T010: "planned" },
    }),
    // The claim again under its own id, later in the file: dropped.
    claim.replace('"to_lane": "claimed"', '"to_lane": "canceled"'),
  ].join("\n") + "\n";
}

/** What spec-kitty writes for {@link augustLog}. */
const AUGUST_STATUS = {
  event_count: 22,
  last_event_id: id(13),
  materialized_at: augAt(22, "07:09:46.631968"),
  mission_number: "",
  mission_slug: AUGUST,
  mission_type: "software-dev",
  summary: summary({ done: 1, in_progress: 1, blocked: 1 }),
  work_packages: {
    WP01: {
      actor: "merge",
      agent: "claude",
      agent_profile: "implementer-ivan",
      agent_profile_version: "1.0",
      force_count: 2,
      lane: "done",
      last_event_id: id(13),
      last_transition_at: augAt(22, "07:09:46.631968"),
      model: "__resolved_model_absent__",
      notes: ["WP01 verified: 2 tests pass"],
      provider: "__resolved_provider_absent__",
      review_result: { reference: "WP01 verified", reviewer: "ATDD", verdict: "approved" },
      role: "implementer",
      shell_pid: 2912391,
      shell_pid_created_at: "1787378351.65",
    },
    WP02: {
      actor: "user",
      agent: null,
      force_count: 2,
      lane: "in_progress",
      last_event_id: id(18),
      last_transition_at: augAt(21, "12:40:00.000000"),
      review: {
        actor: "user",
        at: "2026-08-21T12:41:00Z",
        reason: "flaky reviewer",
        wp_id: "WP02",
      },
      shell_pid: null,
      shell_pid_created_at: null,
    },
    WP03: {
      actor: "reviewer",
      force_count: 1,
      lane: "blocked",
      last_event_id: id(35),
      last_transition_at: augAt(21, "13:00:05.000000"),
      review: null,
      review_result: null,
      shell_pid: 0,
      subtasks: { T009: "done", T010: "planned" },
      tracker_refs: ["#1931", "#2000"],
    },
  },
};

Deno.test("reduceEvents() matches the status.json spec-kitty writes for synthetic logs of each era", () => {
  assert.deepEqual(comparable(reduceEvents(aprilLog())), comparable(APRIL_STATUS));
  assert.deepEqual(comparable(reduceEvents(augustLog())), comparable(AUGUST_STATUS));
});

// --- A stale status.json (rc3-lane-allocation-single-seam-01M0GGX8's case) --------------------

const STALE = "synthetic-stale-01M0GGX8";
const PHANTOMS = ["WP1", "WP2", "WP3"];

/** The log: WP01 done; the phantom annotations for WP1..WP3 are included only when asked. */
function staleLog(withPhantoms: boolean): string {
  const T = stepper(STALE);
  return [
    T("WP01", "genesis", "planned", augAt(20, "21:30:00.000000"), id(101), {
      actor: "finalize-tasks",
      force: true,
    }),
    T("WP01", "planned", "done", augAt(22, "07:09:46.000000"), id(102), {
      actor: "merge",
      force: true,
    }),
    ...(withPhantoms
      ? PHANTOMS.map((wp, i) =>
        annotationLine(wp, augAt(21, `0${i}:00:00.000000`), id(110 + i), {
          subtasks: { [`T00${i + 1}`]: "done" },
        }, "user")
      )
      : []),
  ].join("\n") + "\n";
}

/** The status.json spec-kitty wrote while the phantom annotations were still in the log. */
const STALE_STATUS = {
  event_count: 2,
  last_event_id: id(102),
  materialized_at: augAt(22, "07:09:46.000000"),
  mission_number: "",
  mission_slug: STALE,
  mission_type: "software-dev",
  summary: summary({ done: 1 }),
  work_packages: {
    WP01: {
      actor: "merge",
      force_count: 2,
      lane: "done",
      last_event_id: id(102),
      last_transition_at: augAt(22, "07:09:46.000000"),
    },
    ...Object.fromEntries(PHANTOMS.map((wp, i) => [wp, {
      actor: "user",
      force_count: 0,
      lane: "uninitialized",
      last_event_id: null,
      last_transition_at: null,
      subtasks: { [`T00${i + 1}`]: "done" },
    }])),
  },
};

Deno.test("reduceEvents() on a synthetic rc3-shaped mission: status.json is stale by exactly the phantom WPs", () => {
  const snap = reduceEvents(staleLog(false));
  assert.notDeepEqual(comparable(snap), comparable(STALE_STATUS));
  assert.deepEqual(
    Object.keys(STALE_STATUS.work_packages).filter((k) => !(k in snap.work_packages)),
    PHANTOMS,
  );
  // Everything else agrees, and the log that still held the annotations reduces to it.
  const { WP01 } = STALE_STATUS.work_packages;
  assert.deepEqual(
    comparable(snap),
    comparable({ ...STALE_STATUS, work_packages: { WP01 } }),
  );
  assert.deepEqual(comparable(reduceEvents(staleLog(true))), comparable(STALE_STATUS));
});
