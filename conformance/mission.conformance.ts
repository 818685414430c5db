/**
 * keel's mission reader, selection and claim against the real spec-kitty
 * missions and the recorded answers of the real spec-kitty (see
 * `fixtures.ts`). The main suite covers the same cases on synthetic missions.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { implementOp, nextOp, reduceEvents } from "../core/mission/mod.ts";
import { keelFailure } from "../testing/keel_failure.ts";
import { checkRecordedAnswers } from "../scripts/recorded_parity.ts";
import { copyMission, ctxFor, FIXTURES_DIR, SPEC_KITTY } from "./fixtures.ts";

async function withTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "keel-conformance-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const STALE = "rc3-lane-allocation-single-seam-01M0GGX8";

Deno.test({
  name: "reduceEvents() matches status.json of every real fixture mission except the stale one",
  fn: async () => {
    let compared = 0;
    for (const entry of [...Deno.readDirSync(FIXTURES_DIR)].filter((e) => e.isDirectory)) {
      const dir = `${FIXTURES_DIR}/${entry.name}`;
      const snap = reduceEvents(await Deno.readTextFile(`${dir}/status.events.jsonl`));
      const stored = JSON.parse(await Deno.readTextFile(`${dir}/status.json`));
      const ours = {
        mission_slug: snap.mission_slug,
        materialized_at: snap.materialized_at,
        event_count: snap.event_count,
        last_event_id: snap.last_event_id,
        summary: snap.summary,
        work_packages: snap.work_packages,
      };
      const theirs = {
        mission_slug: stored.mission_slug,
        materialized_at: stored.materialized_at,
        event_count: stored.event_count,
        last_event_id: stored.last_event_id,
        summary: stored.summary,
        work_packages: stored.work_packages,
      };
      if (entry.name === STALE) {
        // status.json still lists the phantom WP1..WP5 the log no longer holds.
        assert.notDeepEqual(ours, theirs);
        assert.deepEqual(
          Object.keys(stored.work_packages).filter((k) => !(k in snap.work_packages)),
          [
            "WP1",
            "WP2",
            "WP3",
            "WP4",
            "WP5",
          ],
        );
        continue;
      }
      assert.deepEqual(ours, theirs, entry.name);
      compared++;
    }
    assert.equal(compared, 8);
  },
});

Deno.test({
  name: "workflow-parity-988-989-991-01KRKTT5: next names WP01 and implement claims it",
  fn: async () => {
    await withTemp(async (root) => {
      const slug = "workflow-parity-988-989-991-01KRKTT5";
      await copyMission(slug, root);
      const ctx = ctxFor(root);
      const next = await nextOp({ mission: slug, agent: "claude" }, ctx);
      assert.equal(next.wp_id, "WP01");
      assert.equal(next.mission_state, "implement");
      assert.equal(next.selection_reason, null);
      assert.equal(next.mission_number, "");
      assert.deepEqual(next.progress, {
        total_wps: 3,
        done_wps: 0,
        approved_wps: 0,
        in_progress_wps: 0,
        planned_wps: 3,
        for_review_wps: 0,
        weighted_percentage: 0,
      });
      const r = await implementOp({ mission: "01KRKTT5", agent: "claude", workspace: false }, ctx);
      assert.equal(r.wp_id, "WP01");
      assert.equal(r.workspace_path, ".worktrees/workflow-parity-988-989-991-01KRKTT5-lane-a");
      assert.equal((await nextOp({ mission: slug }, ctx)).wp_id, "WP02");
    });
  },
});

Deno.test({
  name: "every real fixture mission: next's wp_id is what implement claims; reads write nothing",
  fn: async () => {
    const expected: Record<string, string | null> = {
      "062-fix-doctrine-migration-test-failures": "WP03",
      "064-complete-mission-identity-cutover": null,
      "067-runtime-recovery-and-audit-safety": null,
      "assertive-test-suite-sanitation-01KZME3P": "WP08",
      "feature-alias-removal-01KW0N87": null,
      "private-teamspace-ingress-safeguards-01KQH03Y": null,
      "rc3-lane-allocation-single-seam-01M0GGX8": null,
      "read-side-seam-primary-primitive-closure-01KYKMMT": null,
      "workflow-parity-988-989-991-01KRKTT5": "WP01",
    };
    await withTemp(async (root) => {
      for (const slug of Object.keys(expected)) {
        await copyMission(slug, root);
      }
      const snapshotDir = async () => {
        const out: string[] = [];
        const walk = async (d: string) => {
          for await (const e of Deno.readDir(d)) {
            const p = join(d, e.name);
            if (e.isDirectory) await walk(p);
            else out.push(`${p}:${(await Deno.readFile(p)).length}`);
          }
        };
        await walk(join(root, "kitty-specs"));
        return out.sort();
      };
      const before = await snapshotDir();
      const ctx = ctxFor(root);
      const previews = new Map<string, string | null>();
      for (const slug of Object.keys(expected)) {
        const p = await nextOp({ mission: slug }, ctx);
        previews.set(slug, p.wp_id);
        assert.equal(p.wp_id, expected[slug], slug);
      }
      assert.deepEqual(await snapshotDir(), before, "next must not write");
      for (const [slug, wp] of previews) {
        if (wp === null) {
          const e = await keelFailure(
            implementOp({ mission: slug, agent: "fixture", workspace: false }, ctx),
          );
          assert.equal(e.code, "WP_NOT_CLAIMABLE", slug);
        } else {
          assert.equal(
            (await implementOp({ mission: slug, agent: "fixture", workspace: false }, ctx)).wp_id,
            wp,
          );
        }
      }
    });
  },
});

Deno.test({
  name: "conformance script over the real fixtures exits 0 and lists the stale mission",
  fn: async () => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("../scripts/conformance.ts", import.meta.url).pathname,
        FIXTURES_DIR,
        "--json",
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const { summary } = JSON.parse(new TextDecoder().decode(out.stdout));
    assert.equal(summary.missions, 9);
    assert.equal(summary.status_json_match, 8);
    assert.deepEqual(summary.status_json_stale, ["rc3-lane-allocation-single-seam-01M0GGX8"]);
    assert.deepEqual(summary.reducer_mismatch, []);
    assert.equal(summary.invariant_checked, 9);
    assert.deepEqual(summary.violations, []);
    // The recorded answers of the real spec-kitty: every state agrees.
    assert.deepEqual(summary.recorded, { states: 24, failed: 0, differences: [] });
  },
});

Deno.test({
  name: "recorded spec-kitty answers: every fixture state agrees field by field",
  fn: async () => {
    const r = await checkRecordedAnswers(SPEC_KITTY);
    const differing = r.states.filter((s) => s.differences.length > 0);
    assert.deepEqual(differing, []);
    assert.equal(r.states.length, 24);
    assert.deepEqual(
      [...new Set(r.states.map((s) => s.variant))],
      ["full", "cut1of3", "cut2of3"],
    );
  },
});
