/**
 * The pilot's script: a maintainer and a simulated agent go through the
 * loop on the sample repository, using the real CLI commands in-process.
 *
 * @module
 */

import { join } from "node:path";
import {
  agentCommit,
  createSampleRepo,
  FEATURE_CONTRACT,
  STATS_WITH_FREQUENCY,
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
  ): Promise<void> {
    n++;
    say(`\n${n}. ${title}`);
    say(`   $ keel ${argv.join(" ")}`);
    const lines: string[] = [];
    const io: CliIo = {
      out: (t) => lines.push(t),
      err: (t) => lines.push(t),
      raw: (chunk) => lines.push(new TextDecoder().decode(chunk).replace(/\n$/, "")),
    };
    const exit = await main([...argv, "--repo", dir], io);
    for (const l of lines.join("\n").split("\n")) say(`   │ ${l}`);
    say(`   exit ${exit}${exit === expected ? "" : `  (expected ${expected}!)`} — ${note}`);
    steps.push({ title, command: `keel ${argv.join(" ")}`, exit, expected_exit: expected, note });
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
    await step(
      "Now the run may start; keel stamps branch, base commit, session",
      ["run", "start", "--agent", "pilot-agent", "--session", "pilot-session-1"],
      0,
      "run is active",
    );

    await _agentWork(dir);

    await _editIntent(dir);
    say("\n   (someone edits intent.json after approval: adds docs/** to allowed_files)");
    await step(
      "Status shows the edit: the intent is stale",
      ["status"],
      0,
      "stale is not approved",
    );
    say(
      options.keep
        ? `\nThe sample repository is kept at ${dir}`
        : "\nDone. (Pass --keep to keep the sample repository.)",
    );
  } finally {
    if (!options.keep) await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  return { repository: dir, steps, text: options.live ? "" : out.join("\n") };
}

async function _writeContract(dir: string): Promise<void> {
  const base = join(dir, ".keel", "contracts", "default");
  const edit = async (file: string, fn: (v: Record<string, unknown>) => void) => {
    const path = join(base, file);
    const value = JSON.parse(await Deno.readTextFile(path));
    fn(value);
    await Deno.writeTextFile(path, JSON.stringify(value, null, 2) + "\n");
  };
  const c = FEATURE_CONTRACT;
  await edit("intent.json", (v) => Object.assign(v, structuredClone(c.intent)));
  await edit("test_contract.json", (v) => (v.tests = structuredClone(c.tests)));
  await edit("commit_plan.json", (v) => (v.units = structuredClone(c.units)));
}

async function _agentWork(dir: string): Promise<void> {
  await agentCommit(
    dir,
    { "src/stats.ts": STATS_WITH_FREQUENCY },
    "Add wordFrequency\n\nKeel-Unit: impl\n",
  );
}

async function _editIntent(dir: string): Promise<void> {
  const path = join(dir, ".keel", "contracts", "default", "intent.json");
  const value = JSON.parse(await Deno.readTextFile(path));
  value.allowed_files = [...value.allowed_files, "docs/**"];
  await Deno.writeTextFile(path, JSON.stringify(value, null, 2) + "\n");
}
