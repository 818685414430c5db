import assert from "node:assert/strict";
import type { Lesson } from "../lessons/lesson.ts";
import { relevantLessonFindings } from "../lessons/lesson_relevance.ts";
import { latestLessons, parseLessons } from "../lessons/lessons_store.ts";

function lesson(key: string, over: Partial<Lesson> = {}): Lesson {
  return {
    schema_version: 1,
    key,
    run: "01J00000000000000000000000",
    contract: "c",
    domain: "refactor",
    finding_id: "F1",
    code: "SCOPE_FILE_OUTSIDE_ALLOWED",
    severity: "error",
    message: "m",
    planned: null,
    actual: null,
    paths: ["docs/x.md"],
    accepted: false,
    rationale: null,
    accepted_by: null,
    time: "2026-01-01T00:00:00.000Z",
    recorded_at: "2026-01-01T00:00:00.000Z",
    source: null,
    ...over,
  };
}

Deno.test("parseLessons() keeps every good line and reports bad and torn ones", () => {
  const good = JSON.stringify(lesson("a"));
  const text = `${good}\n{"not":"a lesson"}\nnot json\n${JSON.stringify(lesson("b"))}\n{"key":"c`;
  const r = parseLessons(text, ".keel/lessons.jsonl");
  assert.deepEqual(r.records.map((l) => l.key), ["a", "b"]);
  assert.deepEqual(r.problems.map((p) => [p.code, p.line]), [
    ["LESSONS_CORRUPT", 2],
    ["LESSONS_CORRUPT", 3],
    ["JSONL_TORN_TAIL", 5],
  ]);
});

Deno.test("latestLessons() takes the latest record per key, in first-seen order", () => {
  const r = latestLessons([
    lesson("a"),
    lesson("b"),
    lesson("a", { accepted: true, rationale: "fine" }),
  ]);
  assert.deepEqual(r.map((l) => [l.key, l.accepted]), [["a", true], ["b", false]]);
});

Deno.test("relevantLessonFindings() groups covered lessons by code", async (t) => {
  const lessons = [
    lesson("a"),
    lesson("b", {
      run: "01J00000000000000000000001",
      paths: ["docs/y.md"],
      accepted: true,
      rationale: "ok",
    }),
    lesson("c", { code: "PLAN_COMMIT_UNPLANNED", paths: ["src/a.ts"] }),
    lesson("d", { code: "TEST_REQUIRED_NOT_RUN", paths: [] }),
  ];
  await t.step("allowed_files covering docs/** shows the scope lessons", () => {
    const f = relevantLessonFindings(lessons, {
      intent: { allowed_files: ["docs/**"] },
      plan: null,
    });
    assert.equal(f.length, 1);
    assert.equal(f[0]!.code, "LESSON_RELEVANT");
    assert.equal(f[0]!.severity, "info");
    assert.deepEqual(f[0]!.evidence.paths, ["docs/x.md", "docs/y.md"]);
    assert.deepEqual(f[0]!.evidence.lessons, ["a", "b"]);
    assert.equal(f[0]!.evidence.accepted, 1);
  });
  await t.step("unit files count too, one finding per code", () => {
    const f = relevantLessonFindings(lessons, {
      intent: { allowed_files: ["docs/x.md"] },
      plan: { units: [{ id: "u", summary: "s", files: ["src/**"], tests: [], depends_on: [] }] },
    });
    assert.deepEqual(f.map((x) => x.evidence.lesson_code), [
      "PLAN_COMMIT_UNPLANNED",
      "SCOPE_FILE_OUTSIDE_ALLOWED",
    ]);
    assert.deepEqual(f[1]!.evidence.paths, ["docs/x.md"]);
  });
  await t.step("a contract covering none of the paths gets nothing", () => {
    assert.deepEqual(
      relevantLessonFindings(lessons, { intent: { allowed_files: ["lib/**"] }, plan: null }),
      [],
    );
  });
});
