/**
 * Cross-process exclusive locks on a lock file (flock-style, released by the
 * kernel when the holder dies). The lock file records the holder's pid so
 * `keel doctor` can explain a lock left behind.
 *
 * @module
 */

import { KeelError } from "../errors.ts";
import { openForWrite } from "./safe_file.ts";

/** Options for {@link withLock}. */
export interface LockOptions {
  /** How long to wait for the lock, in milliseconds. Default 30 000. */
  timeoutMs?: number;
}

/**
 * Run `fn` while holding an exclusive lock on `lockPath`.
 *
 * @param lockPath The lock file (created when missing, never deleted).
 * @param fn Work to do under the lock; re-read shared state inside it.
 * @param options Wait time.
 * @returns What `fn` returns.
 * @throws {KeelError} `LOCK_HELD` when the lock cannot be taken in time;
 *   `PATH_SYMLINK_REFUSED` / `PATH_NOT_REGULAR_FILE` when the lock file (or a
 *   folder on its way) is a symlink or not a regular file: it is never followed.
 */
export async function withLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const file = await openForWrite(lockPath, { read: true });
  try {
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    let delay = 2;
    while (!(await file.tryLock(true))) {
      if (Date.now() > deadline) {
        throw new KeelError(
          "LOCK_HELD",
          `Cannot take the lock ${lockPath}: held by another process`,
          {
            data: { path: lockPath },
          },
        );
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 50);
    }
    try {
      await file.truncate(0);
      await file.write(new TextEncoder().encode(`${Deno.pid}\n`));
      return await fn();
    } finally {
      await file.truncate(0).catch(() => {});
      await file.unlock().catch(() => {});
    }
  } finally {
    file.close();
  }
}
