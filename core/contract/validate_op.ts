/**
 * `keel validate` / `contract/validate`: schema and semantic checks of all
 * three artifacts of a contract.
 *
 * @module
 */

import { z } from "zod";
import { parseParams } from "../params.ts";
import { nameParam } from "../param_schemas.ts";
import type { Finding } from "../../schemas/run_report.ts";
import type { OpContext } from "../context.ts";
import { DEFAULT_CONTRACT, locateKeel, requireContract } from "./layout.ts";
import { readContract } from "./read_contract.ts";
import { validateContract } from "./validate_contract.ts";
import { lessonFindingsFor } from "./lesson_hook.ts";

/** Params of {@link validateOp}. */
export const ValidateParams = z.strictObject({
  contract: nameParam().optional().describe("Contract name (default: default)."),
});

/** Result of {@link validateOp}. */
export interface ValidateResult {
  contract: string;
  /** No error finding. */
  ok: boolean;
  /** Some artifact is missing, not JSON, or does not match its schema. */
  input_invalid: boolean;
  counts: { error: number; warning: number; info: number };
  findings: Finding[];
  paths: Record<string, string>;
}

/**
 * Validate a contract.
 *
 * @param params `{contract?}`.
 * @param ctx Operation context.
 * @returns Every finding; `ok` is false when any is an error.
 * @throws {KeelError} CONTRACT_NOT_FOUND.
 */
export async function validateOp(
  params: z.input<typeof ValidateParams>,
  ctx: OpContext,
): Promise<ValidateResult> {
  params = parseParams(ValidateParams, params);
  const layout = locateKeel(ctx.cwd);
  const name = params.contract ?? DEFAULT_CONTRACT;
  requireContract(layout, name);
  const contract = await readContract(layout, name);
  const findings = [
    ...contract.inputFindings,
    ...validateContract(contract.artifacts),
    ...(await lessonFindingsFor(layout, contract.artifacts)),
  ];
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return {
    contract: name,
    ok: counts.error === 0,
    input_invalid: contract.inputFindings.length > 0,
    counts,
    findings,
    paths: { ...contract.paths },
  };
}
