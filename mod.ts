/**
 * keel as a library: the core operations (the same ones the CLI and the
 * JSON-RPC server call), the artifact schemas, and the error model.
 *
 * Every operation takes its params and an {@link OpContext} and returns the
 * JSON document that `keel <command> --json` prints.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isKeelError, systemClock, validateOp } from "./mod.ts";
 * const ctx = { cwd: Deno.cwd(), clock: systemClock, env: {}, gitBackend: "auto" as const };
 * // An unknown contract is a KeelError with a stable code, never a crash.
 * const error = await validateOp({ contract: "no-such-contract" }, ctx).catch((e) => e);
 * assert(isKeelError(error));
 * ```
 *
 * @module
 */

export * from "./core/errors.ts";
export type { GitBackendName, OpContext } from "./core/context.ts";
export { BUILD_COMMIT, VERSION, versionLine } from "./core/version.ts";
export { fixedClock, systemClock, ulid } from "./core/util/mod.ts";
export type { Clock } from "./core/util/mod.ts";
export * as schemas from "./schemas/mod.ts";
export { getSchemaDocument } from "./core/schema_registry.ts";
export {
  approveOp,
  ApproveParams,
  initOp,
  InitParams,
  statusOp,
  StatusParams,
  validateContract,
  validateOp,
  ValidateParams,
} from "./core/contract/mod.ts";
export * as run from "./core/run/mod.ts";
export * as drift from "./core/drift/mod.ts";
export * as retro from "./core/retro/mod.ts";
export * as trust from "./core/trust/mod.ts";
export * as mission from "./core/mission/mod.ts";
export * as gates from "./core/gates/mod.ts";
export * as git from "./core/git/mod.ts";
