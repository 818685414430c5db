/**
 * Warning codes of the spec-kitty claim (`next`, `implement`, `mission
 * status`, `mission list`). They are data inside a result (`warnings[]`),
 * never thrown errors, and never change the pick or stop the claim. Never
 * rename or reuse a code.
 *
 * @module
 */

import type { CodeRegistryOf } from "../codes.ts";
import type { MissionCode } from "../../schemas/codes.ts";

/** Every warning code of the claim. */
export const MISSION_CODES = {
  BASE_COMMIT_MISSING: {
    severity: "warning",
    doc:
      "The chosen WP records a base_commit the repository does not have; it is still the pick. {code, wp_id, base_commit, message}.",
  },
  DEPENDENCY_LANE_BRANCH_MISSING: {
    severity: "warning",
    doc:
      "implement: a dependency lane's branch does not resolve (merged and deleted?), so the lane does not contain its tip.",
  },
  COORDINATION_TOPOLOGY: {
    severity: "warning",
    doc:
      "implement: the mission has a coordination branch; the lane is cut from it, but keel does not register spec-kitty's sparse checkout that hides the status files in the lane.",
  },
} as const satisfies CodeRegistryOf<MissionCode>;

/** A claim warning code. */
export type { MissionCode };
