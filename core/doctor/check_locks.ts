/**
 * Lock files and atomic-write leftovers under `.keel/`.
 *
 * A lock file names its holder's pid while locked. The lock itself is an
 * flock, released by the kernel when the holder dies, so a file that still
 * names a pid nobody holds the lock for is harmless (info). A temporary file
 * of an atomic write whose writer died before the rename is harmless too: the
 * artifact beside it holds the previous version.
 *
 * @module
 */

import { join, relative } from "node:path";
import { type DoctorProblem, problem } from "./codes.ts";
import { openForWrite, processAlive } from "../store/mod.ts";

const _TMP = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/**
 * Check lock files and temp leftovers in `dirs` (recursively).
 *
 * @param root Repository root (paths are reported relative to it).
 * @param options `dirs`: absolute directories to walk; `fix`: clear stale pids.
 * @returns Problems found and how many lock files were checked.
 */
export async function checkLocks(
  root: string,
  options: { dirs: string[]; fix: boolean },
): Promise<{ problems: DoctorProblem[]; checked: number }> {
  const problems: DoctorProblem[] = [];
  let checked = 0;
  for (const dir of options.dirs) {
    for (const { path, name } of _walk(dir)) {
      const rel = relative(root, path);
      if (name.endsWith(".lock")) {
        checked++;
        const p = await _checkLock(path, rel, options.fix);
        if (p) problems.push(p);
        continue;
      }
      const m = _TMP.exec(name);
      if (m === null) continue;
      const pid = Number(m[2]);
      if (processAlive(pid) !== false) continue; // its writer may still be writing
      const target = relative(root, join(path, "..", m[1]!));
      problems.push(problem("ATOMIC_WRITE_LEFTOVER", {
        path: rel,
        message: `${rel}: temporary file of an unfinished write to ${target} (pid ${pid}, exited)`,
        explanation:
          `The writer was stopped before it renamed this file over ${target}, so ${target} still ` +
          "holds its previous, complete version. The temporary file can be removed by hand.",
        evidence: { target, pid },
      }));
    }
  }
  return { problems, checked };
}

async function _checkLock(path: string, rel: string, fix: boolean): Promise<DoctorProblem | null> {
  let file: Deno.FsFile;
  try {
    file = await openForWrite(path, { read: true, mustExist: true });
  } catch {
    return null;
  }
  try {
    const text = new TextDecoder().decode(await _readAll(file)).trim();
    if (text === "") return null;
    const pid = Number(text);
    if (!(await file.tryLock(true))) {
      return problem("LOCK_HELD", {
        path: rel,
        message: `${rel}: held by pid ${text}`,
        explanation:
          "Another keel process is working under this lock right now; commands that need it wait " +
          "for it (and report LOCK_HELD after 30 s).",
        evidence: { pid: Number.isInteger(pid) ? pid : text },
      });
    }
    try {
      const alive = Number.isInteger(pid) ? processAlive(pid) : false;
      const p = problem("LOCK_LEFT_BY_DEAD_PROCESS", {
        path: rel,
        message: `${rel}: names pid ${text}, which no longer holds the lock${
          alive === false ? " (the process has exited)" : ""
        }`,
        explanation:
          "The process that held this lock was stopped while holding it. The lock itself was released " +
          "by the kernel when it died, so nothing waits on it; only the pid written into the file is " +
          "left. Harmless; --fix clears the pid.",
        evidence: { pid: Number.isInteger(pid) ? pid : text, pid_alive: alive },
      });
      if (fix) {
        await file.truncate(0);
        p.fixed = true;
        p.fix = { action: "cleared the stale pid" };
      }
      return p;
    } finally {
      await file.unlock().catch(() => {});
    }
  } finally {
    file.close();
  }
}

async function _readAll(file: Deno.FsFile): Promise<Uint8Array> {
  const buf = new Uint8Array(64);
  const n = await file.read(buf);
  return buf.subarray(0, n ?? 0);
}

function* _walk(dir: string): Generator<{ path: string; name: string }> {
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch {
    return;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory) yield* _walk(path);
    else if (e.isFile) yield { path, name: e.name };
  }
}
