/**
 * Value checks of an operation's params, in one place for every front end:
 * an operation checks its own params (with its zod schema, or with
 * {@link checkParams} where the operation is kept free of zod for start-up),
 * and the RPC server maps a schema failure through {@link invalidParams}
 * too. So the same bad value (empty, blank, wrong type, out of range, not
 * one of the choices, unknown name) is `USAGE` (exit 2) with
 * `data.issues` on the CLI, over JSON-RPC (error -32602) and as an MCP tool
 * error. This file loads no zod.
 *
 * @module
 */

import { KeelError } from "./errors.ts";

/** One reason params are invalid: where (a path of keys) and why. */
export interface ParamIssue {
  /** Keys from the params object to the bad value (empty: the params themselves). */
  path: string[];
  /** What is wrong. */
  message: string;
}

/** The message of a string that is empty or only whitespace. */
export const BLANK_MESSAGE = "must not be empty or blank";

/**
 * The error for invalid params.
 *
 * @param issues Every problem found.
 * @returns A `USAGE` error with `data.issues`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { invalidParams } from "./params.ts";
 * const e = invalidParams([{ path: ["mission"], message: "must not be empty or blank" }]);
 * assert.equal(e.code, "USAGE");
 * assert.equal(e.message, "Invalid params: mission: must not be empty or blank");
 * ```
 */
export function invalidParams(issues: readonly ParamIssue[]): KeelError {
  const list = issues.map((i) => `${i.path.join(".") || "params"}: ${i.message}`).join("; ");
  return new KeelError("USAGE", `Invalid params: ${list}`, {
    data: { issues: issues.map((i) => ({ path: [...i.path], message: i.message })) },
  });
}

/** What {@link parseParams} needs of a schema (a zod schema has it; typed here without zod). */
export interface ParamsSchema<T> {
  safeParse(input: unknown):
    | { success: true; data: T }
    | {
      success: false;
      error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] };
    };
}

/**
 * Check params against an operation's schema.
 *
 * @param schema The operation's params schema.
 * @param input The params as given.
 * @returns The parsed params.
 * @throws {KeelError} `USAGE` with `data.issues` when they do not match.
 */
export function parseParams<T>(schema: ParamsSchema<T>, input: unknown): T {
  const r = schema.safeParse(input ?? {});
  if (r.success) return r.data;
  throw invalidParams(r.error.issues.map((i) => ({
    path: i.path.map(String),
    message: i.message,
  })));
}

/** A field rule of {@link checkParams}; `?` marks an optional field. */
export type FieldRule = "name" | "name?" | "boolean?" | "string?";

/**
 * Check params by hand-written rules (no zod): for the operations the CLI
 * runs at start-up. Their zod schemas (for RPC and MCP) say the same.
 *
 * @param input The params as given.
 * @param rules Every accepted field and its rule; other fields are refused.
 * @throws {KeelError} `USAGE` with `data.issues` when a value does not fit.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkParams } from "./params.ts";
 * checkParams({ mission: "m1" }, { mission: "name", agent: "name?" });
 * assert.throws(
 *   () => checkParams({ mission: " " }, { mission: "name" }),
 *   (e: Error & { code?: string }) => e.code === "USAGE",
 * );
 * ```
 */
export function checkParams(input: unknown, rules: Readonly<Record<string, FieldRule>>): void {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw invalidParams([{
      path: [],
      message: `Invalid input: expected object, received ${_kind(input)}`,
    }]);
  }
  const issues: ParamIssue[] = [];
  const values = input as Record<string, unknown>;
  const unknown = Object.keys(values).filter((k) => !Object.hasOwn(rules, k));
  if (unknown.length > 0) {
    issues.push({
      path: [],
      message: `Unrecognized key${unknown.length > 1 ? "s" : ""}: ${
        unknown.map((k) => `"${k}"`).join(", ")
      }`,
    });
  }
  for (const [key, rule] of Object.entries(rules)) {
    const v = values[key];
    const optional = rule.endsWith("?");
    if (v === undefined) {
      if (!optional) {
        issues.push({ path: [key], message: "Invalid input: expected string, received undefined" });
      }
      continue;
    }
    const type = rule.replace("?", "") === "boolean" ? "boolean" : "string";
    if (type === "boolean" ? typeof v !== "boolean" : typeof v !== "string") {
      issues.push({
        path: [key],
        message: `Invalid input: expected ${type}, received ${_kind(v)}`,
      });
    } else if (rule.startsWith("name") && (v as string).trim() === "") {
      issues.push({ path: [key], message: BLANK_MESSAGE });
    }
  }
  if (issues.length > 0) throw invalidParams(issues);
}

function _kind(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}
