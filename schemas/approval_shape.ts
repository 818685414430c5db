/**
 * The shape of the approval block, checked without zod: what `keel status`
 * uses to trust an approved artifact without loading the schemas. It agrees
 * with the {@link Approval} schema in `approval.ts` (the source of truth);
 * `approval_shape_test.ts` pins the two together.
 *
 * @module
 */

import type { Approval } from "./approval.ts";

const KEYS = new Set([
  "state",
  "by",
  "at",
  "digest",
  "checklist",
  "proposed_at",
  "git_user",
  "os_user",
  "placeholders_allowed",
]);
const DIGEST = /^[0-9a-f]{64}$/;

function _object(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function _keys(v: Record<string, unknown>, allowed: ReadonlySet<string>): boolean {
  for (const k in v) if (!allowed.has(k)) return false;
  return true;
}

function _stringOrNull(v: unknown): boolean {
  return v === null || typeof v === "string";
}

const ITEM_KEYS = new Set(["id", "label", "ok"]);
const USER_KEYS = new Set(["name", "email"]);

/**
 * Whether a value is a valid approval block (exactly what the `Approval`
 * schema accepts).
 *
 * @param v A parsed JSON value.
 * @returns True when the `Approval` schema would accept it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isApprovalBlock } from "./approval_shape.ts";
 * assert.equal(isApprovalBlock({ state: "draft", by: null, at: null, digest: null, checklist: [] }), true);
 * assert.equal(isApprovalBlock({ state: "approved", by: 5, at: null, digest: null, checklist: [] }), false);
 * ```
 */
export function isApprovalBlock(v: unknown): v is Approval {
  if (!_object(v) || !_keys(v, KEYS)) return false;
  if (v.state !== "draft" && v.state !== "approved") return false;
  if (!_stringOrNull(v.by) || !_stringOrNull(v.at)) return false;
  if (v.digest !== null && !(typeof v.digest === "string" && DIGEST.test(v.digest))) return false;
  if (!Array.isArray(v.checklist)) return false;
  for (const item of v.checklist) {
    if (!_object(item) || !_keys(item, ITEM_KEYS)) return false;
    if (typeof item.id !== "string" || typeof item.label !== "string") return false;
    if (typeof item.ok !== "boolean") return false;
  }
  if ("proposed_at" in v && !_stringOrNull(v.proposed_at)) return false;
  if ("git_user" in v && v.git_user !== null) {
    const u = v.git_user;
    if (!_object(u) || !_keys(u, USER_KEYS)) return false;
    if (!("name" in u) || !("email" in u)) return false;
    if (!_stringOrNull(u.name) || !_stringOrNull(u.email)) return false;
  }
  if ("os_user" in v && !_stringOrNull(v.os_user)) return false;
  if ("placeholders_allowed" in v && typeof v.placeholders_allowed !== "boolean") return false;
  return true;
}
