// deno-lint-ignore-file no-console
/**
 * Fuzzing keel's readers with generated and mutated inputs (fast-check).
 *
 * Targets: intent, test contract and commit plan files, WP frontmatter,
 * event-log lines, review cycles, lanes.json, JUnit XML, RPC frames, doctor's
 * files, and globs against paths (each match must take under 50 ms). The
 * invariant for every target: the reader returns a result (accepted, or
 * problems as data) or throws a `KeelError` whose code is in `ERROR_CODES`
 * and is not `INTERNAL` — never any other exception, never exit 70.
 *
 * `deno task fuzz [--runs N] [--seed S] [--target NAME]…` runs every target
 * (10,000 cases each by default) and prints the per-target counts and time.
 * `tests/fuzz_test.ts` runs the same targets with fewer cases.
 *
 * @module
 */

import fc from "fast-check";
import { join } from "node:path";
import {
  approvalState,
  artifactDigest,
  draftArtifacts,
  parseJsonWithPosition,
  validateContract,
} from "../core/contract/mod.ts";
import type { OpContext } from "../core/context.ts";
import { DOCTOR_CODES, doctorOp, findTornTail } from "../core/doctor/mod.ts";
import { ERROR_CODES, isKeelError } from "../core/errors.ts";
import { checkReviewArtifacts, readLanesManifest } from "../core/gates/mod.ts";
import {
  EVENT_LANES,
  loadMission,
  normalizeDependencies,
  parseLanesJson,
  parseWpFile,
  reduceEvents,
} from "../core/mission/mod.ts";
import { writeMission } from "../testing/mission.ts";
import { matchJUnitCase, parseJUnit } from "../core/run/parse_junit.ts";
import { parseJsonl } from "../core/store/mod.ts";
import { canonicalJson, fixedClock, normalizeRepoPath, repoPathProblem } from "../core/util/mod.ts";
import { compileGlobs, globProblem } from "../core/glob/glob.ts";
import { createFrameParser, createKeelServer, type FrameEvent } from "../rpc/mod.ts";
import { CommitPlan, Intent, type PlannedTest, TestContract } from "../schemas/mod.ts";

/** How one case ended. */
export type CaseOutcome = "accepted" | "rejected";

/** A fuzz target. */
export interface FuzzTarget {
  /** Target name. */
  name: string;
  /** The generator of inputs. */
  arbitrary: fc.Arbitrary<unknown>;
  /**
   * Feed one input. Returns `accepted` or `rejected` (problems reported as
   * data or a KeelError with a stable code); throws on a broken invariant.
   */
  run(input: unknown): Promise<CaseOutcome>;
  /** KeelError codes seen so far, with counts. */
  codes?: Record<string, number>;
}

/** Counts of one target. */
export interface FuzzTargetReport {
  target: string;
  cases: number;
  accepted: number;
  rejected: number;
  /** KeelError codes seen, with counts. */
  codes: Record<string, number>;
  ms: number;
}

/** A broken invariant: the input and what went wrong. */
export class FuzzInvariantError extends Error {
  constructor(target: string, detail: string) {
    super(`${target}: ${detail}`);
    this.name = "FuzzInvariantError";
  }
}

// ---------------------------------------------------------------------------
// Generators

const WEIRD_STRINGS = [
  "",
  " ",
  ".",
  "..",
  "../x",
  "../../etc/passwd",
  "/etc/passwd",
  "C:\\Windows",
  "a\nb",
  "a\u0000b",
  "**",
  "*",
  "src/**/../..",
  "./src//a.ts",
  "\uFEFF",
  "\uD800",
  "💥",
  "TODO: fill in",
  "WP01",
  "wp01",
  "WP01-foo",
  "planned",
  "in_progress",
  "approved",
  "rejected",
  "01KTESTAAAAAAAAAAAAAAAAAAA",
  "2026-01-01T00:00:00+00:00",
  "null",
  "{}",
  "[]",
  "a".repeat(5000),
];

function _weirdValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...WEIRD_STRINGS) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        null,
        true,
        false,
        0,
        -1,
        1e308,
        -0,
        2 ** 53 + 1,
        [],
        {},
        [null],
        { "__proto__": 1 },
        { "constructor": { "prototype": 1 } },
      ),
    },
  );
}

/** Byte- and character-level mutations of a text. */
function mutatedText(seed: string): fc.Arbitrary<string> {
  const op = fc.tuple(
    fc.nat(),
    fc.integer({ min: 0, max: 5 }),
    fc.oneof(fc.string({ unit: "binary", maxLength: 8 }), fc.constantFrom(...WEIRD_STRINGS)),
  );
  return fc.array(op, { minLength: 1, maxLength: 6 }).map((ops) => {
    let s = seed;
    for (const [pos, kind, text] of ops) {
      const i = pos % (s.length + 1);
      if (kind === 0) s = s.slice(0, i) + text + s.slice(i);
      else if (kind === 1) s = s.slice(0, i) + s.slice(i + 1 + (pos % 8));
      else if (kind === 2) s = s.slice(0, i) + text.slice(0, 1) + s.slice(i + 1);
      else if (kind === 3) s = s.slice(0, i);
      else if (kind === 4) s = s.slice(0, i) + s.slice(i, i + 20) + s.slice(i);
      else s = s.slice(0, i) + "\n" + s.slice(i);
    }
    return s;
  });
}

function _paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(..._paths(v, [...prefix, i])));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) out.push(..._paths(v, [...prefix, k]));
  }
  return out;
}

const DELETE = Symbol("delete");

/** Structural mutations of a JSON value: replace or delete values at random paths. */
function mutatedJson(seed: unknown): fc.Arbitrary<unknown> {
  const edit = fc.tuple(fc.nat(), fc.oneof(_weirdValue(), fc.constant(DELETE)));
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => {
    let value: unknown = structuredClone(seed);
    for (const [pick, replacement] of edits) {
      const paths = _paths(value);
      const path = paths[pick % paths.length]!;
      if (path.length === 0) {
        value = replacement === DELETE ? {} : replacement;
        continue;
      }
      let parent = value as Record<string | number, unknown>;
      for (const seg of path.slice(0, -1)) parent = parent[seg] as Record<string | number, unknown>;
      const last = path[path.length - 1]!;
      if (replacement === DELETE) {
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
      } else parent[last] = replacement;
    }
    return value;
  });
}

/** A JSON document: structural mutations (serialised), text mutations, or random JSON. */
function jsonDocument(seed: unknown): fc.Arbitrary<string> {
  const text = JSON.stringify(seed, null, 2);
  return fc.oneof(
    { weight: 4, arbitrary: mutatedJson(seed).map((v) => JSON.stringify(v, null, 2) ?? "null") },
    { weight: 3, arbitrary: mutatedText(text) },
    { weight: 1, arbitrary: fc.json({ maxDepth: 4 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 200 }) },
  );
}

// ---------------------------------------------------------------------------
// Seeds

const DRAFTS = draftArtifacts("2026-01-01T00:00:00.000Z");

const SEED_INTENT = {
  ...DRAFTS.intent,
  goal: "Add the parser",
  constraints: ["Keep the API"],
  allowed_files: ["src/**", "tests/**"],
  forbidden_files: ["src/secret/**"],
};
const SEED_TESTS = {
  ...DRAFTS.tests,
  tests: [
    { id: "unit", command: "deno test", required: true, gate: "finish" },
    { id: "api", junit_name: "pkg.Api.get", required: true, gate: "finish" },
    { id: "smoke", junit_name: "smoke*", required: false, gate: "advisory" },
  ],
};
const SEED_PLAN = {
  ...DRAFTS.plan,
  units: [
    { id: "u1", summary: "parser", files: ["src/**"], tests: ["unit"], depends_on: [] },
    { id: "u2", summary: "api", files: ["src/api/**"], tests: ["api"], depends_on: ["u1"] },
  ],
};

function _event(wp: string, from: string, to: string, n: number): Record<string, unknown> {
  return {
    actor: "tester",
    at: `2026-01-01T00:00:${String(n % 60).padStart(2, "0")}.000000+00:00`,
    event_id: `01KTEST${String(n).padStart(19, "0")}`,
    evidence: null,
    execution_mode: "worktree",
    force: false,
    from_lane: from,
    mission_id: "01KTESTAAAAAAAAAAAAAAAAAAA",
    mission_slug: "fuzz",
    policy_metadata: null,
    reason: null,
    review_ref: null,
    review_result: null,
    to_lane: to,
    wp_id: wp,
  };
}

const SEED_EVENTS = [
  _event("WP01", "genesis", "planned", 1),
  _event("WP02", "genesis", "planned", 2),
  _event("WP01", "planned", "claimed", 3),
  _event("WP01", "claimed", "in_progress", 4),
  _event("WP01", "in_progress", "for_review", 5),
];

const SEED_WP = `---
work_package_id: WP03
title: Parser
dependencies:
- WP01
- WP02
base_commit: 0123456789abcdef0123456789abcdef01234567
subtasks:
- T001
- T002
execution_mode: code_change
---

# WP03 Parser
`;

const SEED_REVIEW = `---
verdict: rejected
reviewer: alice
reviewed_at: 2026-01-02T00:00:00Z
cycle: 1
issues:
- file: src/a.ts
  note: missing test
---

# Review cycle 1
`;

const SEED_LANES = {
  version: 1,
  mission_slug: "fuzz",
  mission_id: "01KTESTAAAAAAAAAAAAAAAAAAA",
  mission_branch: "kitty/mission-fuzz",
  target_branch: "main",
  lanes: [
    {
      lane_id: "lane-a",
      wp_ids: ["WP01"],
      write_scope: ["src/a/**"],
      depends_on_lanes: [],
      parallel_group: 0,
      predicted_surfaces: [],
    },
    {
      lane_id: "lane-b",
      wp_ids: ["WP02", "WP03"],
      write_scope: ["src/b/**"],
      depends_on_lanes: ["lane-a"],
      parallel_group: 1,
      predicted_surfaces: [],
    },
  ],
  computed_at: "2026-01-01T00:00:00+00:00",
  computed_from: "dependency_graph+ownership",
  planning_artifact_wps: [],
};

const SEED_JUNIT = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="all" tests="3" failures="1">
  <testsuite name="pkg" tests="3" time="0.5">
    <testcase classname="pkg.Api" name="get" time="0.1"/>
    <testcase classname="pkg.Api" name="put" time="0.2"><failure message="boom">stack &amp; trace</failure></testcase>
    <testcase name="smoke test" file="t.ts"><skipped/></testcase>
    <testcase classname="x" name="y"><error><![CDATA[<oops>]]></error></testcase>
  </testsuite>
</testsuites>
`;

// ---------------------------------------------------------------------------
// Invariant

function _rejected(target: string, error: unknown, codes: Record<string, number>): CaseOutcome {
  if (
    isKeelError(error) && Object.hasOwn(ERROR_CODES, error.code) && error.code !== "INTERNAL"
  ) {
    codes[error.code] = (codes[error.code] ?? 0) + 1;
    return "rejected";
  }
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  throw new FuzzInvariantError(target, `uncaught ${what}`);
}

// ---------------------------------------------------------------------------
// Targets

type Kind = "intent" | "tests" | "plan";
const SCHEMA = { intent: Intent, tests: TestContract, plan: CommitPlan } as const;
const SEEDS = { intent: SEED_INTENT, tests: SEED_TESTS, plan: SEED_PLAN } as const;

async function _artifact(kind: Kind, text: string): Promise<CaseOutcome> {
  const parsed = parseJsonWithPosition(text);
  if (!parsed.ok) {
    if (!(parsed.line >= 1 && parsed.column >= 1)) {
      throw new FuzzInvariantError(kind, `bad error position ${parsed.line}:${parsed.column}`);
    }
    return "rejected";
  }
  const raw = parsed.value;
  if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) {
    await artifactDigest(raw as Record<string, unknown>);
  }
  canonicalJson(raw);
  const result = SCHEMA[kind].safeParse(raw);
  if (!result.success) return "rejected";
  await approvalState(result.data as Parameters<typeof approvalState>[0]);
  const artifacts = {
    intent: Intent.parse(SEED_INTENT),
    tests: TestContract.parse(SEED_TESTS),
    plan: CommitPlan.parse(SEED_PLAN),
    [kind]: result.data,
  } as Parameters<typeof validateContract>[0];
  const findings = validateContract(artifacts);
  for (const f of findings) {
    if (typeof f.code !== "string" || !/^[A-Z][A-Z0-9_]*$/.test(f.code)) {
      throw new FuzzInvariantError(kind, `finding without a stable code: ${JSON.stringify(f)}`);
    }
  }
  for (const g of [...(result.data as { allowed_files?: string[] }).allowed_files ?? []]) {
    repoPathProblem(normalizeRepoPath(g));
  }
  return findings.some((f) => f.severity === "error") ? "rejected" : "accepted";
}

function artifactTarget(kind: Kind): FuzzTarget {
  return {
    name: kind === "intent" ? "intent" : kind === "tests" ? "test_contract" : "commit_plan",
    arbitrary: jsonDocument(SEEDS[kind]),
    run: (input) => _artifact(kind, input as string),
  };
}

const eventObject: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SEED_EVENTS).chain((e) => mutatedJson(e)) },
  {
    weight: 2,
    arbitrary: fc.record({
      actor: fc.oneof(fc.string(), fc.record({ tool: fc.string() }), _weirdValue()),
      at: fc.oneof(
        fc.constantFrom("2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00Z"),
        fc.string(),
      ),
      event_id: fc.oneof(fc.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/), fc.string()),
      execution_mode: fc.constantFrom("worktree", "direct_repo", "x"),
      force: fc.oneof(fc.boolean(), _weirdValue()),
      from_lane: fc.oneof(fc.constantFrom(...EVENT_LANES), fc.string()),
      to_lane: fc.oneof(fc.constantFrom(...EVENT_LANES), fc.string()),
      wp_id: fc.constantFrom("WP01", "WP02", "WP03", "", "wp1"),
      kind: fc.constantFrom("annotation", "transition", "x"),
      delta: fc.jsonValue({ maxDepth: 2 }),
      review_ref: _weirdValue(),
      policy_metadata: _weirdValue(),
    }, { requiredKeys: [] }),
  },
  { weight: 1, arbitrary: _weirdValue() },
);

const eventLog: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.tuple(fc.array(eventObject, { maxLength: 6 }), fc.nat(), fc.boolean()).map(
      ([extra, cut, torn]) => {
        const lines = [...SEED_EVENTS, ...extra].map((e) => JSON.stringify(e) ?? "null");
        const text = lines.join("\n") + "\n";
        return torn ? text.slice(0, text.length - 1 - (cut % 40)) : text;
      },
    ),
  },
  {
    weight: 2,
    arbitrary: mutatedText(SEED_EVENTS.map((e) => JSON.stringify(e)).join("\n") + "\n"),
  },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 300 }) },
);

const yamlish: fc.Arbitrary<string> = fc.array(
  fc.tuple(
    fc.constantFrom(
      "work_package_id",
      "dependencies",
      "base_commit",
      "title",
      "subtasks",
      "execution_mode",
      "verdict",
      "lane",
      "- ",
      "  - ",
      "? ",
      "&a ",
      "*a",
      "!!binary",
      "<<",
      "",
    ),
    fc.oneof(
      fc.constantFrom(...WEIRD_STRINGS).map((s) => JSON.stringify(s)),
      fc.string({ maxLength: 20 }),
      fc.constantFrom("[WP01, WP02]", "{a: 1}", "|", ">", "'", '"', "[", "{", "~", "null"),
    ),
  ).map(([k, v]) => `${k}: ${v}`),
  { maxLength: 8 },
).map((lines) => lines.join("\n"));

function frontmatterDoc(seed: string): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: mutatedText(seed) },
    { weight: 3, arbitrary: yamlish.map((y) => `---\n${y}\n---\n\n# body\n`) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 200 }) },
  );
}

const xmlAttr: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9 ._*-]{0,12}$/),
  fc.constantFrom("&amp;", "&lt;x&gt;", "&#x1F4A5;", "&bogus;", '"', "'", "\u0000", "]]>"),
);

const junitDoc: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: mutatedText(SEED_JUNIT) },
  {
    weight: 3,
    arbitrary: fc.array(
      fc.record({
        classname: fc.option(xmlAttr),
        name: xmlAttr,
        time: fc.option(fc.oneof(fc.double().map(String), xmlAttr)),
        child: fc.constantFrom(
          "",
          "<failure/>",
          "<skipped/>",
          "<error message='e'>x</error>",
          "<failure>",
        ),
      }),
      { maxLength: 6 },
    ).map((cases) =>
      `<testsuite name="s">` + cases.map((c) =>
        `<testcase${c.classname === null ? "" : ` classname="${c.classname}"`} name="${c.name}"` +
        `${c.time === null ? "" : ` time="${c.time}"`}>${c.child}</testcase>`
      ).join("") + `</testsuite>`
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 200 }) },
);

const rpcMessage: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      jsonrpc: fc.oneof(fc.constant("2.0"), _weirdValue()),
      id: fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.constant(null), _weirdValue()),
      method: fc.oneof(
        fc.constantFrom(
          "keel/version",
          "schema/get",
          "contract/status",
          "contract/validate",
          "contract/init",
          "contract/approve",
          "rpc.discover",
          "rpc.x",
          "__proto__",
          "constructor",
          "toString",
          "",
        ),
        fc.string({ maxLength: 12 }),
        _weirdValue(),
      ),
      params: fc.oneof(
        fc.record({
          name: _weirdValue(),
          contract: _weirdValue(),
          artifact: _weirdValue(),
          by: _weirdValue(),
          force: _weirdValue(),
        }, { requiredKeys: [] }),
        _weirdValue(),
      ),
    }, { requiredKeys: ["method"] }),
  },
  { weight: 1, arbitrary: _weirdValue() },
);

const rpcStream: fc.Arbitrary<{ framing: "ndjson" | "lsp"; chunks: Uint8Array[] }> = fc.record({
  framing: fc.constantFrom("ndjson" as const, "lsp" as const),
  parts: fc.array(
    fc.oneof(
      { weight: 4, arbitrary: rpcMessage.map((m) => JSON.stringify(m) ?? "null") },
      {
        weight: 1,
        arbitrary: fc.array(rpcMessage, { maxLength: 5 }).map((b) => JSON.stringify(b)),
      },
      { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 60 }) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          "Content-Length: 5\r\n\r\n",
          "Content-Length: x\r\n\r\n",
          "\r\n",
          "\n",
        ),
      },
    ),
    { maxLength: 6 },
  ),
  raw: fc.option(fc.uint8Array({ maxLength: 64 })),
  split: fc.array(fc.nat({ max: 50 }), { maxLength: 6 }),
}).map(({ framing, parts, raw, split }) => {
  const enc = new TextEncoder();
  const body: Uint8Array[] = parts.map((p) => {
    const b = enc.encode(p);
    return framing === "lsp" && !p.startsWith("Content-Length")
      ? enc.encode(`Content-Length: ${b.length}\r\n\r\n${p}`)
      : enc.encode(p + "\n");
  });
  if (raw !== null) body.push(raw);
  const all = new Uint8Array(body.reduce((n, b) => n + b.length, 0));
  let off = 0;
  for (const b of body) {
    all.set(b, off);
    off += b.length;
  }
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (const s of split) {
    chunks.push(all.subarray(at, Math.min(all.length, at + s + 1)));
    at = Math.min(all.length, at + s + 1);
  }
  chunks.push(all.subarray(at));
  return { framing, chunks };
});

/** Shared state of the file-based targets (a temporary repository). */
interface FuzzEnv {
  dir: string;
  ctx: OpContext;
}

/**
 * The fuzz targets over a temporary repository.
 *
 * @param env The temporary repository.
 * @returns The targets, with their counters.
 */
export async function fuzzTargets(env: FuzzEnv): Promise<FuzzTarget[]> {
  const slug = "fuzz-01KTESTA";
  const missionDir = await writeMission(env.dir, {
    slug,
    missionId: "01KTESTAAAAAAAAAAAAAAAAAAA",
    wps: [{ id: "WP01", lane: "approved", actor: "a" }, { id: "WP02" }],
  });
  const cycleDir = join(missionDir, "tasks", "WP01-work");
  await Deno.mkdir(cycleDir, { recursive: true });
  const gate = await loadMission(missionDir);
  const server = createKeelServer(env.ctx);
  const planned = TestContract.parse(SEED_TESTS).tests as PlannedTest[];
  const wrap = (t: FuzzTarget): FuzzTarget => {
    const codes: Record<string, number> = {};
    return {
      ...t,
      codes,
      run: async (input: unknown): Promise<CaseOutcome> => {
        try {
          return await t.run(input);
        } catch (error) {
          if (error instanceof FuzzInvariantError) throw error;
          return _rejected(t.name, error, codes);
        }
      },
    };
  };
  const targets: FuzzTarget[] = [
    artifactTarget("intent"),
    artifactTarget("tests"),
    artifactTarget("plan"),
    {
      name: "wp_frontmatter",
      arbitrary: frontmatterDoc(SEED_WP),
      run: async (input) => {
        const text = input as string;
        const light = await parseWpFile("WP03-parser.md", text, { read: "light" });
        const full = await parseWpFile("WP03-parser.md", text, { read: "full" });
        normalizeDependencies(full.frontmatter?.dependencies);
        return light.id === null && full.id === null ? "rejected" : "accepted";
      },
    },
    {
      name: "event_log",
      arbitrary: eventLog,
      run: (input) => {
        const text = input as string;
        const jsonl = parseJsonl(text);
        const torn = findTornTail(new TextEncoder().encode(text));
        if ((jsonl.torn === null) !== (torn === null) && jsonl.torn !== null) {
          throw new FuzzInvariantError(
            "event_log",
            "parseJsonl and findTornTail disagree on a torn tail",
          );
        }
        reduceEvents(text, { path: "kitty-specs/fuzz/status.events.jsonl" });
        return Promise.resolve("accepted");
      },
    },
    {
      name: "review_cycle",
      arbitrary: frontmatterDoc(SEED_REVIEW),
      run: async (input) => {
        await Deno.writeTextFile(join(cycleDir, "review-cycle-1.md"), input as string);
        const r = await checkReviewArtifacts(gate, { wpIds: ["WP01"] });
        for (const b of r.blockers) {
          if (!/^[A-Z][A-Z0-9_]*$/.test(b.diagnostic_code)) {
            throw new FuzzInvariantError(
              "review_cycle",
              `blocker without a code: ${JSON.stringify(b)}`,
            );
          }
        }
        return r.passed ? "accepted" : "rejected";
      },
    },
    {
      name: "lanes_json",
      arbitrary: jsonDocument(SEED_LANES),
      run: async (input) => {
        const text = input as string;
        const view = parseLanesJson(text, `kitty-specs/${slug}/lanes.json`);
        await Deno.writeTextFile(join(missionDir, "lanes.json"), text);
        await readLanesManifest(missionDir, `kitty-specs/${slug}`);
        return view.status === "ok" ? "accepted" : "rejected";
      },
    },
    {
      name: "junit_xml",
      arbitrary: junitDoc,
      run: (input) => {
        const r = parseJUnit(input as string);
        if (!r.ok) {
          if (!(r.line >= 0 && r.column >= 0 && typeof r.reason === "string")) {
            throw new FuzzInvariantError("junit_xml", `bad rejection ${JSON.stringify(r)}`);
          }
          return Promise.resolve("rejected");
        }
        for (const c of r.cases) matchJUnitCase(c, planned);
        return Promise.resolve("accepted");
      },
    },
    {
      name: "rpc_frames",
      arbitrary: rpcStream,
      run: async (input) => {
        const { framing, chunks } = input as { framing: "ndjson" | "lsp"; chunks: Uint8Array[] };
        const parser = createFrameParser(framing, { maxFrameBytes: 4096 });
        let answered = 0;
        for (const chunk of chunks) {
          const events: FrameEvent[] = parser.push(chunk);
          for (const e of events) {
            if (e.kind === "fatal") return "rejected";
            if (e.kind !== "frame") continue;
            const out = await server.handleFrame(e.bytes);
            if (out === null) continue;
            answered++;
            _checkRpcResponse(JSON.parse(out));
          }
          if (parser.buffered > 4096 + 64) {
            throw new FuzzInvariantError("rpc_frames", `parser holds ${parser.buffered} bytes`);
          }
        }
        return answered > 0 ? "accepted" : "rejected";
      },
    },
  ];
  targets.push(await _doctorTarget(env));
  targets.push(globTarget());
  return targets.map(wrap);
}

const GLOB_PIECES = [
  "a",
  "b",
  ".",
  "/",
  "*",
  "**",
  "?",
  "[a-c]",
  "[^a]",
  "[z-a]",
  "[",
  "]",
  "{a,b}",
  "{",
  "}",
  ",",
  "\\",
  "*a",
  "*a*a*a*a*a*a*a*a*b",
  "**/",
  "/**",
];

/** A glob (pieces, with adversarial star runs) and a path (up to a few hundred characters). */
const globCase = fc.record({
  pattern: fc.oneof(
    fc.array(fc.constantFrom(...GLOB_PIECES), { minLength: 1, maxLength: 24 }).map((a) =>
      a.join("")
    ),
    fc.integer({ min: 1, max: 14 }).map((k) => "*a".repeat(k) + "*b"),
    fc.integer({ min: 1, max: 10 }).map((k) => "**/a".repeat(k) + "/**/b"),
  ),
  path: fc.oneof(
    fc.array(fc.constantFrom("a", "b", "c", ".", "/", "ab", "a/"), { maxLength: 60 })
      .map((a) => a.join("")),
    fc.integer({ min: 0, max: 400 }).map((n) => "a".repeat(n)),
    fc.integer({ min: 0, max: 100 }).map((n) => "a/".repeat(n) + "c"),
  ),
});

/**
 * Globs against paths: an invalid glob is `GLOB_INVALID` from both the check
 * and the compiler; a valid one matches every path in under 50 ms.
 */
function globTarget(): FuzzTarget {
  return {
    name: "glob",
    arbitrary: globCase,
    run: (input) => {
      const { pattern, path } = input as { pattern: string; path: string };
      const problem = globProblem(pattern);
      let matcher;
      try {
        matcher = compileGlobs([pattern]);
      } catch (error) {
        if (problem === null) {
          throw new FuzzInvariantError("glob", `${pattern}: refused without a problem: ${error}`);
        }
        throw error; // GLOB_INVALID, counted as a rejection
      }
      if (problem !== null) {
        throw new FuzzInvariantError("glob", `${pattern}: compiled although "${problem}"`);
      }
      // A super-linear matcher is slow on every try; a process descheduled on
      // a busy machine is not: the best of three tries is the match's time.
      let ms = Infinity;
      for (let k = 0; k < 3 && ms >= 50; k++) {
        const t0 = performance.now();
        matcher(path);
        ms = Math.min(ms, performance.now() - t0);
      }
      if (ms >= 50) {
        throw new FuzzInvariantError("glob", `${pattern} vs ${path.length} chars: ${ms} ms`);
      }
      return Promise.resolve("accepted");
    },
  };
}

/**
 * `keel doctor --fix` over fuzzed lessons.jsonl, event log, status.json and
 * lock files: it never throws, every problem has a doctor code, and a torn
 * tail is moved byte-exactly (file + side file = the bytes before).
 */
async function _doctorTarget(env: FuzzEnv): Promise<FuzzTarget> {
  const slug = "doctor-01KTESTC";
  const missionDir = await writeMission(env.dir, {
    slug,
    missionId: "01KTESTCCCCCCCCCCCCCCCCCCC",
    wps: [{ id: "WP01" }],
  });
  const keelDir = join(env.dir, ".keel");
  await Deno.mkdir(join(keelDir, "locks"), { recursive: true });
  const files = {
    lessons: join(keelDir, "lessons.jsonl"),
    events: join(missionDir, "status.events.jsonl"),
  };
  const statusSeed = {
    mission_slug: slug,
    materialized_at: "2026-01-01T00:00:01.000000+00:00",
    event_count: 1,
    last_event_id: "SEED000001A",
    work_packages: { WP01: { lane: "planned" } },
    summary: {},
  };
  return {
    name: "doctor_files",
    arbitrary: fc.record({
      lessons: fc.oneof(
        fc.constant(""),
        fc.string({ maxLength: 30 }).map((t) => `{"schema_version":1,"key":"${t}`),
        eventLog,
      ),
      events: eventLog,
      status: fc.option(jsonDocument(statusSeed)),
      lock: fc.oneof(fc.constant(""), fc.nat().map(String), fc.string({ maxLength: 12 })),
    }),
    run: async (input) => {
      const c = input as { lessons: string; events: string; status: string | null; lock: string };
      await Deno.writeTextFile(files.lessons, c.lessons);
      await Deno.writeTextFile(files.events, c.events);
      if (c.status === null) await Deno.remove(join(missionDir, "status.json")).catch(() => {});
      else await Deno.writeTextFile(join(missionDir, "status.json"), c.status);
      await Deno.writeTextFile(join(keelDir, "locks", "fuzz.lock"), c.lock);
      const before = {
        lessons: await Deno.readFile(files.lessons),
        events: await Deno.readFile(files.events),
      };
      const r = await doctorOp({ fix: true }, env.ctx);
      for (const p of r.problems) {
        if (!Object.hasOwn(DOCTOR_CODES, p.code)) {
          throw new FuzzInvariantError("doctor_files", `unknown doctor code ${p.code}`);
        }
      }
      for (const key of ["lessons", "events"] as const) {
        const after = await Deno.readFile(files[key]);
        const dir = join(files[key], "..");
        const base = files[key].slice(dir.length + 1);
        let side = new Uint8Array(0);
        for (const e of Deno.readDirSync(dir)) {
          if (!e.name.startsWith(`${base}.torn-`)) continue;
          side = await Deno.readFile(join(dir, e.name));
          await Deno.remove(join(dir, e.name));
        }
        const joined = new Uint8Array(after.length + side.length);
        joined.set(after);
        joined.set(side, after.length);
        if (joined.length !== before[key].length || joined.some((b, i) => b !== before[key][i])) {
          throw new FuzzInvariantError("doctor_files", `--fix lost or changed bytes of ${key}`);
        }
      }
      return r.ok ? "accepted" : "rejected";
    },
  };
}

function _checkRpcResponse(msg: unknown): void {
  const all = Array.isArray(msg) ? msg : [msg];
  for (const m of all) {
    if (m === null || typeof m !== "object" || (m as { jsonrpc?: unknown }).jsonrpc !== "2.0") {
      throw new FuzzInvariantError("rpc_frames", `not a JSON-RPC response: ${JSON.stringify(m)}`);
    }
    const error = (m as { error?: { code: number; data?: { code?: string } } }).error;
    if (error === undefined) continue;
    if (error.code === -32603 || error.data?.code === "INTERNAL") {
      throw new FuzzInvariantError("rpc_frames", `internal error: ${JSON.stringify(m)}`);
    }
    const code = error.data?.code;
    if (code !== undefined && !Object.hasOwn(ERROR_CODES, code)) {
      throw new FuzzInvariantError("rpc_frames", `unknown error code ${code}`);
    }
  }
}

/**
 * Run every target (or those named) for `runs` cases each.
 *
 * @param options `runs` per target, `seed`, `targets` (names), `onReport` per target.
 * @returns One report per target.
 * @throws {Error} fast-check's failure report (with the counterexample) on a broken invariant.
 */
export async function runFuzz(options: {
  runs: number;
  seed?: number;
  targets?: readonly string[];
  onReport?: (r: FuzzTargetReport) => void;
}): Promise<FuzzTargetReport[]> {
  const dir = await Deno.makeTempDir({ prefix: "keel-fuzz-" });
  const reports: FuzzTargetReport[] = [];
  try {
    const ctx: OpContext = {
      cwd: dir,
      clock: fixedClock("2026-01-01T00:00:00Z"),
      env: {},
      gitBackend: "cli",
    };
    const targets = await fuzzTargets({ dir, ctx });
    for (const t of targets) {
      if (options.targets && options.targets.length > 0 && !options.targets.includes(t.name)) {
        continue;
      }
      const report: FuzzTargetReport = {
        target: t.name,
        cases: 0,
        accepted: 0,
        rejected: 0,
        codes: {},
        ms: 0,
      };
      const t0 = performance.now();
      await fc.assert(
        fc.asyncProperty(t.arbitrary, async (input) => {
          const outcome = await t.run(input);
          report.cases++;
          report[outcome]++;
        }),
        { numRuns: options.runs, ...(options.seed === undefined ? {} : { seed: options.seed }) },
      );
      report.ms = Math.round(performance.now() - t0);
      report.codes = { ...t.codes };
      reports.push(report);
      options.onReport?.(report);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  return reports;
}

if (import.meta.main) {
  const args = Deno.args;
  let runs = 10_000;
  let seed: number | undefined;
  const targets: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--runs") runs = Number(args[++i]);
    else if (args[i] === "--seed") seed = Number(args[++i]);
    else if (args[i] === "--target") targets.push(args[++i]!);
  }
  const t0 = performance.now();
  const reports = await runFuzz({
    runs,
    ...(seed === undefined ? {} : { seed }),
    targets,
    onReport: (r) =>
      console.log(
        `${r.target.padEnd(16)} ${String(r.cases).padStart(7)} cases  ${
          String(r.accepted).padStart(6)
        } accepted  ${String(r.rejected).padStart(6)} rejected  ${String(r.ms).padStart(7)} ms  ${
          JSON.stringify(r.codes)
        }`,
      ),
  });
  const total = reports.reduce((n, r) => n + r.cases, 0);
  console.log(
    `fuzz: ${total} cases over ${reports.length} targets in ${
      Math.round(performance.now() - t0)
    } ms; no uncaught exception, no INTERNAL`,
  );
}
