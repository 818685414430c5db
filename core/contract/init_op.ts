/**
 * `keel init` / `contract/init`: write draft artifacts with helpful
 * placeholder content, the JSON Schemas editors need, and the
 * `.gitattributes` line that lets parallel lanes merge lessons.
 *
 * @module
 */

import { join, relative } from "../util/mod.ts";
import { z } from "zod";
import { parseParams } from "../params.ts";
import { nameParam } from "../param_schemas.ts";
import type { CommitPlan, Intent, TestContract } from "../../schemas/mod.ts";
import { jsonSchemaOf, SCHEMA_VERSION, type SchemaName, SCHEMAS } from "../../schemas/mod.ts";
import type { OpContext } from "../context.ts";
import { KeelError } from "../errors.ts";
import { atomicWriteJson, atomicWriteText } from "../store/mod.ts";
import { withLock } from "../store/mod.ts";
import {
  ARTIFACT_FILES,
  ARTIFACT_SCHEMAS,
  type ArtifactKind,
  ARTIFACTS,
  checkContractName,
  contractDir,
  DEFAULT_CONTRACT,
  KEEL_ATTRIBUTES_LINE,
  type KeelLayout,
  locateKeel,
} from "../layout/mod.ts";
import { lkind, safeReadTextFile, wrongKindError } from "../store/mod.ts";

/** Params of {@link initOp}. */
export const InitParams = z.strictObject({
  name: nameParam().optional().describe(
    "Contract name (default: default; with fromWp: <mission>-<wp>).",
  ),
  force: z.boolean().optional().describe("Overwrite existing artifacts."),
  fromWp: nameParam().optional().describe(
    "MISSION:WP — draft from a spec-kitty work package: its lane's write scope, its subtasks.",
  ),
});

/** Result of {@link initOp}. */
export interface InitResult {
  contract: string;
  created: string[];
  overwritten: string[];
  /** With `fromWp`: write-scope entries left out of `allowed_files`, and why. */
  dropped_scope?: { entry: unknown; reason: string }[];
}

/** The draft artifacts of a new contract. */
export interface DraftArtifacts {
  intent: Intent;
  tests: TestContract;
  plan: CommitPlan;
}

/**
 * The placeholder artifacts `keel init` writes.
 *
 * @param proposedAt When the draft is written.
 * @returns Draft intent, test contract and commit plan.
 */
export function draftArtifacts(proposedAt: string): DraftArtifacts {
  const approval = {
    state: "draft" as const,
    by: null,
    at: null,
    digest: null,
    checklist: [],
    proposed_at: proposedAt,
  };
  return {
    intent: {
      $schema: "../../schemas/intent.schema.json",
      schema_version: SCHEMA_VERSION,
      goal: "TODO: say in one or two sentences what this run must achieve",
      constraints: ["TODO: a rule the run must keep, e.g. 'add no runtime dependency'"],
      allowed_files: ["src/**", "tests/**"],
      forbidden_files: [".github/**"],
      risk_level: "medium",
      domain: "general",
      approval,
    },
    tests: {
      $schema: "../../schemas/test_contract.schema.json",
      schema_version: SCHEMA_VERSION,
      tests: [{
        id: "unit",
        command: "TODO: the command that runs the unit tests",
        required: true,
        gate: "finish",
        description: "The unit tests pass.",
      }],
      approval,
    },
    plan: {
      $schema: "../../schemas/commit_plan.schema.json",
      schema_version: SCHEMA_VERSION,
      units: [{
        id: "u1",
        summary: "TODO: what the first commit does",
        files: ["src/**", "tests/**"],
        tests: ["unit"],
        depends_on: [],
      }],
      approval,
    },
  };
}

/**
 * Write a new contract's draft artifacts.
 *
 * @param params `{name?, force?, fromWp?}`.
 * @param ctx Operation context.
 * @returns What was written.
 * @throws {KeelError} ARTIFACT_EXISTS (exit 4) when an artifact exists and
 *   `force` is not set; with `fromWp`: MISSION_NOT_FOUND / MISSION_AMBIGUOUS,
 *   WP_NOT_FOUND, USAGE for a reference that is not MISSION:WP.
 */
export async function initOp(
  params: z.input<typeof InitParams>,
  ctx: OpContext,
): Promise<InitResult> {
  params = parseParams(InitParams, params);
  const layout = locateKeel(ctx.cwd);
  const proposedAt = ctx.clock.now().toISOString();
  if (params.fromWp !== undefined) {
    const { loadDraftsFromWp } = await import("./drafts_from_wp.ts");
    const fromWp = await loadDraftsFromWp(ctx.cwd, { ref: params.fromWp, proposedAt });
    const name = checkContractName(params.name ?? fromWp.name);
    const written = await writeContract(layout, name, {
      drafts: fromWp.drafts,
      force: params.force ?? false,
    });
    return { ...written, dropped_scope: fromWp.dropped };
  }
  const name = checkContractName(params.name ?? DEFAULT_CONTRACT);
  const drafts = draftArtifacts(proposedAt);
  return await writeContract(layout, name, { drafts, force: params.force ?? false });
}

/**
 * Write a contract's artifacts (used by init and init --from-wp).
 *
 * @param layout Where .keel is.
 * @param name Contract name.
 * @param options The drafts and whether to overwrite.
 * @returns What was written.
 */
export async function writeContract(
  layout: KeelLayout,
  name: string,
  options: { drafts: DraftArtifacts; force: boolean },
): Promise<InitResult> {
  const dir = contractDir(layout, name);
  return await withLock(join(layout.keelDir, "locks", `contract-${name}.lock`), async () => {
    const existing: string[] = [];
    for (const kind of ARTIFACTS) {
      try {
        await Deno.lstat(join(dir, ARTIFACT_FILES[kind]));
        existing.push(relative(layout.root, join(dir, ARTIFACT_FILES[kind])));
      } catch {
        // not there
      }
    }
    if (existing.length > 0 && !options.force) {
      throw new KeelError(
        "ARTIFACT_EXISTS",
        `Contract "${name}" already has ${existing.join(", ")}; pass --force to overwrite`,
        { data: { paths: existing } },
      );
    }
    await writeSchemaFiles(layout);
    const created: string[] = [];
    for (const kind of ARTIFACTS) {
      const path = join(dir, ARTIFACT_FILES[kind]);
      await atomicWriteJson(path, options.drafts[kind as ArtifactKind]);
      created.push(relative(layout.root, path));
    }
    await ensureGitattributes(layout);
    await ensureKeelGitignore(layout);
    return { contract: name, created, overwritten: existing };
  });
}

/**
 * Write `.keel/schemas/*.schema.json` so the artifacts' `$schema` resolves.
 *
 * @param layout Where .keel is.
 */
export async function writeSchemaFiles(layout: KeelLayout): Promise<void> {
  const names = new Set<SchemaName>([
    ...ARTIFACTS.map((k) => ARTIFACT_SCHEMAS[k]),
    "run_report",
  ]);
  for (const name of names) {
    if (!(name in SCHEMAS)) continue;
    await atomicWriteText(
      join(layout.keelDir, "schemas", `${name}.schema.json`),
      JSON.stringify(jsonSchemaOf(name), null, 2) + "\n",
    );
  }
}

/**
 * Mark `.keel/lessons.jsonl` `merge=union` in the root `.gitattributes`.
 *
 * @param layout Where .keel is.
 */
export async function ensureGitattributes(layout: KeelLayout): Promise<void> {
  const path = join(layout.root, ".gitattributes");
  const line = KEEL_ATTRIBUTES_LINE;
  const text = await safeReadTextFile(path).catch((error) => {
    if (error instanceof Deno.errors.NotFound) return "";
    throw error;
  });
  if (text.split("\n").some((l) => l.trim() === line)) return;
  const sep = text === "" || text.endsWith("\n") ? "" : "\n";
  await atomicWriteText(path, text + sep + line + "\n");
}

/** The lines of `.keel/.gitignore`: machine-local and derived state. */
export const KEEL_GITIGNORE_LINES = ["locks/", "active/", "*.lock", "*.tmp", "trust_metrics.json"];

/**
 * Keep machine-local state (locks, active-run pointers) and derived,
 * timestamped state (`trust_metrics.json`, which two lanes would otherwise
 * conflict on) out of git; contracts, runs and lessons travel with the
 * branch. Lines missing from an existing file are appended; a file that is
 * not a regular file is left alone.
 *
 * @param layout Where .keel is.
 */
export async function ensureKeelGitignore(layout: KeelLayout): Promise<void> {
  const path = join(layout.keelDir, ".gitignore");
  const kind = await lkind(path);
  // A symlink or a non-file there is refused, never written through.
  if (kind !== null && kind !== "file") throw wrongKindError(path, kind);
  const text = kind === null ? "" : await safeReadTextFile(path);
  const have = new Set(text.split("\n").map((l) => l.trim()));
  const missing = KEEL_GITIGNORE_LINES.filter((l) => !have.has(l));
  if (missing.length === 0) return;
  const sep = text === "" || text.endsWith("\n") ? "" : "\n";
  await atomicWriteText(path, text + sep + missing.join("\n") + "\n");
}
