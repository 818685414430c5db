/**
 * From a command's working directory and a mission handle to the loaded mission.
 *
 * @module
 */

import { findKittySpecs } from "./find_kitty_specs.ts";
import { loadMission, type LoadMissionOptions, type Mission } from "./load_mission.ts";
import { resolveMission } from "./resolve_mission.ts";

/**
 * Find `kitty-specs/` from `cwd`, resolve the handle and read the mission.
 *
 * @param cwd The working directory (the repository or below it).
 * @param handle A slug, a mission_id or its unique 8-character prefix.
 * @param options How much of the WP frontmatter to read.
 * @returns The mission.
 * @throws {KeelError} `KITTY_SPECS_NOT_FOUND`, `MISSION_NOT_FOUND`,
 *   `MISSION_AMBIGUOUS`, and whatever {@link loadMission} throws.
 */
export async function openMission(
  cwd: string,
  handle: string,
  options: LoadMissionOptions = {},
): Promise<Mission> {
  const kittySpecs = await findKittySpecs(cwd);
  const ref = await resolveMission(kittySpecs, handle);
  return await loadMission(ref.dir, options);
}
