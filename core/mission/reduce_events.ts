/**
 * The event-log reducer: `status.events.jsonl` text → the lane snapshot, with
 * spec-kitty's rules (the same result its `status.json` materialises).
 *
 * - non-lane lines (`event_type`, `retrospective.*`, retrospective `type`s) are skipped;
 * - transitions are de-duplicated by `event_id` (the first in file order wins),
 *   sorted by the raw `(at, event_id)` strings (code points, no date parsing)
 *   and folded without validating the transitions;
 * - equal `at` on one WP: a rollback beats a forward transition and a forward
 *   transition never overrides a rollback;
 * - annotations are folded after every transition, in `(at, event_id)` order;
 * - a line that cannot be read fails the whole read (`EVENT_LOG_CORRUPT`).
 *
 * @module
 */

import { KeelError } from "../errors.ts";

/** Every lane value an event may carry. */
export const EVENT_LANES: ReadonlySet<string> = new Set([
  "planned",
  "claimed",
  "in_progress",
  "for_review",
  "in_review",
  "approved",
  "done",
  "blocked",
  "canceled",
  "genesis",
  "uninitialized",
]);

/** The nine display lanes counted in `summary`, in spec-kitty's enum order. */
export const DISPLAY_LANES = [
  "planned",
  "claimed",
  "in_progress",
  "for_review",
  "in_review",
  "approved",
  "done",
  "blocked",
  "canceled",
] as const;

/** The reduced state of one WP (the per-WP object of `status.json`). */
export interface WpState {
  /** The current lane. */
  lane: string;
  /** The actor of the last applied transition (dict actors → `tool`, else `role`). */
  actor: string;
  /** `at` of the last applied transition (`null` for annotation-only WPs). */
  last_transition_at: string | null;
  /** `event_id` of the last applied transition. */
  last_event_id: string | null;
  /** How many applied transitions were forced. */
  force_count: number;
  /** Runtime slots (present only once set): agent, shell_pid, subtasks, review, … */
  [slot: string]: unknown;
}

/** The reduced snapshot (the `status.json` body without mission_number/mission_type). */
export interface StatusSnapshot {
  /** The first sorted transition's mission slug (sanitised), or `""`. */
  mission_slug: string;
  /** `at` of the last sorted transition, or `""`. */
  materialized_at: string;
  /** Number of de-duplicated transitions (annotations are not counted). */
  event_count: number;
  /** `event_id` of the last sorted transition. */
  last_event_id: string | null;
  /** WP id → state. */
  work_packages: Record<string, WpState>;
  /** Count per display lane. */
  summary: Record<string, number>;
}

/** Options for {@link reduceEvents}. */
export interface ReduceEventsOptions {
  /** The file the text came from (named in errors). */
  path?: string;
}

const _ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const _ACTOR_KEYS = ["model", "profile", "role", "tool"];
const _RETRO_TYPES = new Set([
  "RetrospectiveCaptured",
  "RetrospectiveCaptureFailed",
  "RetrospectiveSkipped",
]);
const _REPLACE_SLOTS = [
  "shell_pid",
  "shell_pid_created_at",
  "agent",
  "assignee",
  "role",
  "agent_profile",
  "agent_profile_version",
  "model",
  "provider",
] as const;
const _REQUIRED = [
  "event_id",
  "wp_id",
  "from_lane",
  "to_lane",
  "at",
  "actor",
  "force",
  "execution_mode",
] as const;

// deno-lint-ignore no-explicit-any
type Raw = Record<string, any>;

/**
 * Reduce event-log text to the snapshot spec-kitty would materialise.
 *
 * @param text The content of `status.events.jsonl` (may be empty).
 * @param options `path` for error messages.
 * @returns The snapshot.
 * @throws {KeelError} `EVENT_LOG_CORRUPT` with `{path, line, reason}` for a line
 *   that is not a JSON object, has an unknown `kind`, lacks a required key,
 *   carries a lane that is not a lane, a malformed actor, an annotation whose
 *   `event_id` is not a ULID or that lacks `delta`.
 *
 * @example
 * ```ts
 * import { reduceEvents } from "./reduce_events.ts";
 * const line = JSON.stringify({
 *   actor: "a", at: "2026-01-01T00:00:00Z", event_id: "E1", execution_mode: "worktree",
 *   force: false, from_lane: "genesis", to_lane: "planned", wp_id: "WP01",
 * });
 * console.assert(reduceEvents(line + "\n").work_packages.WP01?.lane === "planned");
 * ```
 */
export function reduceEvents(text: string, options: ReduceEventsOptions = {}): StatusSnapshot {
  const path = options.path ?? "status.events.jsonl";
  const transitions: Raw[] = [];
  const annotations: Raw[] = [];
  _partition(text, path, transitions, annotations);
  return _fold(transitions, annotations);
}

function _corrupt(path: string, line: number, reason: string): KeelError {
  return new KeelError("EVENT_LOG_CORRUPT", `Cannot read ${path}: line ${line}: ${reason}`, {
    data: { path, line, reason },
  });
}

function _partition(text: string, path: string, transitions: Raw[], annotations: Raw[]): void {
  const n = text.length;
  let start = 0;
  let lineNo = 0;
  while (start < n) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = n;
    lineNo++;
    const raw = text.slice(start, end);
    start = end + 1;
    if (raw.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw _corrupt(path, lineNo, `invalid JSON: ${(error as Error).message}`);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw _corrupt(path, lineNo, "expected a JSON object");
    }
    const obj = value as Raw;
    if ("kind" in obj) {
      if (obj.kind !== "annotation") {
        throw _corrupt(path, lineNo, `unknown event kind ${JSON.stringify(obj.kind)}`);
      }
      _checkAnnotation(obj, path, lineNo);
      annotations.push(obj);
      continue;
    }
    if (
      "event_type" in obj ||
      (typeof obj.event_name === "string" && obj.event_name.startsWith("retrospective.")) ||
      (typeof obj.type === "string" && _RETRO_TYPES.has(obj.type))
    ) continue;
    _checkTransition(obj, path, lineNo);
    transitions.push(obj);
  }
}

function _checkActor(actor: unknown, path: string, line: number): void {
  if (typeof actor === "string") return;
  if (actor === null || typeof actor !== "object" || Array.isArray(actor)) {
    throw _corrupt(path, line, "actor must be a string or {role, profile, tool, model}");
  }
  const keys = Object.keys(actor).sort();
  if (keys.length !== 4 || keys.some((k, i) => k !== _ACTOR_KEYS[i])) {
    throw _corrupt(
      path,
      line,
      "a dict actor must have exactly the keys role, profile, tool, model",
    );
  }
  for (const k of keys) {
    const v = (actor as Raw)[k];
    if (v !== null && typeof v !== "string") {
      throw _corrupt(path, line, `actor.${k} must be a string or null`);
    }
  }
}

function _checkTransition(obj: Raw, path: string, line: number): void {
  for (const key of _REQUIRED) {
    if (!(key in obj)) throw _corrupt(path, line, `missing required key "${key}"`);
  }
  if (typeof obj.event_id !== "string") throw _corrupt(path, line, "event_id must be a string");
  if (typeof obj.wp_id !== "string") throw _corrupt(path, line, "wp_id must be a string");
  if (typeof obj.at !== "string") throw _corrupt(path, line, "at must be a string");
  if (!EVENT_LANES.has(obj.from_lane)) {
    throw _corrupt(path, line, `from_lane ${JSON.stringify(obj.from_lane)} is not a lane`);
  }
  if (!EVENT_LANES.has(obj.to_lane)) {
    throw _corrupt(path, line, `to_lane ${JSON.stringify(obj.to_lane)} is not a lane`);
  }
  _checkActor(obj.actor, path, line);
  const rr = obj.review_result;
  if (rr !== undefined && rr !== null) {
    if (typeof rr !== "object" || Array.isArray(rr)) {
      throw _corrupt(path, line, "review_result must be an object or null");
    }
    if (Object.keys(rr).length > 0) {
      for (const k of ["reviewer", "verdict", "reference"]) {
        if (!(k in rr)) throw _corrupt(path, line, `review_result lacks "${k}"`);
      }
    }
  }
  const pm = obj.policy_metadata;
  if (pm !== undefined && pm !== null && (typeof pm !== "object" || Array.isArray(pm))) {
    throw _corrupt(path, line, "policy_metadata must be an object or null");
  }
}

function _checkAnnotation(obj: Raw, path: string, line: number): void {
  if (typeof obj.event_id !== "string" || !_ULID.test(obj.event_id)) {
    throw _corrupt(path, line, "annotation event_id must be a ULID");
  }
  if (!("delta" in obj)) throw _corrupt(path, line, 'annotation lacks "delta"');
  const delta = obj.delta;
  if (delta === null || typeof delta !== "object" || Array.isArray(delta)) {
    throw _corrupt(path, line, "annotation delta must be an object");
  }
  if (typeof obj.at !== "string") throw _corrupt(path, line, "at must be a string");
  if (!("wp_id" in obj)) throw _corrupt(path, line, 'missing required key "wp_id"');
  if (!("actor" in obj)) throw _corrupt(path, line, 'missing required key "actor"');
  _checkActor(obj.actor, path, line);
  const subtasks = (delta as Raw).subtasks;
  if (subtasks !== undefined && subtasks !== null) {
    if (typeof subtasks !== "object" || Array.isArray(subtasks)) {
      throw _corrupt(path, line, "delta.subtasks must be an object");
    }
    for (const [tid, lane] of Object.entries(subtasks)) {
      if (typeof lane !== "string" || !EVENT_LANES.has(lane)) {
        throw _corrupt(path, line, `subtask ${tid} status ${JSON.stringify(lane)} is not a lane`);
      }
    }
  }
}

function _actorIdentity(actor: unknown): string {
  if (typeof actor === "string") return actor;
  const a = actor as Raw;
  return (a.tool || a.role || "") as string;
}

function _isRollback(e: Raw): boolean {
  if (e.to_lane !== "in_progress") return false;
  if (e.from_lane === "in_review") return true;
  return e.from_lane === "for_review" && e.review_ref !== undefined && e.review_ref !== null;
}

function _hasAstral(values: Raw[]): boolean {
  for (const e of values) {
    if (/[\uD800-\uFFFF]/.test(e.at) || /[\uD800-\uFFFF]/.test(String(e.event_id))) return true;
  }
  return false;
}

/** Code-point comparison (JS `<` compares UTF-16 code units). */
function _cmpCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

function _sortByAtId(values: Raw[]): void {
  if (_hasAstral(values)) {
    values.sort((p, q) => _cmpCodePoints(p.at, q.at) || _cmpCodePoints(p.event_id, q.event_id));
    return;
  }
  values.sort((p, q) => {
    const a = p.at;
    const b = q.at;
    if (a < b) return -1;
    if (a > b) return 1;
    const x = p.event_id;
    const y = q.event_id;
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

function _safeSlug(value: unknown): string {
  if (typeof value !== "string" || value === "" || value === "." || value === "..") return "";
  if (value.includes("/") || value.includes("\\") || value.includes("..")) return "";
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x1f]/.test(value)) return "";
  return value;
}

function _fold(transitions: Raw[], annotations: Raw[]): StatusSnapshot {
  const summary: Record<string, number> = {};
  for (const lane of DISPLAY_LANES) summary[lane] = 0;
  if (transitions.length === 0 && annotations.length === 0) {
    return {
      mission_slug: "",
      materialized_at: "",
      event_count: 0,
      last_event_id: null,
      work_packages: {},
      summary,
    };
  }
  // 1. de-duplicate, keeping the first occurrence in file order.
  const seen = new Set<string>();
  const unique: Raw[] = [];
  for (const e of transitions) {
    if (seen.has(e.event_id)) continue;
    seen.add(e.event_id);
    unique.push(e);
  }
  // 2. sort by the raw (at, event_id) strings.
  _sortByAtId(unique);
  // 3-4. fold.
  const states = new Map<string, WpState>();
  const setters = new Map<string, Raw>();
  for (const e of unique) {
    const wp: string = e.wp_id;
    const cur = states.get(wp);
    if (cur !== undefined && cur.last_transition_at === e.at) {
      const setter = setters.get(wp);
      const rollback = _isRollback(e);
      if (!rollback && setter !== undefined && _isRollback(setter)) continue;
    }
    let state: WpState;
    if (cur === undefined) {
      state = {
        lane: e.to_lane,
        actor: _actorIdentity(e.actor),
        last_transition_at: e.at,
        last_event_id: e.event_id,
        force_count: e.force ? 1 : 0,
      };
      states.set(wp, state);
    } else {
      state = cur;
      state.lane = e.to_lane;
      state.actor = _actorIdentity(e.actor);
      state.last_transition_at = e.at;
      state.last_event_id = e.event_id;
      if (e.force) state.force_count += 1;
    }
    setters.set(wp, e);
    if (e.from_lane === "planned" && e.to_lane === "claimed") {
      const meta = e.policy_metadata;
      if (meta) {
        if (meta.shell_pid !== undefined && meta.shell_pid !== null) {
          state.shell_pid = meta.shell_pid;
        }
        if (meta.shell_pid_created_at !== undefined && meta.shell_pid_created_at !== null) {
          state.shell_pid_created_at = meta.shell_pid_created_at;
        }
        if (meta.agent) state.agent = meta.agent;
      }
    }
    const rr = e.review_result;
    const rrTruthy = rr !== undefined && rr !== null && Object.keys(rr).length > 0;
    if (rrTruthy || e.from_lane === "in_review") {
      state.review_result = rrTruthy ? _reviewResult(rr) : null;
    }
  }
  // 5. annotations, after every transition.
  if (annotations.length > 0) {
    _sortByAtId(annotations);
    for (const a of annotations) {
      const wp = String(a.wp_id);
      let state = states.get(wp);
      if (state === undefined) {
        state = {
          lane: "uninitialized",
          actor: _actorIdentity(a.actor),
          last_transition_at: null,
          last_event_id: null,
          force_count: 0,
        };
        states.set(wp, state);
      }
      _applyDelta(state, a.delta);
    }
  }
  // 6. summary.
  for (const s of states.values()) {
    if (s.lane in summary) summary[s.lane]! += 1;
  }
  const last = unique.length > 0 ? unique[unique.length - 1]! : null;
  const first = unique.length > 0 ? unique[0]! : null;
  return {
    mission_slug: first === null ? "" : _safeSlug(first.mission_slug ?? first.feature_slug),
    materialized_at: last === null ? "" : last.at,
    event_count: unique.length,
    last_event_id: last === null ? null : last.event_id,
    work_packages: Object.fromEntries(states),
    summary,
  };
}

function _reviewResult(rr: Raw): Raw {
  const out: Raw = {
    reviewer: rr.reviewer,
    verdict: rr.verdict,
    reference: rr.reference,
  };
  if (rr.feedback_path !== undefined && rr.feedback_path !== null) {
    out.feedback_path = rr.feedback_path;
  }
  return out;
}

function _applyDelta(state: WpState, delta: Raw): void {
  if (delta.release_runtime_claim === true) {
    state.agent = null;
    state.shell_pid = null;
    state.shell_pid_created_at = null;
  }
  for (const slot of _REPLACE_SLOTS) {
    const v = delta[slot];
    if (v !== undefined && v !== null && v !== "") state[slot] = v;
  }
  const subtasks = delta.subtasks;
  if (subtasks !== undefined && subtasks !== null) {
    const merged: Raw = { ...(state.subtasks as Raw | undefined ?? {}) };
    for (const [tid, lane] of Object.entries(subtasks)) merged[tid] = lane;
    state.subtasks = merged;
  }
  if (delta.note !== undefined && delta.note !== null) {
    state.notes = [...((state.notes as unknown[] | undefined) ?? []), delta.note];
  }
  if (Array.isArray(delta.tracker_refs_replace)) {
    state.tracker_refs = [...new Set(delta.tracker_refs_replace)];
  } else if (Array.isArray(delta.tracker_refs)) {
    const merged = [...((state.tracker_refs as unknown[] | undefined) ?? [])];
    for (const ref of delta.tracker_refs) if (!merged.includes(ref)) merged.push(ref);
    state.tracker_refs = merged;
  }
  const review = delta.review;
  if (review !== undefined && review !== null && typeof review === "object") {
    const rec = {
      actor: review.actor ?? "",
      at: review.at ?? "",
      reason: review.reason ?? "",
      wp_id: review.wp_id ?? "",
    };
    const empty = !rec.actor && !rec.at && !rec.reason && !rec.wp_id;
    state.review = empty ? null : rec;
  }
}

/**
 * Whether a `review` override record is complete (all four fields non-empty).
 *
 * @param review The `review` slot of a WP state.
 * @returns `true` for a complete record.
 */
export function isCompleteReviewOverride(review: unknown): boolean {
  if (review === null || typeof review !== "object") return false;
  const r = review as Raw;
  return Boolean(r.at) && Boolean(r.actor) && Boolean(r.wp_id) && Boolean(r.reason);
}
