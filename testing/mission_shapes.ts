/**
 * Synthetic spec-kitty missions in the shapes of the real ones (the folder
 * `../shared/fixtures/spec-kitty/kitty-specs` holds copies of those; these
 * builders let the main test suite cover the same cases without them):
 * the format eras (numeric-prefix and `-<mid8>` slugs, legacy `"[]"`
 * dependencies, unseeded WPs, `genesis` bootstrap events, non-lane lines),
 * lanes and coordination topology, review cycles and `review_result`
 * verdicts, a stale `status.json`, and blocked or dependent WPs.
 *
 * Every file is written the way spec-kitty writes it: `meta.json` with sorted
 * keys, one JSON object per event line with sorted keys and `", "` / `": "`
 * separators, WP files with YAML frontmatter.
 *
 * @module
 */

import { join } from "node:path";
import { eventLine, reduceEvents } from "../core/mission/mod.ts";

/** One WP file of a {@link ShapeMission}. */
export interface ShapeWp {
  /** `work_package_id`. */
  id: string;
  /** File stem (default `<id>-work`). */
  stem?: string;
  /** The YAML value after `dependencies:` (default `[]`); e.g. `'"[]"'` or `"\n- WP01"`. */
  deps?: string;
  /** Extra frontmatter lines (without the trailing newline). */
  extra?: string[];
}

/** A review-cycle artifact: `tasks/<stem>/review-cycle-N.md`. */
export interface ShapeReviewCycle {
  /** The WP file stem the folder is named after. */
  stem: string;
  /** N. */
  n: number;
  /** The file text (with or without frontmatter). */
  text: string;
}

/** A whole synthetic mission folder. */
export interface ShapeMission {
  /** Folder name. */
  slug: string;
  /** meta.json (written with sorted keys). */
  meta: Record<string, unknown>;
  /** WP files, written as `tasks/<stem>.md`. */
  wps: ShapeWp[];
  /** Event log lines (already serialised). */
  lines: string[];
  /** lanes.json content, or null for none. */
  lanes: Record<string, unknown> | null;
  /**
   * status.json: `fresh` (the reduction of the whole log), `none`, or a
   * stale cache: the reduction of the first `upTo` lines (default all), plus
   * entries for `phantoms`, WP ids the log does not mention (a cache
   * materialised when the WPs had other ids).
   */
  statusJson: "fresh" | "none" | { upTo?: number; phantoms?: string[] };
  /** Review-cycle artifacts. */
  reviewCycles?: ShapeReviewCycle[];
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A ULID-shaped id, increasing with `n`: `prefix` (Crockford characters)
 * then `n` in Crockford base 32, 26 characters in all.
 *
 * @param prefix Leading characters (Crockford alphabet).
 * @param n The counter.
 * @returns The id.
 */
export function synthUlid(prefix: string, n: number): string {
  let s = "";
  let v = n;
  do {
    s = CROCKFORD[v % 32] + s;
    v = Math.floor(v / 32);
  } while (v > 0);
  return (prefix + s.padStart(26 - prefix.length, "0")).slice(0, 26);
}

/** Options of one transition line. */
export interface MoveOptions {
  actor?: string;
  force?: boolean;
  reason?: string | null;
  policy_metadata?: Record<string, unknown> | null;
  review_ref?: string | null;
  review_result?: Record<string, unknown> | null;
  evidence?: Record<string, unknown> | null;
  /** The `at` of this line (default: the log's clock, advanced 1 s per line). */
  at?: string;
  /** Leave `review_result` out of the line (older writers). */
  noReviewResultKey?: boolean;
}

/**
 * An event log written the way spec-kitty writes it. Each line gets the next
 * timestamp (one second apart) and the next event id, unless `at` is given.
 */
export class ShapeLog {
  /** The lines, in file order. */
  readonly lines: string[] = [];
  #n = 0;
  #t: number;

  /**
   * @param missionId The mission's id (events carry it), or null for none.
   * @param slug The mission slug.
   * @param start The first timestamp (ISO, UTC).
   * @param idPrefix The event-id prefix (Crockford characters).
   */
  constructor(
    readonly missionId: string | null,
    readonly slug: string,
    start = "2026-05-14T18:19:29.000000Z",
    readonly idPrefix = "01KSYN",
  ) {
    this.#t = Date.parse(start);
  }

  /** The next timestamp in spec-kitty's form (`…T18:19:29.000000+00:00`). */
  tick(): string {
    const at = new Date(this.#t).toISOString().replace(/\.(\d{3})Z$/, ".$1000+00:00");
    this.#t += 1000;
    return at;
  }

  /** The next event id. */
  nextId(): string {
    return synthUlid(this.idPrefix, ++this.#n);
  }

  /**
   * Append a lane transition.
   *
   * @param wp WP id.
   * @param from From lane.
   * @param to To lane.
   * @param o Options.
   * @returns The event id.
   */
  move(wp: string, from: string, to: string, o: MoveOptions = {}): string {
    const id = this.nextId();
    const event: Record<string, unknown> = {
      actor: o.actor ?? "claude",
      at: o.at ?? this.tick(),
      event_id: id,
      evidence: o.evidence ?? null,
      execution_mode: "worktree",
      force: o.force ?? false,
      from_lane: from,
      ...(this.missionId === null ? {} : { mission_id: this.missionId }),
      mission_slug: this.slug,
      policy_metadata: o.policy_metadata ?? null,
      reason: o.reason ?? null,
      review_ref: o.review_ref ?? null,
      to_lane: to,
      wp_id: wp,
    };
    if (!o.noReviewResultKey) event.review_result = o.review_result ?? null;
    this.lines.push(eventLine(event));
    return id;
  }

  /**
   * finalize-tasks' bootstrap line of each WP: `planned → planned` (forced),
   * or `genesis → planned` (not forced) in the older writers' form.
   *
   * @param wps WP ids.
   * @param o `from` (`planned` by default) and options for every line.
   */
  bootstrap(wps: readonly string[], o: MoveOptions & { from?: "planned" | "genesis" } = {}): void {
    const { from = "planned", ...rest } = o;
    for (const wp of wps) {
      this.move(wp, from, "planned", {
        actor: "finalize-tasks",
        ...(from === "planned" ? { force: true } : {}),
        reason: "canonical bootstrap",
        ...rest,
      });
    }
  }

  /**
   * Walk a WP through lanes in order (`planned`, `claimed`, …), one line each.
   *
   * @param wp WP id.
   * @param lanes The lanes after the first (the first is the starting lane).
   * @param o Options for every line.
   */
  walk(wp: string, lanes: string[], o: MoveOptions = {}): void {
    for (let i = 1; i < lanes.length; i++) this.move(wp, lanes[i - 1]!, lanes[i]!, o);
  }

  /**
   * Append an annotation line (`kind: annotation`, a `delta`).
   *
   * @param wp WP id.
   * @param delta The delta.
   * @param at Timestamp (default: the log's clock).
   */
  annotate(wp: string, delta: Record<string, unknown>, at?: string): void {
    this.lines.push(eventLine({
      actor: "migration:backfill_runtime_state",
      at: at ?? this.tick(),
      delta,
      event_id: this.nextId(),
      kind: "annotation",
      wp_id: wp,
    }));
  }

  /**
   * Append a non-lane line (spec-kitty's mission events: `MissionCreated`, …),
   * which readers skip.
   *
   * @param eventType The `event_type`.
   */
  missionEvent(eventType: string): void {
    const at = this.tick();
    this.lines.push(eventLine({
      aggregate_id: this.slug,
      aggregate_type: "Mission",
      event_id: this.nextId(),
      event_type: eventType,
      payload: { at, mission_slug: this.slug },
      schema_version: "5.0.0",
      timestamp: at,
    }));
  }
}

/**
 * meta.json as spec-kitty writes it for a mission; `extra` adds or overrides keys.
 *
 * @param slug The slug.
 * @param missionId The id (`null`: the key is left out, a legacy mission).
 * @param extra More keys.
 * @returns The object.
 */
export function shapeMeta(
  slug: string,
  missionId: string | null,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    created_at: "2026-05-14T18:08:35.101950+00:00",
    flattened: false,
    friendly_name: slug,
    ...(missionId === null ? {} : { mission_id: missionId }),
    mission_number: null,
    mission_slug: slug,
    mission_type: "software-dev",
    slug,
    status_phase: "1",
    target_branch: "main",
    topology: "lanes",
    vcs: "git",
    ...extra,
  };
}

/** One lane of {@link shapeLanes}. */
export interface ShapeLane {
  lane_id: string;
  wp_ids: string[];
  depends_on_lanes?: string[];
  parallel_group?: number;
}

/**
 * lanes.json as finalize-tasks writes it.
 *
 * @param slug The slug.
 * @param missionId The id.
 * @param targetBranch The target branch.
 * @param lanes The lanes.
 * @param extra More keys (`planning_commit_sha`, or `feature_slug` for the legacy shape).
 * @returns The object.
 */
export function shapeLanes(
  slug: string,
  missionId: string,
  targetBranch: string,
  lanes: ShapeLane[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    version: 1,
    mission_slug: slug,
    mission_id: missionId,
    mission_branch: `kitty/mission-${slug}`,
    target_branch: targetBranch,
    lanes: lanes.map((l) => ({
      lane_id: l.lane_id,
      wp_ids: l.wp_ids,
      write_scope: l.lane_id === "lane-planning" ? [] : [`src/${l.lane_id}/**`],
      predicted_surfaces: ["api"],
      depends_on_lanes: l.depends_on_lanes ?? [],
      parallel_group: l.parallel_group ?? 0,
    })),
    computed_at: "2026-05-14T18:19:29.749912+00:00",
    computed_from: "dependency_graph+ownership",
    planning_artifact_wps: lanes.filter((l) => l.lane_id === "lane-planning")
      .flatMap((l) => l.wp_ids),
    ...extra,
  };
}

function _sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(_sortKeys);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v).sort().map((k) => [k, _sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/**
 * The status.json spec-kitty materialises from the given lines.
 *
 * @param lines Event lines.
 * @returns The text.
 */
export function statusJsonText(lines: readonly string[]): string {
  const text = lines.length === 0 ? "" : lines.join("\n") + "\n";
  return JSON.stringify(_sortKeys(reduceEvents(text)), null, 2) + "\n";
}

/**
 * Write a {@link ShapeMission} under `<root>/kitty-specs/<slug>`, with
 * spec-kitty's boilerplate (`spec.md`, `plan.md`, `tasks.md`,
 * `tasks/README.md`).
 *
 * @param root The repository root.
 * @param m The mission.
 * @returns The mission folder.
 */
export async function writeShapeMission(root: string, m: ShapeMission): Promise<string> {
  const dir = join(root, "kitty-specs", m.slug);
  await Deno.mkdir(join(dir, "tasks"), { recursive: true });
  await Deno.writeTextFile(
    join(dir, "meta.json"),
    JSON.stringify(_sortKeys(m.meta), null, 2) + "\n",
  );
  await Deno.writeTextFile(join(dir, "spec.md"), `# ${m.slug}\n`);
  await Deno.writeTextFile(join(dir, "plan.md"), "# Plan\n");
  await Deno.writeTextFile(join(dir, "tasks.md"), "# Tasks\n");
  await Deno.writeTextFile(join(dir, "tasks", "README.md"), "# Tasks\n");
  for (const wp of m.wps) {
    const fm = [
      `work_package_id: ${wp.id}`,
      `title: Work ${wp.id}`,
      `dependencies: ${wp.deps ?? "[]"}`,
      "subtasks:",
      `- T${wp.id.slice(2).padStart(3, "0")}`,
      ...(wp.extra ?? []),
    ];
    await Deno.writeTextFile(
      join(dir, "tasks", `${wp.stem ?? `${wp.id}-work`}.md`),
      `---\n${fm.join("\n")}\n---\n\n# ${wp.id}\n`,
    );
  }
  for (const c of m.reviewCycles ?? []) {
    await Deno.mkdir(join(dir, "tasks", c.stem), { recursive: true });
    await Deno.writeTextFile(join(dir, "tasks", c.stem, `review-cycle-${c.n}.md`), c.text);
  }
  await Deno.writeTextFile(
    join(dir, "status.events.jsonl"),
    m.lines.length === 0 ? "" : m.lines.join("\n") + "\n",
  );
  if (m.statusJson !== "none") {
    const stale = m.statusJson === "fresh" ? {} : m.statusJson;
    const text = statusJsonText(m.lines.slice(0, stale.upTo ?? m.lines.length));
    const status = JSON.parse(text);
    for (const id of stale.phantoms ?? []) {
      status.work_packages[id] = {
        actor: "finalize-tasks",
        force_count: 0,
        lane: "planned",
        last_event_id: null,
        last_transition_at: null,
      };
    }
    await Deno.writeTextFile(
      join(dir, "status.json"),
      stale.phantoms === undefined ? text : JSON.stringify(_sortKeys(status), null, 2) + "\n",
    );
  }
  if (m.lanes !== null) {
    await Deno.writeTextFile(join(dir, "lanes.json"), JSON.stringify(m.lanes, null, 2) + "\n");
  }
  return dir;
}

// ---- the shapes of the real missions ----

/**
 * `workflow-parity-988-989-991-01KRKTT5`'s shape: a modern mission, three
 * independent WPs in one lane each, every WP `planned` after spec-kitty's
 * bootstrap / backfilled claim / repair sequence with equal timestamps and a
 * subtask annotation; target branch `fix/parity`. `next` names WP01.
 *
 * @param id The slug and mission id (default `parity-shape-01KSYNPA`).
 * @returns The mission.
 */
export function parityShape(
  id: { slug: string; missionId: string } = {
    slug: "parity-shape-01KSYNPA",
    missionId: "01KSYNPA8XC5KR0HF523333R9S",
  },
): ShapeMission {
  const { slug, missionId: mid } = id;
  const log = new ShapeLog(mid, slug, "2026-05-14T18:19:29.000000Z", "01KRKVE");
  for (const wp of ["WP01", "WP02", "WP03"]) {
    const at = log.tick();
    // The repair is one microsecond later than the bootstrap and the claim.
    const later = at.replace(
      /\.(\d{6})/,
      (_, us: string) => `.${String(Number(us) + 1).padStart(6, "0")}`,
    );
    log.bootstrap([wp], { at });
    log.move(wp, "planned", "claimed", {
      actor: "migration:backfill_runtime_state",
      policy_metadata: { agent: "claude" },
      at,
    });
    log.annotate(wp, { subtasks: { [`T${wp.slice(2).padStart(3, "0")}`]: "planned" } }, at);
    log.move(wp, "claimed", "planned", {
      actor: "migration:backfill_runtime_state:compatibility",
      reason: "append-only repair for persisted pre-floor seed",
      at: later,
    });
  }
  return {
    slug,
    meta: shapeMeta(slug, mid, { target_branch: "fix/parity" }),
    wps: [
      { id: "WP01", stem: "WP01-next-json-claimability" },
      { id: "WP02", stem: "WP02-lightweight-review-baseline" },
      { id: "WP03", stem: "WP03-merge-dry-run-review-artifact" },
    ],
    lines: log.lines,
    lanes: shapeLanes(slug, mid, "fix/parity", [
      { lane_id: "lane-a", wp_ids: ["WP01"] },
      { lane_id: "lane-b", wp_ids: ["WP02"] },
      { lane_id: "lane-c", wp_ids: ["WP03"] },
    ]),
    statusJson: "fresh",
  };
}

/**
 * `062-fix-doctrine-migration-test-failures`'s shape: the numeric-prefix era
 * (`mission_number` 62, `single_branch`, no lanes.json), mixed lanes — WP01
 * approved, WP02 in_progress, WP03–WP08 planned, WP11 claimed — no WP09, and
 * WP10 and WP12 with no events at all (legacy `dependencies: "[]"`). `next`
 * names WP03.
 */
export function legacyNumericShape(): ShapeMission {
  const slug = "062-legacy-numeric-shape";
  const mid = "01KSYN9N0ES90DCQ8RE2JHWWRA";
  const log = new ShapeLog(mid, slug, "2026-04-02T17:00:00.000000Z", "01KSYN9N");
  const ids = ["WP01", "WP02", "WP03", "WP04", "WP05", "WP06", "WP07", "WP08", "WP11"];
  log.bootstrap(ids);
  log.walk("WP01", ["planned", "claimed", "in_progress", "for_review", "approved"]);
  log.walk("WP02", ["planned", "claimed", "in_progress"]);
  log.move("WP11", "planned", "claimed", { actor: "codex" });
  for (const wp of ["WP01", "WP02", "WP11"]) log.annotate(wp, { subtasks: {} });
  const wps: ShapeWp[] = [
    ...["WP01", "WP02", "WP03"].map((id) => ({ id })),
    { id: "WP04", deps: "\n- WP01" },
    { id: "WP05", deps: "\n- WP02" },
    ...["WP06", "WP07", "WP08"].map((id) => ({ id })),
    { id: "WP10", deps: '"[]"' },
    { id: "WP11", deps: '"[]"' },
    { id: "WP12", deps: '"WP10, WP11"' },
  ];
  return {
    slug,
    meta: shapeMeta(slug, mid, {
      mission_number: 62,
      target_branch: "feature/legacy-shape",
      topology: "single_branch",
    }),
    wps,
    lines: log.lines,
    lanes: null,
    statusJson: "fresh",
  };
}

/**
 * `064-complete-mission-identity-cutover`'s shape: every WP approved, and a
 * lanes.json in the legacy shape (`feature_slug` instead of `mission_slug`),
 * which must be reported as invalid, not crash. `next`: nothing, the mission
 * is in `accept`.
 */
export function legacyLanesShape(): ShapeMission {
  const slug = "064-legacy-lanes-shape";
  const mid = "01KSYN4M0ES90DCQ8RE2JHWWRA";
  const log = new ShapeLog(mid, slug, "2026-04-03T10:00:00.000000Z", "01KSYN4M");
  const ids = ["WP01", "WP02", "WP03"];
  for (const wp of ids) {
    log.bootstrap([wp]);
    log.walk(wp, ["planned", "claimed", "in_progress", "for_review", "approved"]);
  }
  const lanes = shapeLanes(slug, mid, "main", [{ lane_id: "lane-a", wp_ids: ids }]);
  delete lanes.mission_slug;
  delete lanes.planning_artifact_wps;
  lanes.feature_slug = slug;
  return {
    slug,
    meta: shapeMeta(slug, mid, { mission_number: 64, topology: "single_branch" }),
    wps: ids.map((id) => ({ id })),
    lines: log.lines,
    lanes,
    statusJson: "fresh",
  };
}

/**
 * `067-runtime-recovery-and-audit-safety`'s shape: every WP done after review
 * cycles; WP03's review was sent back (a `changes_requested` verdict in the
 * log, `review-cycle-2.md` `verdict: rejected`, `review-cycle-1.md` with no
 * frontmatter) and the WP later approved and moved to done without an
 * override. Lanes a (WP01, WP02), b (WP03), c (WP04). `next`: nothing, all done.
 */
export function reviewedDoneShape(): ShapeMission {
  const slug = "067-reviewed-done-shape";
  const mid = "01KSYNRD13PE1WDF9CF3G8K447";
  const log = new ShapeLog(mid, slug, "2026-04-06T18:51:39.000000Z", "01KSYNRD");
  const ids = ["WP01", "WP02", "WP03", "WP04"];
  log.bootstrap(ids);
  const stem = "WP03-canonical-progress-reporting";
  for (const wp of ids) {
    log.walk(wp, ["planned", "claimed", "in_progress"], { actor: "claude:opus:implementer" });
    log.move(wp, "in_progress", "for_review", { actor: "user", force: true });
    if (wp === "WP03") {
      const ref = `review-cycle://${slug}/${stem}/review-cycle-2.md`;
      log.move(wp, "for_review", "in_progress", {
        actor: "claude:opus:reviewer",
        force: true,
        reason: "Started review via action command",
        review_ref: "action-review-claim",
      });
      log.move(wp, "in_review", "in_progress", {
        actor: "migration:verdict_provenance_backfill",
        review_result: { reference: ref, reviewer: "unknown", verdict: "changes_requested" },
      });
      log.move(wp, "in_progress", "for_review", { actor: "user", force: true });
    }
    log.move(wp, "for_review", "approved", {
      actor: "user",
      evidence: { review: { reference: "ok", reviewer: "Reviewer", verdict: "approved" } },
    });
    log.move(wp, "approved", "done", { actor: "user", force: true, reason: "Done override" });
  }
  return {
    slug,
    meta: shapeMeta(slug, mid, { mission_number: 67 }),
    wps: ids.map((id) => (id === "WP03" ? { id, stem } : { id })),
    lines: log.lines,
    lanes: shapeLanes(slug, mid, "main", [
      { lane_id: "lane-a", wp_ids: ["WP01", "WP02"] },
      { lane_id: "lane-b", wp_ids: ["WP03"] },
      { lane_id: "lane-c", wp_ids: ["WP04"] },
    ]),
    statusJson: "fresh",
    reviewCycles: [
      { stem, n: 1, text: "# Review cycle 1\n\nNo frontmatter here.\n" },
      {
        stem,
        n: 2,
        text: "---\ncycle_number: 2\nverdict: rejected\nreviewer: claude\n---\n\n# Review\n",
      },
    ],
  };
}

/**
 * `assertive-test-suite-sanitation-01KZME3P`'s shape: the `lanes_with_coord`
 * topology (meta.json `coordination_branch`, lanes.json
 * `planning_commit_sha`, dependent lanes), many annotation lines, every WP
 * approved but WP04, still planned and waiting on approved WPs. `next`
 * names WP04.
 */
export function coordShape(): ShapeMission {
  const slug = "coord-shape-01KSYNCQ";
  const mid = "01KSYNCQFVAEQ8XSP5MJ3YZ7RT";
  const log = new ShapeLog(mid, slug, "2026-08-10T09:00:00.000000Z", "01KSYNCQ");
  const ids = ["WP01", "WP02", "WP03", "WP04", "WP05"];
  log.bootstrap(ids, { from: "genesis" });
  for (const wp of ids.filter((w) => w !== "WP04")) {
    log.walk(wp, ["planned", "claimed", "in_progress", "for_review", "in_review", "approved"]);
    for (let k = 0; k < 4; k++) {
      log.annotate(wp, { subtasks: { T001: k < 3 ? "in_progress" : "done" } });
    }
  }
  return {
    slug,
    meta: shapeMeta(slug, mid, {
      coordination_branch: `kitty/mission-${slug}`,
      target_branch: "pr/coord-shape",
      topology: "lanes_with_coord",
    }),
    wps: [
      { id: "WP01" },
      { id: "WP02", deps: "\n- WP01" },
      { id: "WP03", deps: "\n- WP01\n- WP02" },
      { id: "WP04", deps: "\n- WP02\n- WP03\n- WP05" },
      { id: "WP05", deps: "\n- WP01" },
    ],
    lines: log.lines,
    lanes: shapeLanes(slug, mid, "pr/coord-shape", [
      { lane_id: "lane-a", wp_ids: ["WP01"] },
      { lane_id: "lane-b", wp_ids: ["WP02"], depends_on_lanes: ["lane-a"], parallel_group: 1 },
      { lane_id: "lane-e", wp_ids: ["WP05"], depends_on_lanes: ["lane-a"], parallel_group: 1 },
      {
        lane_id: "lane-c",
        wp_ids: ["WP03"],
        depends_on_lanes: ["lane-a", "lane-b"],
        parallel_group: 2,
      },
      {
        lane_id: "lane-d",
        wp_ids: ["WP04"],
        depends_on_lanes: ["lane-b", "lane-c", "lane-e"],
        parallel_group: 3,
      },
    ], { planning_commit_sha: "5794e4f2fbd19adb355a41c28181b9cdd4df00bb" }),
    statusJson: "fresh",
  };
}

/**
 * `feature-alias-removal-01KW0N87`'s shape: a chain of lanes (each depends on
 * the previous one), WP01–WP03 approved and WP04 `blocked`. `next`: nothing
 * (`no_planned_wps`), the mission is blocked.
 */
export function blockedShape(): ShapeMission {
  const slug = "blocked-shape-01KSYNBK";
  const mid = "01KSYNBKKQ7ZT4W2D5C8X9M3NV";
  const log = new ShapeLog(mid, slug, "2026-06-01T12:00:00.000000Z", "01KSYNBK");
  const ids = ["WP01", "WP02", "WP03", "WP04"];
  log.bootstrap(ids);
  for (const wp of ["WP01", "WP02", "WP03"]) {
    log.walk(wp, ["planned", "claimed", "in_progress", "for_review", "approved"]);
  }
  log.walk("WP04", ["planned", "claimed", "in_progress"]);
  log.move("WP04", "in_progress", "blocked", { reason: "waiting on an upstream release" });
  return {
    slug,
    meta: shapeMeta(slug, mid, { target_branch: "feat/blocked-shape" }),
    wps: ids.map((id, i) => (i === 0 ? { id } : { id, deps: `\n- ${ids[i - 1]}` })),
    lines: log.lines,
    lanes: shapeLanes(
      slug,
      mid,
      "feat/blocked-shape",
      ids.map((wp, i) => ({
        lane_id: `lane-${"abcd"[i]}`,
        wp_ids: [wp],
        depends_on_lanes: i === 0 ? [] : [`lane-${"abcd"[i - 1]}`],
        parallel_group: i,
      })),
    ),
    statusJson: "fresh",
  };
}

/**
 * The shape of `feature-alias-removal-01KW0N87` cut to its first third: WP01
 * in progress, WP02 and WP03 planned but waiting on it, WP04 claimed.
 * `next`: nothing (`dependencies_not_satisfied`), in the implement state.
 */
export function waitingShape(): ShapeMission {
  const slug = "waiting-shape-01KSYNWA";
  const mid = "01KSYNWAKQ7ZT4W2D5C8X9M3NV";
  const log = new ShapeLog(mid, slug, "2026-06-01T12:00:00.000000Z", "01KSYNWA");
  const ids = ["WP01", "WP02", "WP03", "WP04"];
  log.bootstrap(ids);
  log.walk("WP01", ["planned", "claimed", "in_progress"]);
  log.move("WP04", "planned", "claimed", { actor: "codex" });
  return {
    slug,
    meta: shapeMeta(slug, mid, { target_branch: "feat/waiting-shape" }),
    wps: [
      { id: "WP01" },
      { id: "WP02", deps: "\n- WP01" },
      { id: "WP03", deps: "\n- WP01\n- WP02" },
      { id: "WP04" },
    ],
    lines: log.lines,
    lanes: shapeLanes(slug, mid, "feat/waiting-shape", [
      { lane_id: "lane-a", wp_ids: ["WP01", "WP02", "WP03"] },
      { lane_id: "lane-b", wp_ids: ["WP04"] },
    ]),
    statusJson: "fresh",
  };
}

/**
 * `rc3-lane-allocation-single-seam-01M0GGX8`'s shape: bootstrap events from
 * `genesis`, spec-kitty's non-lane mission events and annotations in the
 * log, every WP done, and a **stale** `status.json`: it still lists WP1–WP3,
 * ids from before the WPs were renumbered, which the log never mentions.
 * `next`: nothing, all done.
 */
export function staleCacheShape(): ShapeMission {
  const slug = "stale-cache-shape-01KSYNST";
  const mid = "01KSYNSTF4B9QVRS6Z001SXNNS";
  const log = new ShapeLog(mid, slug, "2026-08-20T21:23:22.000000Z", "01KSYNST");
  log.missionEvent("MissionCreated");
  log.missionEvent("SpecifyStarted");
  const ids = ["WP01", "WP02", "WP03"];
  // Its writer left `review_result` out of the transition lines.
  const old = { noReviewResultKey: true };
  log.bootstrap(ids, { from: "genesis", ...old });
  for (const wp of ids) {
    log.walk(wp, ["planned", "claimed", "in_progress", "for_review", "in_review", "approved"], old);
    log.move(wp, "approved", "done", { actor: "merge", force: true, ...old });
  }
  for (const wp of ids) log.annotate(wp, { notes: [`${wp} verified`] });
  log.missionEvent("MissionMerged");
  return {
    slug,
    meta: shapeMeta(slug, mid, { target_branch: slug, topology: "single_branch" }),
    wps: ids.map((id) => ({ id })),
    lines: log.lines,
    lanes: shapeLanes(slug, mid, slug, [
      { lane_id: "lane-a", wp_ids: ["WP01"] },
      { lane_id: "lane-b", wp_ids: ["WP02"] },
      { lane_id: "lane-c", wp_ids: ["WP03"], depends_on_lanes: ["lane-b"], parallel_group: 1 },
    ], { planning_commit_sha: "063a4848eae90029c2ec89003405ed929818f719" }),
    statusJson: { phantoms: ["WP1", "WP2", "WP3"] },
  };
}

/**
 * A mission whose WP frontmatter has no events yet and no `mission_id` in
 * meta.json (the legacy identity era, which no real mission still has):
 * every WP reads as `genesis`. `next`: nothing (`not_finalized`).
 */
export function unseededLegacyShape(): ShapeMission {
  const slug = "007-unseeded-legacy-shape";
  return {
    slug,
    meta: shapeMeta(slug, null, { mission_number: 7, topology: "single_branch" }),
    wps: [{ id: "WP01" }, { id: "WP02", deps: '"WP01"' }],
    lines: [],
    lanes: null,
    statusJson: "none",
  };
}

/**
 * The legacy identity era with events: no `mission_id` in meta.json nor on
 * the events (only `mission_slug`), WP01 done, WP02 planned after it, WP03
 * planned after WP02. `next` names WP02.
 */
export function legacyEventsShape(): ShapeMission {
  const slug = "008-legacy-events-shape";
  const log = new ShapeLog(null, slug, "2025-11-02T08:00:00.000000Z", "01KSYN8E");
  log.bootstrap(["WP01", "WP02", "WP03"]);
  log.walk("WP01", ["planned", "claimed", "in_progress", "for_review", "approved", "done"]);
  return {
    slug,
    meta: shapeMeta(slug, null, { mission_number: 8, topology: "single_branch" }),
    wps: [{ id: "WP01" }, { id: "WP02", deps: "\n- WP01" }, { id: "WP03", deps: '"WP02"' }],
    lines: log.lines,
    lanes: null,
    statusJson: "fresh",
  };
}

/**
 * Every shape above, with what `next` answers on it (`wp_id`,
 * `selection_reason`, `mission_state`, `reason`).
 */
export const SHAPES: {
  build: () => ShapeMission;
  wp_id: string | null;
  selection_reason: string | null;
  mission_state: string;
  reason: string | null;
}[] = [
  {
    build: parityShape,
    wp_id: "WP01",
    selection_reason: null,
    mission_state: "implement",
    reason: null,
  },
  {
    build: legacyNumericShape,
    wp_id: "WP03",
    selection_reason: null,
    mission_state: "implement",
    reason: null,
  },
  {
    build: legacyLanesShape,
    wp_id: null,
    selection_reason: "no_planned_wps",
    mission_state: "accept",
    reason: null,
  },
  {
    build: reviewedDoneShape,
    wp_id: null,
    selection_reason: "no_planned_wps",
    mission_state: "done",
    reason: "All work packages are done",
  },
  {
    build: coordShape,
    wp_id: "WP04",
    selection_reason: null,
    mission_state: "implement",
    reason: null,
  },
  {
    build: blockedShape,
    wp_id: null,
    selection_reason: "no_planned_wps",
    mission_state: "blocked",
    reason: "no actionable wp",
  },
  {
    build: waitingShape,
    wp_id: null,
    selection_reason: "dependencies_not_satisfied",
    mission_state: "implement",
    reason: "dependencies_not_satisfied",
  },
  {
    build: staleCacheShape,
    wp_id: null,
    selection_reason: "no_planned_wps",
    mission_state: "done",
    reason: "All work packages are done",
  },
  {
    build: legacyEventsShape,
    wp_id: "WP02",
    selection_reason: null,
    mission_state: "implement",
    reason: null,
  },
  {
    build: unseededLegacyShape,
    wp_id: null,
    selection_reason: "not_finalized",
    mission_state: "blocked",
    reason: "no actionable wp",
  },
];
