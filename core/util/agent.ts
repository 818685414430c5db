/**
 * Agent names (the actor of mission events): one rule for the CLI, RPC and MCP.
 *
 * @module
 */

import { KeelError } from "../errors.ts";

/**
 * Check an agent name: a blank or whitespace-only name would match every
 * holder of a claim and record an event under no one, so it is refused.
 * Surrounding whitespace is trimmed.
 *
 * @param agent The name as given.
 * @param option How the CLI spells the option (for the message).
 * @returns The trimmed name.
 * @throws {KeelError} `USAGE` when the name is blank.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { requireAgent } from "./agent.ts";
 * assert.equal(requireAgent(" alice "), "alice");
 * assert.throws(() => requireAgent("  "), { code: "USAGE" });
 * ```
 */
export function requireAgent(agent: string, option = "--agent"): string {
  const name = agent.trim();
  if (name === "") {
    throw new KeelError("USAGE", `${option} must name an agent (it is blank)`, { data: {} });
  }
  return name;
}
