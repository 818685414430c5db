/**
 * Mission handles: a slug (the folder name), a `mission_id` ULID, or the
 * ULID's unique 8-character prefix.
 *
 * @module
 */

import { join } from "../util/posix_path.ts";
import { KeelError } from "../errors.ts";
import { readRegularText, wrongKindError } from "../store/safe_file.ts";
import { assertInsideRoot } from "../util/paths.ts";

/** A resolved mission folder. */
export interface MissionRef {
  /** The mission slug (folder name). */
  slug: string;
  /** Absolute path of `kitty-specs/<slug>`. */
  dir: string;
}

/** One mission folder and its id, as listed by {@link listMissionFolders}. */
export interface MissionFolder {
  /** Folder name. */
  slug: string;
  /** `meta.json` `mission_id`, or `null` when absent or unreadable. */
  mission_id: string | null;
}

/**
 * List the mission folders of a `kitty-specs` folder (sorted by name) with
 * their `mission_id`.
 *
 * @param kittySpecsDir Absolute path of `kitty-specs`.
 * @returns The folders.
 */
export async function listMissionFolders(kittySpecsDir: string): Promise<MissionFolder[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(kittySpecsDir)) {
    if (entry.isDirectory && !entry.name.startsWith(".")) names.push(entry.name);
  }
  names.sort(_byCodePoint);
  return await Promise.all(names.map(async (slug) => ({
    slug,
    mission_id: await _missionIdOf(join(kittySpecsDir, slug)),
  })));
}

function _byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function _missionIdOf(dir: string): Promise<string | null> {
  try {
    const meta = JSON.parse((await readRegularText(join(dir, "meta.json"))) ?? "");
    return meta !== null && typeof meta === "object" && typeof meta.mission_id === "string" &&
        meta.mission_id !== ""
      ? meta.mission_id
      : null;
  } catch {
    return null;
  }
}

/**
 * The mission folder and the files keel reads or writes in it must not lead
 * out of the repository, and the folder itself must be a real folder: a
 * symlinked mission folder (an alias) would give one mission two names, two
 * locks and two identities, so it is refused.
 */
function _inside(kittySpecsDir: string, slug: string): MissionRef {
  const root = join(kittySpecsDir, "..");
  const dir = join(kittySpecsDir, slug);
  for (const sub of ["", "/status.events.jsonl", "/meta.json", "/lanes.json", "/tasks"]) {
    assertInsideRoot(root, dir + sub, `kitty-specs/${slug}${sub}`);
  }
  assertRealMissionFolder(dir);
  return { slug, dir };
}

/**
 * Refuse a mission folder that is a symlink (or not a folder).
 *
 * @param dir Absolute path of `kitty-specs/<slug>`.
 * @throws {KeelError} `PATH_SYMLINK_REFUSED`, `PATH_NOT_REGULAR_FILE`.
 */
export function assertRealMissionFolder(dir: string): void {
  let info: Deno.FileInfo;
  try {
    info = Deno.lstatSync(dir);
  } catch {
    return;
  }
  if (info.isSymlink) throw wrongKindError(dir, "symlink", "directory");
  if (!info.isDirectory) throw wrongKindError(dir, info.isFile ? "file" : "other", "directory");
}

async function _isDir(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}

/**
 * Resolve a mission handle inside a `kitty-specs` folder. A handle that is a
 * path (contains `/`, `\` or `..`) is refused without touching the disk.
 *
 * @param kittySpecsDir Absolute path of `kitty-specs`.
 * @param handle A slug, a `mission_id`, or a unique 8-character id prefix.
 * @returns The mission folder.
 * @throws {KeelError} `MISSION_NOT_FOUND` `{handle, candidates}` (candidates:
 *   every mission slug) when nothing matches; `MISSION_AMBIGUOUS`
 *   `{handle, candidates: [{slug, mission_id}]}` when several missions match;
 *   `PATH_OUTSIDE_REPO` when the mission folder (or its log, meta, lanes or
 *   tasks) is a symlink out of the repository.
 */
export async function resolveMission(kittySpecsDir: string, handle: string): Promise<MissionRef> {
  const h = handle.trim();
  if (
    h === "" || h === "." || h.includes("/") || h.includes("\\") || h.includes("..") ||
    h.includes("\0")
  ) {
    throw new KeelError("MISSION_NOT_FOUND", `No mission matches ${JSON.stringify(handle)}`, {
      data: { handle, candidates: [] },
    });
  }
  if (!h.startsWith(".") && await _isDir(join(kittySpecsDir, h))) {
    return _inside(kittySpecsDir, h);
  }
  const folders = await listMissionFolders(kittySpecsDir);
  const upper = h.toUpperCase();
  let matches = folders.filter((f) =>
    f.mission_id !== null && f.mission_id.toUpperCase() === upper
  );
  if (matches.length === 0 && h.length === 8) {
    matches = folders.filter((f) =>
      f.mission_id !== null && f.mission_id.toUpperCase().startsWith(upper)
    );
  }
  if (matches.length === 1) {
    return _inside(kittySpecsDir, matches[0]!.slug);
  }
  if (matches.length > 1) {
    throw new KeelError(
      "MISSION_AMBIGUOUS",
      `The handle ${JSON.stringify(handle)} matches ${matches.length} missions: ${
        matches.map((m) => m.slug).join(", ")
      }`,
      { data: { handle, candidates: matches } },
    );
  }
  throw new KeelError("MISSION_NOT_FOUND", `No mission matches ${JSON.stringify(handle)}`, {
    data: { handle, candidates: folders.map((f) => f.slug) },
  });
}
