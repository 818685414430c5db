/**
 * `keel status` / `contract/status`: draft, approved or stale per artifact,
 * the active run and the latest finished run. Loads no zod when every
 * artifact is approved and unchanged (see `status_op.ts`).
 *
 * @module
 */

export { type ArtifactStatus, contractStatus, statusOp, type StatusResult } from "./status_op.ts";
export type { StatusParamsInput } from "./params.ts";
