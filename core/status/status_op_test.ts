import assert from "node:assert/strict";
import { gitRun } from "../../testing/git.ts";
import { approvalState } from "../artifact/digest.ts";
import { approveOp, initOp } from "../contract/mod.ts";
import { readContract } from "../contract/read_contract.ts";
import { locateKeel } from "../layout/mod.ts";
import type { OpContext } from "../context.ts";
import type { KeelError } from "../errors.ts";
import { finishRunOp } from "../run/finish_run_op.ts";
import { startRunOp } from "../run/start_run.ts";
import { artifactDigest } from "../artifact/digest.ts";
import { fixedClock } from "../util/clock.ts";
import { type ArtifactStatus, contractStatus, statusOp } from "./mod.ts";

const C = ".keel/contracts/default";

async function _repo(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "keel-status-" });
  const git = (...args: string[]) =>
    gitRun(dir, ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { env: {} });
  await git("init", "-q", "-b", "trunk");
  await Deno.writeTextFile(`${dir}/a.txt`, "a\n");
  await git("add", "a.txt");
  await git("commit", "-qm", "first");
  return dir;
}

function _ctx(cwd: string): OpContext {
  return { cwd, clock: fixedClock("2026-03-01T10:00:00.000Z", 60_000), env: {}, gitBackend: "cli" };
}

/**
 * The status every artifact had before status learnt to skip the schema:
 * read with its zod schema, then draft / approved / stale from the raw JSON.
 */
async function _validatingStatus(dir: string): Promise<ArtifactStatus[]> {
  const layout = locateKeel(dir);
  const contract = await readContract(layout, "default");
  const out: ArtifactStatus[] = [];
  for (const kind of ["intent", "tests", "plan"] as const) {
    const r = contract.reads[kind];
    if (!r.ok) {
      out.push({
        artifact: kind,
        path: contract.paths[kind],
        state: r.error.code === "ARTIFACT_NOT_FOUND" ? "missing" : "invalid",
        digest: null,
        approved_digest: null,
        approved_by: null,
        approved_at: null,
        error: { code: r.error.code, message: r.error.message },
      });
      continue;
    }
    const raw = r.raw as Record<string, unknown> & {
      approval: { state: string; digest: string | null; by: string | null; at: string | null };
    };
    const { state, digest } = await approvalState(raw);
    out.push({
      artifact: kind,
      path: contract.paths[kind],
      state,
      digest,
      approved_digest: raw.approval.digest,
      approved_by: raw.approval.by,
      approved_at: raw.approval.at,
      error: null,
    });
  }
  return out;
}

/** Status's artifacts, asserted equal to the validating reading. */
async function _status(dir: string): Promise<ArtifactStatus[]> {
  const fast = await contractStatus(locateKeel(dir), "default");
  assert.deepEqual(fast, await _validatingStatus(dir));
  return fast;
}

async function _edit(dir: string, file: string, f: (v: Record<string, unknown>) => void) {
  const path = `${dir}/${C}/${file}`;
  const v = JSON.parse(await Deno.readTextFile(path));
  f(v);
  await Deno.writeTextFile(path, JSON.stringify(v, null, 2) + "\n");
}

async function _approved(): Promise<{ dir: string; ctx: OpContext }> {
  const dir = await _repo();
  const ctx = _ctx(dir);
  await initOp({}, ctx);
  await approveOp({ artifact: "all", by: "maint", allowPlaceholders: true }, ctx);
  return { dir, ctx };
}

Deno.test("status: approved and unchanged artifacts", async () => {
  const { dir, ctx } = await _approved();
  try {
    const a = await _status(dir);
    assert.deepEqual(a.map((x) => [x.artifact, x.state, x.approved_by, x.approved_at, x.error]), [
      ["intent", "approved", "maint", "2026-03-01T10:01:00.000Z", null],
      ["tests", "approved", "maint", "2026-03-01T10:01:00.000Z", null],
      ["plan", "approved", "maint", "2026-03-01T10:01:00.000Z", null],
    ]);
    assert.deepEqual(a.map((x) => x.path), [
      `${C}/intent.json`,
      `${C}/test_contract.json`,
      `${C}/commit_plan.json`,
    ]);
    for (const x of a) assert.equal(x.digest, x.approved_digest);
    const s = await statusOp({}, ctx);
    assert.equal(s.ready, true);
    assert.equal(s.active_run, null);
    assert.equal(s.last_finished_run, null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("status: an artifact edited after approval is stale", async () => {
  const { dir, ctx } = await _approved();
  try {
    await _edit(dir, "intent.json", (v) => {
      v.goal = "A different goal";
    });
    const a = await _status(dir);
    assert.deepEqual(a.map((x) => x.state), ["stale", "approved", "approved"]);
    const intent = a[0]!;
    assert.notEqual(intent.digest, intent.approved_digest);
    assert.equal(intent.approved_by, "maint");
    assert.equal((await statusOp({}, ctx)).ready, false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("status: drafts, a missing file and a file that is not JSON", async () => {
  const dir = await _repo();
  try {
    await initOp({}, _ctx(dir));
    let a = await _status(dir);
    assert.deepEqual(a.map((x) => [x.state, x.approved_digest, x.approved_by]), [
      ["draft", null, null],
      ["draft", null, null],
      ["draft", null, null],
    ]);
    for (const x of a) assert.match(x.digest!, /^[0-9a-f]{64}$/);
    await Deno.writeTextFile(`${dir}/${C}/test_contract.json`, '{\n  "tests": [,]\n}\n');
    await Deno.remove(`${dir}/${C}/commit_plan.json`);
    a = await _status(dir);
    assert.deepEqual(a.map((x) => [x.state, x.error?.code ?? null, x.digest]), [
      ["draft", null, a[0]!.digest],
      ["invalid", "ARTIFACT_INVALID_JSON", null],
      ["missing", "ARTIFACT_NOT_FOUND", null],
    ]);
    assert.match(
      a[1]!.error!.message,
      /^Cannot parse \.keel\/contracts\/default\/test_contract\.json: /,
    );
    assert.equal(
      a[2]!.error!.message,
      "Cannot read .keel/contracts/default/commit_plan.json: no such file",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("status: schema-invalid artifacts are invalid whether draft, stale or badly approved", async () => {
  const { dir } = await _approved();
  try {
    // stale and schema-invalid
    await _edit(dir, "intent.json", (v) => {
      delete v.goal;
    });
    // approval block malformed while the digest still matches the content
    await _edit(dir, "test_contract.json", (v) => {
      (v.approval as Record<string, unknown>).by = 5;
    });
    // draft and schema-invalid
    await _edit(dir, "commit_plan.json", (v) => {
      (v.approval as Record<string, unknown>).state = "draft";
      v.units = "none";
    });
    const a = await _status(dir);
    assert.deepEqual(a.map((x) => [x.state, x.error?.code]), [
      ["invalid", "ARTIFACT_SCHEMA_INVALID"],
      ["invalid", "ARTIFACT_SCHEMA_INVALID"],
      ["invalid", "ARTIFACT_SCHEMA_INVALID"],
    ]);
    assert.match(
      a[0]!.error!.message,
      /^\.keel\/contracts\/default\/intent\.json does not match its schema: \$\.goal: /,
    );
    assert.match(a[1]!.error!.message, /does not match its schema: \$\.approval\.by: /);
    assert.match(a[2]!.error!.message, /does not match its schema: \$\.units: /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("status trusts approved content whose digest matches (the schema ran at approval)", async () => {
  const { dir, ctx } = await _approved();
  try {
    // A hand edit that breaks the schema and rewrites the digest to match.
    const path = `${dir}/${C}/intent.json`;
    const v = JSON.parse(await Deno.readTextFile(path));
    delete v.goal;
    v.approval.digest = await artifactDigest(v);
    await Deno.writeTextFile(path, JSON.stringify(v));
    const a = await contractStatus(locateKeel(dir), "default");
    assert.equal(a[0]!.state, "approved");
    assert.equal(a[0]!.error, null);
    // The full reading (validate, run start) still refuses it.
    assert.equal((await _validatingStatus(dir))[0]!.error?.code, "ARTIFACT_SCHEMA_INVALID");
    await assert.rejects(startRunOp({}, ctx), (e: KeelError) => {
      assert.equal(e.code, "ARTIFACT_SCHEMA_INVALID");
      assert.match(e.message, /intent\.json does not match its schema: \$\.goal: /);
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("status: the latest finished run and the active run", async () => {
  const { dir, ctx } = await _approved();
  try {
    const first = await startRunOp({}, ctx);
    const done = await finishRunOp({}, ctx);
    assert.equal(done.run_id, first.run_id);
    const active = await startRunOp({}, ctx);
    let s = await statusOp({}, ctx);
    assert.deepEqual(s.active_run, { run_id: active.run_id, started_at: active.meta.started_at });
    assert.deepEqual(s.last_finished_run, {
      run_id: done.run_id,
      verdict: done.verdict,
      finished_at: done.meta.finished_at,
    });
    assert.notEqual(done.meta.finished_at, null);
    assert.equal(s.ready, true);
    // A newer report that is not JSON, and one of another contract, are passed over.
    const newer = (last: string) => `${dir}/.keel/runs/7${"Z".repeat(24)}${last}`;
    await Deno.mkdir(newer("Y"), { recursive: true });
    await Deno.writeTextFile(`${newer("Y")}/run_report.json`, "{ not json");
    await Deno.mkdir(newer("Z"), { recursive: true });
    await Deno.writeTextFile(
      `${newer("Z")}/run_report.json`,
      JSON.stringify({ ...done, run_id: "x", contract: "other" }),
    );
    s = await statusOp({}, ctx);
    assert.equal(s.last_finished_run?.run_id, done.run_id);
    assert.equal(s.active_run?.run_id, active.run_id);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
