/**
 * Contracts: stale approvals and artifacts that cannot be read.
 *
 * @module
 */

import { contractStatus, type KeelLayout, listContracts } from "../contract/mod.ts";
import { type DoctorProblem, problem } from "./codes.ts";

/**
 * Check every contract's artifacts.
 *
 * @param layout Where .keel is.
 * @returns Problems found, and how many contracts were checked.
 */
export async function checkContracts(
  layout: KeelLayout,
): Promise<{ problems: DoctorProblem[]; checked: number }> {
  const problems: DoctorProblem[] = [];
  const names = listContracts(layout);
  for (const name of names) {
    for (const a of await contractStatus(layout, name)) {
      if (a.state === "stale") {
        problems.push(problem("APPROVAL_STALE", {
          path: a.path,
          message: `${a.path}: approved by ${a.approved_by ?? "?"} at ${
            a.approved_at ?? "?"
          }, changed since`,
          explanation:
            "The artifact's content no longer matches the digest recorded at approval, so it counts as " +
            `not approved: keel run start refuses contract "${name}" until it is approved again ` +
            `(keel approve ${a.artifact} --by WHO${
              name === "default" ? "" : ` --contract ${name}`
            }).`,
          evidence: {
            contract: name,
            artifact: a.artifact,
            approved_digest: a.approved_digest,
            digest: a.digest,
            approved_by: a.approved_by,
            approved_at: a.approved_at,
          },
        }));
      } else if (a.state === "invalid") {
        problems.push(problem("ARTIFACT_UNREADABLE", {
          path: a.path,
          message: `${a.path}: ${a.error?.message ?? "cannot be read"}`,
          explanation:
            "Atomic writes never leave a partial artifact, so this file was edited by hand or by another " +
            "tool. keel validate shows the details; fix it by hand.",
          evidence: { contract: name, artifact: a.artifact, error_code: a.error?.code ?? null },
        }));
      }
    }
  }
  return { problems, checked: names.length };
}
