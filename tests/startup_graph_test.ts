import assert from "node:assert/strict";

const ROOT = new URL("..", import.meta.url);

/**
 * The modules a file loads before any dynamic import runs: static, non-type
 * imports followed through the graph `deno info` reports.
 */
async function _staticGraph(entries: string[]): Promise<Set<string>> {
  const all = new Set<string>();
  for (const e of entries) for (const s of await _staticGraphOf(e)) all.add(s);
  return all;
}

async function _staticGraphOf(entry: string): Promise<Set<string>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", new URL(entry, ROOT).pathname],
    cwd: ROOT.pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    roots: string[];
    modules: {
      specifier: string;
      dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
    }[];
  };
  const deps = new Map(info.modules.map((m) => [m.specifier, m.dependencies ?? []]));
  const seen = new Set<string>();
  const todo = [...info.roots];
  while (todo.length > 0) {
    const s = todo.pop()!;
    if (seen.has(s)) continue;
    seen.add(s);
    for (const d of deps.get(s) ?? []) {
      if (d.code && !d.isDynamic) todo.push(d.code.specifier);
    }
  }
  return seen;
}

/** Modules that load an npm package or Deno's Node compatibility layer. */
function _heavy(graph: Set<string>): string[] {
  return [...graph].filter((s) => s.startsWith("npm:") || s.startsWith("node:")).sort();
}

Deno.test("start-up: the CLI table, status and next load no npm package and no node: module", async () => {
  for (const entry of ["cli/commands/status.ts", "cli/commands/next.ts"]) {
    const graph = await _staticGraph(["cli/app.ts", entry]);
    assert.deepEqual(_heavy(graph), [], entry);
  }
  const status = await _staticGraph(["core/status/mod.ts"]);
  assert.deepEqual(_heavy(status), []);
  for (const s of status) assert.doesNotMatch(s, /\/core\/contract\/(approve|init)_op\.ts$/);
  const next = await _staticGraph(["core/mission/mod.ts"]);
  assert.deepEqual(_heavy(next), []);
  // `keel next` loads its operation, not the claim and workspace code beside it.
  const nextOp = await _staticGraph([
    "cli/app.ts",
    "cli/commands/next.ts",
    "core/mission/next_op.ts",
  ]);
  assert.deepEqual(_heavy(nextOp), []);
  for (const s of nextOp) {
    assert.doesNotMatch(s, /\/core\/mission\/(implement_op|prepare_workspace)\.ts$/);
    // The text renderers load only when text is printed (not for `--json`).
    assert.doesNotMatch(s, /\/core\/text\//);
    // git loads only when a WP names a base commit to check (commitPortFor imports it then).
    assert.doesNotMatch(s, /\/core\/git\//);
    // `next` only reads: none of the store's writers, ids or digests load.
    assert.doesNotMatch(s, /\/core\/store\/(atomic_write|lock|jsonl)\.ts$/);
    assert.doesNotMatch(s, /\/core\/util\/(ulid|sha256|canonical_json)\.ts$/);
  }
});

Deno.test("run finish and drift: core/run loads zod and no node: module", async () => {
  const run = await _staticGraph(["cli/app.ts", "cli/commands/run.ts", "core/run/mod.ts"]);
  // `keel run finish` loads its operation, not exec, import-junit and verify beside it.
  const finish = await _staticGraph(["cli/commands/run.ts", "core/run/finish_run_op.ts"]);
  for (const s of finish) {
    assert.doesNotMatch(s, /\/core\/run\/(exec_test|import_junit|verify_run)_op\.ts$/);
    // Nor the contract operations, nor every artifact schema (the run report's loads on demand).
    assert.doesNotMatch(s, /\/core\/contract\/|\/schemas\/(mod|trust_metrics|run_report)\.ts$/);
  }
  const heavy = _heavy(run);
  assert.ok(heavy.some((s) => s.startsWith("npm:zod@")), heavy.join(", "));
  assert.deepEqual(heavy.filter((s) => !s.startsWith("npm:zod@")), []);
});
