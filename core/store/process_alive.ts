/**
 * Whether a process id names a running process on this host.
 *
 * @module
 */

/**
 * Whether `pid` is alive here, or `null` when the platform cannot tell
 * (no `/proc`).
 *
 * @param pid A process id.
 * @returns `true`, `false` or `null`.
 */
export function processAlive(pid: number): boolean | null {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === Deno.pid) return true;
  try {
    Deno.statSync("/proc/self");
  } catch {
    return null;
  }
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // A zombie has exited; only its exit status is left.
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}
