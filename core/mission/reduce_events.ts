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
import { APPROVED_OR_DONE_LANES } from "./lanes.ts";

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
  /**
   * The last review verdict the log records per WP (absent: none recorded):
   * from a transition's `review_result`, or from `evidence.review` on a
   * transition into `approved`/`done`. Not part of `status.json`.
   */
  recorded_verdicts: Record<string, RecordedVerdict>;
}

/** A review verdict recorded by one transition of the event log. */
export interface RecordedVerdict {
  /** The verdict string (`approved`, `changes_requested`, …). */
  verdict: string;
  /** The reference text (`review-cycle://…`, or a sentence). */
  reference: string | null;
  /** Which shape carried it. */
  source: "review_result" | "evidence";
  /** The transition's `event_id`. */
  event_id: string;
}

/** Options for {@link reduceEvents}. */
export interface ReduceEventsOptions {
  /** The file the text came from (named in errors). */
  path?: string;
  /**
   * What a final line without its newline that is not valid JSON is:
   * `strict` (default, spec-kitty's rule): a corrupt line, `EVENT_LOG_CORRUPT`;
   * `in_flight`: another process's append not finished yet, ignored. Readers
   * that do not hold the mission lock read with `in_flight`, since an append
   * (one `write` of whole lines, under the lock) may be seen half-done; a
   * writer re-reading under the lock reads `strict`, since no append can be
   * in flight then and such a tail is left over from a crash.
   */
  tail?: "strict" | "in_flight";
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
const _LANE_INTERN = new Map<unknown, string>([...EVENT_LANES].map((l) => [l, l]));
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
 * import assert from "node:assert/strict";
 * import { reduceEvents } from "./reduce_events.ts";
 * const line = JSON.stringify({
 *   actor: "a", at: "2026-01-01T00:00:00Z", event_id: "E1", execution_mode: "worktree",
 *   force: false, from_lane: "genesis", to_lane: "planned", wp_id: "WP01",
 * });
 * assert(reduceEvents(line + "\n").work_packages.WP01?.lane === "planned");
 * ```
 */
export function reduceEvents(text: string, options: ReduceEventsOptions = {}): StatusSnapshot {
  const path = options.path ?? "status.events.jsonl";
  const cols = _newColumns();
  const annotations: Raw[] = [];
  if (options.tail === "in_flight") text = inFlightSafe(text);
  _partition(text, path, cols, annotations);
  cols.text = text;
  // Code-unit order differs from code-point order only between two units >= U+D800,
  // written raw or as a JSON escape; without any, the native comparison is exact.
  const astral = /[\uD800-\uFFFF]/.test(text) ||
    (text.includes("\\u") && /\\u[dDeEfF][0-9a-fA-F]{3}/.test(text));
  return _fold(cols, annotations, astral);
}

/**
 * The event-log text without an append still in flight: a final line with no
 * newline that is not valid JSON is cut off. Complete lines, and a final line
 * that parses (a log written without a trailing newline), are kept.
 *
 * @param text Event-log text as read without the mission lock.
 * @returns The text up to the last complete line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inFlightSafe } from "./reduce_events.ts";
 * assert.equal(inFlightSafe('{"a": 1}\n{"b": '), '{"a": 1}\n');
 * assert.equal(inFlightSafe('{"a": 1}\n{"b": 2}'), '{"a": 1}\n{"b": 2}');
 * ```
 */
export function inFlightSafe(text: string): string {
  if (text === "" || text.endsWith("\n")) return text;
  const cut = text.lastIndexOf("\n") + 1;
  const tail = text.slice(cut);
  if (tail.trim() === "") return text;
  try {
    JSON.parse(tail);
    return text;
  } catch {
    return text.slice(0, cut);
  }
}

function _corrupt(path: string, line: number, reason: string): KeelError {
  return new KeelError("EVENT_LOG_CORRUPT", `Cannot read ${path}: line ${line}: ${reason}`, {
    data: { path, line, reason },
  });
}

const _F_FORCE = 1;
const _F_ROLLBACK = 2;
const _F_FROM_IN_REVIEW = 4;

/**
 * Transitions kept column-wise: only the fields the fold reads survive the
 * parse, so the parsed line objects die young.
 */
interface _Columns {
  at: string[];
  id: string[];
  wp: string[];
  actor: string[];
  to: string[];
  flags: number[];
  /** Where each event's line starts and ends in the text (to re-read one line). */
  lineStart: number[];
  lineEnd: number[];
  /** Event index → review_result (truthy ones only). */
  reviewResult: Map<number, Raw>;
  /** Event index → `evidence.review` {verdict, reference} of a transition into approved/done. */
  evidenceReview: Map<number, { verdict: string; reference: string | null }>;
  /** Event index → policy_metadata of a planned→claimed event. */
  claimMeta: Map<number, Raw>;
  intern: Map<string, string>;
  /** The log text. */
  text: string;
  /** The two most recently interned strings. */
  lastA: string;
  lastB: string;
}

function _newColumns(): _Columns {
  return {
    at: [],
    id: [],
    wp: [],
    actor: [],
    to: [],
    flags: [],
    lineStart: [],
    lineEnd: [],
    reviewResult: new Map(),
    evidenceReview: new Map(),
    claimMeta: new Map(),
    intern: new Map(),
    text: "",
    lastA: "",
    lastB: "",
  };
}

function _intern(cols: _Columns, value: string): string {
  if (value === cols.lastA) return cols.lastA;
  if (value === cols.lastB) return cols.lastB;
  const known = _internSlow(cols, value);
  cols.lastB = cols.lastA;
  cols.lastA = known;
  return known;
}

function _internSlow(cols: _Columns, value: string): string {
  const known = cols.intern.get(value);
  if (known !== undefined) return known;
  if (cols.intern.size < 50_000) cols.intern.set(value, value);
  return value;
}

function _partition(text: string, path: string, cols: _Columns, annotations: Raw[]): void {
  const n = text.length;
  let start = 0;
  let lineNo = 0;
  while (start < n) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = n;
    lineNo++;
    const raw = text.slice(start, end);
    start = end + 1;
    if (raw.length === 0 || (raw.charCodeAt(0) <= 32 && raw.trim() === "")) continue;
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
    if (obj.kind !== undefined || "kind" in obj) {
      if (obj.kind !== "annotation") {
        throw _corrupt(path, lineNo, `unknown event kind ${JSON.stringify(obj.kind)}`);
      }
      _checkAnnotation(obj, path, lineNo);
      annotations.push(obj);
      continue;
    }
    if (
      obj.event_type !== undefined || "event_type" in obj ||
      (typeof obj.event_name === "string" && obj.event_name.startsWith("retrospective.")) ||
      (typeof obj.type === "string" && _RETRO_TYPES.has(obj.type))
    ) continue;
    _addTransition(cols, obj, { path, line: lineNo, start: end - raw.length, end });
  }
}

function _addTransition(
  cols: _Columns,
  obj: Raw,
  where: { path: string; line: number; start: number; end: number },
): void {
  const { path, line } = where;
  const eventId = obj.event_id;
  const wp = obj.wp_id;
  const at = obj.at;
  const force = obj.force;
  const actor = obj.actor;
  if (
    eventId === undefined || wp === undefined || at === undefined || force === undefined ||
    actor === undefined || obj.from_lane === undefined || obj.to_lane === undefined ||
    obj.execution_mode === undefined
  ) {
    for (const key of _REQUIRED) {
      if (!(key in obj)) throw _corrupt(path, line, `missing required key "${key}"`);
    }
  }
  if (typeof eventId !== "string") throw _corrupt(path, line, "event_id must be a string");
  if (typeof wp !== "string") throw _corrupt(path, line, "wp_id must be a string");
  if (typeof at !== "string") throw _corrupt(path, line, "at must be a string");
  const from = _LANE_INTERN.get(obj.from_lane);
  if (from === undefined) {
    throw _corrupt(path, line, `from_lane ${JSON.stringify(obj.from_lane)} is not a lane`);
  }
  const to = _LANE_INTERN.get(obj.to_lane);
  if (to === undefined) {
    throw _corrupt(path, line, `to_lane ${JSON.stringify(obj.to_lane)} is not a lane`);
  }
  if (typeof actor !== "string") _checkActor(actor, path, line);
  const index = cols.at.length;
  let flags = force ? _F_FORCE : 0;
  if (
    to === "in_progress" &&
    (from === "in_review" ||
      (from === "for_review" && obj.review_ref !== undefined && obj.review_ref !== null))
  ) flags |= _F_ROLLBACK;
  if (from === "in_review") flags |= _F_FROM_IN_REVIEW;
  const rr = obj.review_result;
  if (rr !== undefined && rr !== null) {
    if (typeof rr !== "object" || Array.isArray(rr)) {
      throw _corrupt(path, line, "review_result must be an object or null");
    }
    if (Object.keys(rr).length > 0) {
      for (const k of ["reviewer", "verdict", "reference"]) {
        if (!(k in rr)) throw _corrupt(path, line, `review_result lacks "${k}"`);
      }
      cols.reviewResult.set(index, _reviewResult(rr));
    }
  }
  const ev = obj.evidence;
  if (
    APPROVED_OR_DONE_LANES.has(to) && ev !== null && typeof ev === "object" &&
    ev.review !== null && typeof ev.review === "object" && typeof ev.review.verdict === "string"
  ) {
    const reference = ev.review.reference;
    cols.evidenceReview.set(index, {
      verdict: ev.review.verdict,
      reference: typeof reference === "string" ? reference : null,
    });
  }
  const pm = obj.policy_metadata;
  if (pm !== undefined && pm !== null) {
    if (typeof pm !== "object" || Array.isArray(pm)) {
      throw _corrupt(path, line, "policy_metadata must be an object or null");
    }
    if (from === "planned" && to === "claimed") {
      cols.claimMeta.set(index, {
        agent: pm.agent,
        shell_pid: pm.shell_pid,
        shell_pid_created_at: pm.shell_pid_created_at,
      });
    }
  }
  cols.at.push(at);
  cols.id.push(eventId);
  cols.wp.push(_intern(cols, wp));
  cols.actor.push(typeof actor === "string" ? _intern(cols, actor) : _actorIdentity(actor));
  cols.to.push(to);
  cols.flags.push(flags);
  cols.lineStart.push(where.start);
  cols.lineEnd.push(where.end);
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

function _sortAnnotations(values: Raw[], astral: boolean): void {
  if (astral) {
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

function _firstSlug(cols: _Columns, index: number): string {
  const obj = JSON.parse(cols.text.slice(cols.lineStart[index], cols.lineEnd[index]));
  return _safeSlug(obj.mission_slug ?? obj.feature_slug);
}

function _safeSlug(value: unknown): string {
  if (typeof value !== "string" || value === "" || value === "." || value === "..") return "";
  if (value.includes("/") || value.includes("\\") || value.includes("..")) return "";
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x1f]/.test(value)) return "";
  return value;
}

function _fold(cols: _Columns, annotations: Raw[], astral: boolean): StatusSnapshot {
  const summary: Record<string, number> = {};
  for (const lane of DISPLAY_LANES) summary[lane] = 0;
  const total = cols.at.length;
  if (total === 0 && annotations.length === 0) {
    return {
      mission_slug: "",
      materialized_at: "",
      event_count: 0,
      last_event_id: null,
      work_packages: {},
      summary,
      recorded_verdicts: {},
    };
  }
  const { at, id, wp, actor, to, flags } = cols;
  // 1. de-duplicate, keeping the first occurrence in file order.
  // While ids strictly increase in file order there can be no duplicate yet;
  // from the first step back on, a set of the ids seen decides.
  const order: number[] = [];
  let i = 0;
  for (; i < total; i++) {
    if (i > 0 && !(id[i]! > id[i - 1]!)) break;
    order.push(i);
  }
  if (i < total) {
    const seen = new Set<string>(order.map((k) => id[k]!));
    for (; i < total; i++) {
      const size = seen.size;
      seen.add(id[i]!);
      if (seen.size !== size) order.push(i);
    }
  }
  // 2. sort by the raw (at, event_id) strings.
  if (astral) {
    order.sort((p, q) => _cmpCodePoints(at[p]!, at[q]!) || _cmpCodePoints(id[p]!, id[q]!));
  } else {
    order.sort((p, q) => {
      const a = at[p]!;
      const b = at[q]!;
      if (a < b) return -1;
      if (a > b) return 1;
      const x = id[p]!;
      const y = id[q]!;
      return x < y ? -1 : x > y ? 1 : 0;
    });
  }
  // 3-4. fold.
  const states = new Map<string, WpState>();
  const verdicts: Record<string, RecordedVerdict> = {};
  const setters = new Map<string, number>();
  for (const i of order) {
    const w = wp[i]!;
    const cur = states.get(w);
    const f = flags[i]!;
    if (cur !== undefined && cur.last_transition_at === at[i]) {
      const setter = setters.get(w);
      if (
        (f & _F_ROLLBACK) === 0 && setter !== undefined && (flags[setter]! & _F_ROLLBACK) !== 0
      ) continue;
    }
    let state: WpState;
    if (cur === undefined) {
      state = {
        lane: to[i]!,
        actor: actor[i]!,
        last_transition_at: at[i]!,
        last_event_id: id[i]!,
        force_count: f & _F_FORCE ? 1 : 0,
      };
      states.set(w, state);
    } else {
      state = cur;
      state.lane = to[i]!;
      state.actor = actor[i]!;
      state.last_transition_at = at[i]!;
      state.last_event_id = id[i]!;
      if (f & _F_FORCE) state.force_count += 1;
    }
    setters.set(w, i);
    const meta = cols.claimMeta.get(i);
    if (meta !== undefined) {
      if (meta.shell_pid !== undefined && meta.shell_pid !== null) state.shell_pid = meta.shell_pid;
      if (meta.shell_pid_created_at !== undefined && meta.shell_pid_created_at !== null) {
        state.shell_pid_created_at = meta.shell_pid_created_at;
      }
      if (meta.agent) state.agent = meta.agent;
    }
    const rr = cols.reviewResult.get(i);
    if (rr !== undefined) state.review_result = rr;
    else if (f & _F_FROM_IN_REVIEW) state.review_result = null;
    if (rr !== undefined && typeof rr.verdict === "string") {
      verdicts[w] = {
        verdict: rr.verdict,
        reference: typeof rr.reference === "string" ? rr.reference : null,
        source: "review_result",
        event_id: id[i]!,
      };
    } else {
      const er = cols.evidenceReview.get(i);
      if (er !== undefined) verdicts[w] = { ...er, source: "evidence", event_id: id[i]! };
    }
  }
  // 5. annotations, after every transition.
  if (annotations.length > 0) {
    _sortAnnotations(annotations, astral);
    for (const a of annotations) {
      const w = String(a.wp_id);
      let state = states.get(w);
      if (state === undefined) {
        state = {
          lane: "uninitialized",
          actor: _actorIdentity(a.actor),
          last_transition_at: null,
          last_event_id: null,
          force_count: 0,
        };
        states.set(w, state);
      }
      _applyDelta(state, a.delta);
    }
  }
  // 6. summary.
  for (const s of states.values()) {
    if (s.lane in summary) summary[s.lane]! += 1;
  }
  const last = order.length > 0 ? order[order.length - 1]! : -1;
  const first = order.length > 0 ? order[0]! : -1;
  return {
    mission_slug: first === -1 ? "" : _firstSlug(cols, first),
    materialized_at: last === -1 ? "" : at[last]!,
    event_count: order.length,
    last_event_id: last === -1 ? null : id[last]!,
    work_packages: Object.fromEntries(states),
    summary,
    recorded_verdicts: verdicts,
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
