/**
 * The pilot's script: a maintainer and a simulated agent go through the
 * loop on the sample repository, using the real CLI commands in-process.
 *
 * @module
 */

import { join } from "node:path";
import {
  agentCommit,
  type ContractContent,
  createSampleRepo,
  DOCS_CONTRACT,
  DOCS_WITH_FREQUENCY,
  FEATURE_CONTRACT,
  sampleGit,
  SH_TEST_DOCS,
  SH_TEST_EXPORTED,
  SH_TEST_TESTED,
  STATS_WITH_FREQUENCY,
  TESTS_WITH_FREQUENCY,
} from "../core/pilot/mod.ts";
import { type CliIo, main } from "./app.ts";
import type { PilotStep } from "./commands/pilot.ts";

/** Options of {@link runPilot}. */
export interface PilotOptions {
  keep: boolean;
  /** Print the transcript as it happens (human mode). */
  live: boolean;
  warn(text: string): void;
}

/** What the pilot did. */
export interface PilotResult {
  repository: string;
  steps: PilotStep[];
  /** The first run's drift: verdict and finding codes, after the deviation. */
  first_run: { verdict: unknown; findings: string[]; accepted: string[] } | null;
  /** Delegation level per trust scope. */
  levels: Record<string, string>;
  /** The HTML report of the pilot's runs (outside the sample repository unless kept). */
  report: string | null;
  text: string;
}

/**
 * Run the pilot in a new temporary repository.
 *
 * @param options Options.
 * @returns The transcript.
 */
export async function runPilot(options: PilotOptions): Promise<PilotResult> {
  const dir = await Deno.makeTempDir({ prefix: "keel-pilot-" });
  const steps: PilotStep[] = [];
  let firstRun: PilotResult["first_run"] = null;
  const levels: Record<string, string> = {};
  let report: string | null = null;
  const out: string[] = [];
  const say = (text: string) => {
    out.push(text);
    // deno-lint-ignore no-console
    if (options.live) console.log(text);
  };
  let n = 0;
  async function step(
    title: string,
    argv: string[],
    expected: number,
    note: string,
    options: { maxLines?: number; more?: string } = {},
  ): Promise<void> {
    n++;
    say(`\n${n}. ${title}`);
    say(`   $ keel ${_shellWords(argv)}`);
    const lines: string[] = [];
    const io: CliIo = {
      out: (t) => lines.push(t),
      err: (t) => lines.push(t),
      raw: (chunk) => lines.push(new TextDecoder().decode(chunk).replace(/\n$/, "")),
    };
    const exit = await main(_withRepo(argv, dir), io);
    const all = lines.join("\n").split("\n");
    const shown = options.maxLines === undefined ? all : all.slice(0, options.maxLines);
    for (const l of shown) say(`   │ ${l}`);
    if (shown.length < all.length) {
      say(
        `   │ … ${all.length - shown.length} more lines${options.more ? ` (${options.more})` : ""}`,
      );
    }
    say(`   exit ${exit}${exit === expected ? "" : `  (expected ${expected}!)`} — ${note}`);
    steps.push({
      title,
      command: `keel ${_shellWords(argv)}`,
      exit,
      expected_exit: expected,
      note,
    });
  }
  async function query(argv: string[]): Promise<Record<string, unknown> | null> {
    const lines: string[] = [];
    const io: CliIo = { out: (t) => lines.push(t), err: () => {}, raw: () => {} };
    await main(_withRepo([...argv, "--json"], dir), io);
    try {
      return JSON.parse(lines.join("\n"));
    } catch {
      return null;
    }
  }
  async function quiet(argv: string[]): Promise<number> {
    const io: CliIo = { out: () => {}, err: () => {}, raw: () => {} };
    return await main(_withRepo(argv, dir), io);
  }
  async function _cleanRun(repo: string, n: number): Promise<void> {
    await quiet(["run", "start", "--agent", "pilot-agent", "--session", `pilot-session-${n}`]);
    await agentCommit(
      repo,
      { "src/stats.ts": STATS_WITH_FREQUENCY + `// run ${n}\n` },
      `Tidy stats (run ${n})\n\nKeel-Unit: impl\n`,
    );
    await agentCommit(
      repo,
      { "tests/stats_test.ts": TESTS_WITH_FREQUENCY + `// run ${n}\n` },
      `Test wordFrequency (run ${n})\n\nKeel-Unit: test\n`,
    );
    await quiet(["run", "exec", "frequency-exported", "--", ...SH_TEST_EXPORTED]);
    await quiet(["run", "exec", "frequency-tested", "--", ...SH_TEST_TESTED]);
    const code = await quiet(["run", "finish"]);
    await quiet(["retro"]);
    say(`   run ${n}: ${code === 0 ? "aligned" : "drifted"}`);
  }
  async function _driftingRun(repo: string, n: number): Promise<void> {
    await quiet(["run", "start", "--agent", "pilot-agent", "--session", `pilot-session-${n}`]);
    await agentCommit(
      repo,
      { "src/stats.ts": STATS_WITH_FREQUENCY + `// run ${n}\n` },
      `Tweak stats (run ${n})\n\nKeel-Unit: impl\n`,
    );
    await agentCommit(
      repo,
      { "README.md": `# textstats\n\nNow with wordFrequency (run ${n}).\n` },
      `Update README (run ${n})\n`,
    );
    await quiet(["run", "exec", "frequency-exported", "--", ...SH_TEST_EXPORTED]);
    await quiet(["run", "exec", "frequency-tested", "--", ...SH_TEST_TESTED]);
    const code = await quiet(["run", "finish"]);
    await quiet(["retro"]);
    say(`   run ${n}: ${code === 0 ? "aligned" : "drifted"} (README.md is forbidden)`);
  }
  async function _docsRun(repo: string): Promise<void> {
    await quiet(["init", "docs"]);
    await _writeContract(repo, "docs", DOCS_CONTRACT);
    await quiet(["approve", "all", "--by", "maintainer", "--contract", "docs"]);
    await sampleGit(repo, ["add", ".keel"]);
    await sampleGit(repo, ["commit", "-qm", "Contract: docs"]);
    await quiet(["run", "start", "--contract", "docs", "--agent", "pilot-agent"]);
    await agentCommit(
      repo,
      { "docs/usage.md": DOCS_WITH_FREQUENCY + "\nSee also wordCount.\n" },
      "Docs: usage\n\nKeel-Unit: usage\n",
    );
    await quiet(["run", "exec", "usage-mentions", "--contract", "docs", "--", ...SH_TEST_DOCS]);
    const code = await quiet(["run", "finish", "--contract", "docs"]);
    await quiet(["retro"]);
    say(`   docs run: ${code === 0 ? "aligned" : "drifted"}`);
  }
  try {
    say("keel pilot — the drift loop on a sample repository (textstats)");
    say(`repository: ${dir}`);
    await createSampleRepo(dir);

    await step("The maintainer drafts a contract", ["init"], 0, "three draft artifacts");
    await _writeContract(dir);
    say("\n   (the maintainer fills in goal, scope, tests and two planned units)");
    await step("Validation checks the contract", ["validate"], 0, "schema, scope, ids, cycles");
    await step(
      "The gate refuses a run before approval",
      ["run", "start"],
      1,
      "CONTRACT_NOT_APPROVED names all three artifacts",
    );
    await step(
      "The maintainer approves; each approval is bound to a content digest",
      ["approve", "all", "--by", "maintainer"],
      0,
      "approved",
    );
    await sampleGit(dir, ["add", ".gitattributes", ".keel"]);
    await sampleGit(dir, ["commit", "-qm", "Contract: wordFrequency"]);
    say("\n   (the approved contract is committed: contracts travel with the branch)");
    await step(
      "Now the run may start; keel stamps branch, base commit, session",
      ["run", "start", "--agent", "pilot-agent", "--session", "pilot-session-1"],
      0,
      "run is active",
    );

    say("\n   (the agent commits wordFrequency with a `Keel-Unit: impl` trailer)");
    await agentCommit(
      dir,
      { "src/stats.ts": STATS_WITH_FREQUENCY },
      "Add wordFrequency\n\nKeel-Unit: impl\n",
    );
    await step(
      "The agent runs a required test through keel: the contract's own command",
      ["run", "exec", "frequency-exported"],
      0,
      "provenance: source exec, argv, exit code, duration, evidence file and its sha256",
    );
    say(
      "\n   (then it also edits docs/usage.md — outside the approved scope — in an unplanned commit,",
    );
    say("    and skips the second required test)");
    await agentCommit(dir, { "docs/usage.md": DOCS_WITH_FREQUENCY }, "Document wordFrequency\n");
    await step(
      "The agent records the skipped test",
      ["run", "record", "frequency-tested", "--status", "skipped", "--note", "ran out of time"],
      0,
      "recorded (a skipped required test is not a run test)",
    );
    await step(
      "Finishing the run compares planned against actual",
      ["run", "finish"],
      1,
      "drifted: out-of-scope file, unplanned commit, missing unit, required test not run",
    );

    const drift = await query(["drift"]);
    const scope = (drift?.findings as { id: string; code: string }[] | undefined)?.find((f) =>
      f.code === "SCOPE_FILE_OUTSIDE_ALLOWED"
    );
    await step(
      "The maintainer accepts one deviation, with a rationale",
      [
        "deviation",
        "accept",
        scope?.id ?? "F?",
        "--why",
        "Documenting the new function is welcome",
        "--by",
        "maintainer",
      ],
      0,
      "accepted; the other findings stay open",
    );
    const after = await query(["drift"]);
    firstRun = {
      verdict: after?.verdict ?? null,
      findings: ((after?.findings ?? []) as { code: string }[]).map((f) => f.code),
      accepted: ((after?.deviations ?? []) as { code: string }[]).map((d) => d.code),
    };
    await step(
      "The retrospective writes summary.md and appends the lessons",
      ["retro"],
      0,
      "one lessons.jsonl line per plan-vs-actual delta",
      { maxLines: 24, more: "the whole summary is in .keel/runs/<id>/summary.md" },
    );
    await step(
      "Anyone can verify the finished run was not edited after the fact",
      ["verify"],
      0,
      "seal, evidence sha256s, commits in the recorded range, approved snapshot",
    );

    say("\n   (two more feature runs follow: one clean, one that drifts out of scope again)");
    await _cleanRun(dir, 2);
    await _driftingRun(dir, 3);
    say("\n   (and one run in another domain, docs, under its own contract)");
    await _docsRun(dir);

    await step(
      "Lessons read back, filtered by domain",
      ["lessons", "--domain", "feature"],
      0,
      "what earlier runs taught",
      { maxLines: 16, more: "keel lessons --json lists them all" },
    );
    await step(
      "Trust metrics per domain recommend how much to delegate",
      ["trust", "--window", "10"],
      0,
      "computed from recorded facts only; written to .keel/trust_metrics.json",
    );

    const trust = await query(["trust"]);
    type Scope = { scope: string; delegation: { level: string } };
    for (const s of [...((trust?.domains ?? []) as Scope[]), trust?.overall as Scope]) {
      if (s) levels[s.scope] = s.delegation.level;
    }
    await _editIntent(dir);
    say("\n   (someone edits intent.json after approval: adds docs/** to allowed_files)");
    await step(
      "Status shows the edit: the intent is stale",
      ["status"],
      0,
      "stale is not approved",
    );
    await step(
      "And the gate refuses the next run until the maintainer approves again",
      ["run", "start"],
      1,
      "CONTRACT_STALE names intent.json",
    );
    report = options.keep
      ? join(dir, "keel-report.html")
      : await Deno.makeTempFile({ prefix: "keel-pilot-report-", suffix: ".html" });
    const wrote = await quiet(["report", "--history", "-o", report]);
    if (wrote === 0) say(`\nThe HTML report of the pilot's runs: ${report}`);
    else {
      say(`\nThe HTML report could not be written (exit ${wrote}).`);
      report = null;
    }
    say(
      options.keep
        ? `\nThe sample repository is kept at ${dir}`
        : "\nDone. (Pass --keep to keep the sample repository.)",
    );
  } finally {
    if (!options.keep) await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  return {
    repository: dir,
    steps,
    first_run: firstRun,
    levels,
    report,
    text: options.live ? "" : out.join("\n"),
  };
}

async function _writeContract(
  dir: string,
  name = "default",
  c: ContractContent = FEATURE_CONTRACT,
): Promise<void> {
  const base = join(dir, ".keel", "contracts", name);
  const edit = async (file: string, fn: (v: Record<string, unknown>) => void) => {
    const path = join(base, file);
    const value = JSON.parse(await Deno.readTextFile(path));
    fn(value);
    await Deno.writeTextFile(path, JSON.stringify(value, null, 2) + "\n");
  };
  await edit("intent.json", (v) => Object.assign(v, structuredClone(c.intent)));
  await edit("test_contract.json", (v) => (v.tests = structuredClone(c.tests)));
  await edit("commit_plan.json", (v) => (v.units = structuredClone(c.units)));
}

/** `--repo DIR` goes before a `--` separator (after it, arguments belong to the test command). */
function _withRepo(argv: string[], dir: string): string[] {
  const i = argv.indexOf("--");
  return i < 0 ? [...argv, "--repo", dir] : [...argv.slice(0, i), "--repo", dir, ...argv.slice(i)];
}

function _shellWords(argv: string[]): string {
  return argv.map((a) => /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`).join(
    " ",
  );
}

async function _editIntent(dir: string): Promise<void> {
  const path = join(dir, ".keel", "contracts", "default", "intent.json");
  const value = JSON.parse(await Deno.readTextFile(path));
  value.allowed_files = [...value.allowed_files, "docs/**"];
  await Deno.writeTextFile(path, JSON.stringify(value, null, 2) + "\n");
}
