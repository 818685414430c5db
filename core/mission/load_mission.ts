/**
 * Read one mission folder: `meta.json`, `tasks/WP*.md`, the reduced event log
 * and the state of `lanes.json`. Reading never writes anything (spec-kitty
 * rewrites `status.json` on reads; keel does not, and never trusts it).
 *
 * @module
 */

import { basename, dirname, join } from "../util/posix_path.ts";
import { KeelError } from "../errors.ts";
import { lkind, readRegularText, readRegularTextSync, wrongKindError } from "../store/safe_file.ts";
import { assertRealMissionFolder } from "./resolve_mission.ts";
import { type LanesStatus, parseLanesJson } from "./lanes.ts";
import { reduceEvents, type StatusSnapshot } from "./reduce_events.ts";
import { parseWpFile, type WpFile } from "./wp_files.ts";

/** A mission as read from disk. */
export interface Mission {
  /** The mission slug (folder name). */
  slug: string;
  /** Absolute path of the mission folder. */
  dir: string;
  /** Absolute path of the `kitty-specs` folder. */
  kittySpecsDir: string;
  /** Absolute path of the folder that holds `kitty-specs` (the repository root). */
  repoRoot: string;
  /** Repository-relative path of the mission folder (`kitty-specs/<slug>`). */
  repoRelDir: string;
  /** `meta.json` as parsed. */
  meta: Record<string, unknown>;
  /** `meta.json` `mission_id` when it is a non-empty string, else `null`. */
  missionId: string | null;
  /** Whether `tasks/` is a folder. */
  hasTasksDir: boolean;
  /** Whether `tasks.md` is a file. */
  hasTasksMd: boolean;
  /** Every `tasks/WP*.md` file, in file-name order. */
  wps: WpFile[];
  /** Whether `status.events.jsonl` exists. */
  eventLogPresent: boolean;
  /** The snapshot reduced from the event log (empty when there is no log). */
  snapshot: StatusSnapshot;
  /** `lanes.json`: ok, missing, or invalid with the reason. */
  lanes: LanesStatus;
}

/** Largest mission file read (WP files, meta.json, lanes.json): 8 MiB. */
export const MAX_MISSION_FILE_BYTES = 8 * 1024 * 1024;

/** Largest event log read: 512 MiB. */
export const MAX_EVENT_LOG_BYTES = 512 * 1024 * 1024;

/**
 * Read a mission file: only a regular file (a symlink, FIFO or device is
 * refused, never read), up to a cap; a missing file is `null`.
 */
function _readOptional(path: string, maxBytes = MAX_MISSION_FILE_BYTES): Promise<string | null> {
  return readRegularText(path, { maxBytes });
}

async function _kind(path: string): Promise<"file" | "dir" | null> {
  const kind = await lkind(path);
  return kind === "directory" ? "dir" : kind === "file" ? "file" : null;
}

/**
 * Read the mission event log and reduce it (an absent log is an empty snapshot).
 *
 * @param dir Absolute path of the mission folder.
 * @param repoRelDir Repository-relative mission folder (for error paths).
 * @returns Whether the log exists and the snapshot.
 * @throws {KeelError} `EVENT_LOG_CORRUPT` for an unreadable line.
 */
export async function readMissionSnapshot(
  dir: string,
  repoRelDir: string,
): Promise<{ present: boolean; snapshot: StatusSnapshot }> {
  const text = await _readOptional(join(dir, "status.events.jsonl"), MAX_EVENT_LOG_BYTES);
  return {
    present: text !== null,
    snapshot: reduceEvents(text ?? "", {
      path: `${repoRelDir}/status.events.jsonl`,
      tail: "in_flight",
    }),
  };
}

/** Options for {@link loadMission}. */
export interface LoadMissionOptions {
  /** How WP frontmatter is read (see `parseWpFile`); default `full`. */
  read?: "full" | "light";
  /**
   * Read the event log synchronously (same checks and caps): cheaper in a
   * one-shot process, where nothing else waits on the event loop.
   */
  syncLog?: boolean;
}

/**
 * Read a mission folder. The event log is read without the mission lock, so
 * a final line still being appended by another process (no newline, not
 * valid JSON yet) is left out rather than called corrupt.
 *
 * @param dir Absolute path of `kitty-specs/<slug>`.
 * @param options How WP frontmatter is read.
 * @returns The mission.
 * @throws {KeelError} `MISSION_META_INVALID` `{path, reason}` when `meta.json`
 *   is missing or not a JSON object; `EVENT_LOG_CORRUPT` for a bad event line;
 *   `WP_FRONTMATTER_INVALID` for a WP file whose YAML cannot be parsed;
 *   `PATH_SYMLINK_REFUSED` / `PATH_NOT_REGULAR_FILE` / `FILE_TOO_LARGE` for a
 *   mission file (or the folder) that is a symlink, not a regular file, or too large.
 */
export async function loadMission(
  dir: string,
  options: LoadMissionOptions = {},
): Promise<Mission> {
  assertRealMissionFolder(dir);
  const slug = basename(dir);
  const kittySpecsDir = dirname(dir);
  const repoRelDir = `${basename(kittySpecsDir)}/${slug}`;
  const metaPath = `${repoRelDir}/meta.json`;
  const tasksDir = join(dir, "tasks");
  const [metaText, lanesText, tasksMdKind, logText, wpNames] = await Promise.all([
    _readOptional(join(dir, "meta.json")),
    _readOptional(join(dir, "lanes.json")),
    _kind(join(dir, "tasks.md")),
    options.syncLog === true
      // In a microtask, after the other reads are issued; a refusal rejects like theirs.
      ? Promise.resolve().then(() =>
        readRegularTextSync(join(dir, "status.events.jsonl"), { maxBytes: MAX_EVENT_LOG_BYTES })
      )
      : _readOptional(join(dir, "status.events.jsonl"), MAX_EVENT_LOG_BYTES),
    _listWpFiles(tasksDir),
  ]);
  const log = {
    present: logText !== null,
    snapshot: reduceEvents(logText ?? "", {
      path: `${repoRelDir}/status.events.jsonl`,
      tail: "in_flight",
    }),
  };
  if (metaText === null) {
    throw new KeelError("MISSION_META_INVALID", `Cannot read ${metaPath}: missing`, {
      data: { path: metaPath, reason: "missing" },
    });
  }
  let meta: unknown;
  try {
    meta = JSON.parse(metaText);
  } catch (error) {
    const reason = `invalid JSON: ${(error as Error).message}`;
    throw new KeelError("MISSION_META_INVALID", `Cannot read ${metaPath}: ${reason}`, {
      data: { path: metaPath, reason },
    });
  }
  if (meta === null || typeof meta !== "object" || Array.isArray(meta)) {
    throw new KeelError("MISSION_META_INVALID", `Cannot read ${metaPath}: expected an object`, {
      data: { path: metaPath, reason: "expected an object" },
    });
  }
  const metaObj = meta as Record<string, unknown>;
  const wps = wpNames === null
    ? []
    : await _parseWpFiles(_readAll(tasksDir, wpNames), options.read ?? "full");
  return {
    slug,
    dir,
    kittySpecsDir,
    repoRoot: dirname(kittySpecsDir),
    repoRelDir,
    meta: metaObj,
    missionId: typeof metaObj.mission_id === "string" && metaObj.mission_id !== ""
      ? metaObj.mission_id
      : null,
    hasTasksDir: wpNames !== null,
    hasTasksMd: tasksMdKind === "file",
    wps,
    eventLogPresent: log.present,
    snapshot: log.snapshot,
    lanes: parseLanesJson(lanesText, `${repoRelDir}/lanes.json`),
  };
}

async function _listWpFiles(tasksDir: string): Promise<string[] | null> {
  const names: string[] = [];
  const kind = await lkind(tasksDir);
  if (kind === null) return null;
  if (kind === "symlink") throw wrongKindError(tasksDir, kind, "directory");
  try {
    for await (const entry of Deno.readDir(tasksDir)) {
      if (entry.name.startsWith("WP") && entry.name.endsWith(".md") && !entry.isDirectory) {
        names.push(entry.name);
      }
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return null;
    }
    throw error;
  }
  return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Read the WP files with the synchronous safe reader: a mission has hundreds
 * of small WP files, and an asynchronous read costs about ten times the CPU
 * of a synchronous one (1,000 files: ≈ 110 ms against ≈ 12 ms).
 */
function _readAll(tasksDir: string, names: string[]): { name: string; text: string | null }[] {
  // A file removed since the listing reads as null and is skipped; a
  // symlink, FIFO or device is refused.
  return names.map((name) => ({
    name,
    text: readRegularTextSync(join(tasksDir, name), { maxBytes: MAX_MISSION_FILE_BYTES }),
  }));
}

async function _parseWpFiles(
  files: { name: string; text: string | null }[],
  read: "full" | "light",
): Promise<WpFile[]> {
  const out: WpFile[] = [];
  for (const f of files) {
    if (f.text !== null) out.push(await parseWpFile(f.name, f.text, { read }));
  }
  return out;
}
