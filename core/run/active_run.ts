/**
 * The active run of each contract: `.keel/active/<contract>.json` holds its
 * id while the run is running.
 *
 * @module
 */

import { join } from "../util/posix_path.ts";
import type { KeelLayout } from "../contract/layout.ts";
import { KeelError } from "../errors.ts";
import { atomicWriteJson } from "../store/atomic_write.ts";
import { safeReadTextFile } from "../store/safe_file.ts";

/** The active-run pointer. */
export interface ActiveRun {
  run_id: string;
  started_at: string;
}

/**
 * Path of a contract's active-run pointer.
 *
 * @param layout Where .keel is.
 * @param contract Contract name.
 * @returns The pointer path.
 */
export function activeRunPath(layout: KeelLayout, contract: string): string {
  return join(layout.keelDir, "active", `${contract}.json`);
}

/**
 * The active run of a contract, or null.
 *
 * @param layout Where .keel is.
 * @param contract Contract name.
 * @returns The pointer, or null when no run is active.
 * @throws {KeelError} `PATH_SYMLINK_REFUSED` / `PATH_NOT_REGULAR_FILE` when
 *   the pointer is a symlink or not a regular file.
 */
export async function readActiveRun(
  layout: KeelLayout,
  contract: string,
): Promise<ActiveRun | null> {
  try {
    const v = JSON.parse(await safeReadTextFile(activeRunPath(layout, contract)));
    if (v && typeof v.run_id === "string") return { run_id: v.run_id, started_at: v.started_at };
    return null;
  } catch (error) {
    // A pointer that is a symlink or a special file is refused, not ignored.
    if (error instanceof KeelError) throw error;
    return null;
  }
}

/**
 * Set the active run (caller holds the contract's run lock).
 *
 * @param layout Where .keel is.
 * @param contract Contract name.
 * @param active The pointer.
 */
export async function writeActiveRun(
  layout: KeelLayout,
  contract: string,
  active: ActiveRun,
): Promise<void> {
  await atomicWriteJson(activeRunPath(layout, contract), active);
}

/**
 * Clear the active run (caller holds the contract's run lock).
 *
 * @param layout Where .keel is.
 * @param contract Contract name.
 */
export async function clearActiveRun(layout: KeelLayout, contract: string): Promise<void> {
  await Deno.remove(activeRunPath(layout, contract)).catch(() => {});
}

/**
 * Path of the lock that serialises run start/finish of a contract.
 *
 * @param layout Where .keel is.
 * @param contract Contract name.
 * @returns The lock path.
 */
export function runLockPath(layout: KeelLayout, contract: string): string {
  return join(layout.keelDir, "locks", `run-${contract}.lock`);
}

/**
 * The active run's contract when exactly one contract has an active run —
 * used when a command names no contract and no run.
 *
 * @param layout Where .keel is.
 * @returns Active runs by contract.
 */
export async function listActiveRuns(
  layout: KeelLayout,
): Promise<{ contract: string; active: ActiveRun }[]> {
  const out: { contract: string; active: ActiveRun }[] = [];
  try {
    for (const e of Deno.readDirSync(join(layout.keelDir, "active"))) {
      if (!e.isFile || !e.name.endsWith(".json")) continue;
      const contract = e.name.slice(0, -5);
      const active = await readActiveRun(layout, contract);
      if (active) out.push({ contract, active });
    }
  } catch {
    // none
  }
  return out.sort((a, b) => a.contract.localeCompare(b.contract));
}
