/**
 * Read all three artifacts of a contract without throwing on bad input:
 * what could not be read becomes a finding.
 *
 * @module
 */

import { relative } from "../util/mod.ts";
import { CommitPlan, Intent, TestContract } from "../../schemas/mod.ts";
import type { Finding } from "../../schemas/run_report.ts";
import { type ArtifactRead, readArtifact } from "../artifact/mod.ts";
import {
  ARTIFACT_FILES,
  type ArtifactKind,
  artifactPath,
  ARTIFACTS,
  type KeelLayout,
} from "../layout/mod.ts";
import type { ContractArtifacts } from "./validate_contract.ts";

/** A contract as read from disk. */
export interface ContractOnDisk {
  /** Contract name. */
  name: string;
  /** Parsed artifacts (null when unreadable). */
  artifacts: ContractArtifacts;
  /** The raw read results by artifact. */
  reads: Record<ArtifactKind, ArtifactRead<unknown>>;
  /** Findings for artifacts that could not be read (codes ARTIFACT_*). */
  inputFindings: Finding[];
  /** Repo-relative path of each artifact. */
  paths: Record<ArtifactKind, string>;
}

const SCHEMA_BY_KIND = { intent: Intent, tests: TestContract, plan: CommitPlan } as const;

/**
 * Read a contract's three artifacts.
 *
 * @param layout Where .keel is.
 * @param name Contract name (must exist).
 * @returns The contract, with unreadable artifacts as findings.
 */
export async function readContract(layout: KeelLayout, name: string): Promise<ContractOnDisk> {
  const paths = {} as Record<ArtifactKind, string>;
  const reads = {} as Record<ArtifactKind, ArtifactRead<unknown>>;
  const inputFindings: Finding[] = [];
  await Promise.all(ARTIFACTS.map(async (kind) => {
    const abs = artifactPath(layout, name, kind);
    const display = relative(layout.root, abs);
    paths[kind] = display;
    const r = await readArtifact(abs, SCHEMA_BY_KIND[kind], { display });
    reads[kind] = r;
  }));
  for (const kind of ARTIFACTS) {
    const r = reads[kind];
    if (!r.ok) {
      inputFindings.push({
        code: r.error.code,
        severity: "error",
        message: r.error.message,
        evidence: r.error.data,
        location: ARTIFACT_FILES[kind],
      });
    }
  }
  const value = <T>(kind: ArtifactKind) => {
    const r = reads[kind];
    return r.ok ? r.value as T : null;
  };
  return {
    name,
    artifacts: {
      intent: value<Intent>("intent"),
      tests: value<TestContract>("tests"),
      plan: value<CommitPlan>("plan"),
    },
    reads,
    inputFindings,
    paths,
  };
}
