/**
 * The git port over isomorphic-git (pure JavaScript, no `git` needed).
 *
 * Linked worktrees: isomorphic-git is given the common git directory, and a
 * small read-only file-system view maps the per-worktree files (`HEAD`,
 * `index`, `logs/HEAD`, `ORIG_HEAD`, `MERGE_HEAD`, `refs/worktree/…`, …) to
 * the worktree's own git directory. Shallow boundaries (`shallow`) are
 * treated as root commits, as git does.
 *
 * @module
 */

import * as nodeFs from "node:fs";
import * as nodePath from "node:path";
import { KeelError } from "../errors.ts";
import { finishChanges, modeKind, type RawChange } from "./finish_changes.ts";
import { matchReverts } from "./match_reverts.ts";
import { orderCommits } from "./order_commits.ts";
import { parseCommitMessage } from "./parse_message.ts";
import { parseRevision, unknownRevision } from "./revision.ts";
import type { RepoLocation } from "./cli_git.ts";
import type { CommitInfo, FileChange, GitPort, WorktreeStatus } from "./types.ts";

type _Iso = typeof import("isomorphic-git");
type _Fs = Parameters<_Iso["readObject"]>[0]["fs"];

const _ZERO = "0".repeat(40);
const _PER_WORKTREE = new Set([
  "HEAD",
  "index",
  "ORIG_HEAD",
  "MERGE_HEAD",
  "FETCH_HEAD",
  "CHERRY_PICK_HEAD",
  "REVERT_HEAD",
  "BISECT_LOG",
  "logs/HEAD",
]);
const _PER_WORKTREE_DIRS = ["refs/bisect/", "refs/worktree/", "refs/rewritten/"];

/**
 * Locate the worktree around `cwd` by reading the file system: the nearest
 * `.git` directory or `.git` file (`gitdir: …`), and that git directory's
 * `commondir`.
 *
 * @param cwd A directory inside the worktree.
 * @returns Real paths of the worktree root, common dir and git dir.
 * @throws {KeelError} `REPO_NOT_FOUND` when no worktree encloses `cwd`.
 */
export async function locateWithFs(cwd: string): Promise<RepoLocation> {
  const notFound = () =>
    new KeelError("REPO_NOT_FOUND", `Not inside a git worktree: ${cwd}`, { data: { path: cwd } });
  let dir: string;
  try {
    dir = await Deno.realPath(cwd);
  } catch {
    throw notFound();
  }
  for (;;) {
    const dotgit = nodePath.join(dir, ".git");
    let info: Deno.FileInfo | null = null;
    try {
      info = await Deno.stat(dotgit);
    } catch {
      info = null;
    }
    if (info !== null) {
      let gitDir: string | null = null;
      if (info.isDirectory) gitDir = dotgit;
      else if (info.isFile) {
        const m = /^gitdir: (.*)$/m.exec(await Deno.readTextFile(dotgit));
        if (m !== null) gitDir = nodePath.resolve(dir, m[1]!.trim());
      }
      if (gitDir !== null && await _exists(nodePath.join(gitDir, "HEAD"))) {
        gitDir = await Deno.realPath(gitDir);
        let commonDir = gitDir;
        try {
          const rel = (await Deno.readTextFile(nodePath.join(gitDir, "commondir"))).trim();
          if (rel !== "") commonDir = await Deno.realPath(nodePath.resolve(gitDir, rel));
        } catch {
          commonDir = gitDir;
        }
        return { worktreeRoot: dir, commonDir, gitDir };
      }
    }
    const parent = nodePath.dirname(dir);
    if (parent === dir) throw notFound();
    dir = parent;
  }
}

async function _exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** A parsed commit object. */
interface _Commit {
  sha: string;
  tree: string;
  parents: string[];
  author: string;
  authorEmail: string;
  authoredAt: string;
  committedAt: number;
  message: string;
}

/**
 * A {@link GitPort} backed by isomorphic-git. Loads isomorphic-git.
 *
 * @param location Where the worktree is (from {@link locateWithFs}).
 * @returns The port.
 */
export async function isoGit(location: RepoLocation): Promise<GitPort> {
  const git: _Iso = await import("isomorphic-git");
  const fs = _worktreeFs(location);
  const gitdir = location.commonDir;
  const dir = location.worktreeRoot;
  const cache = {};
  const commits = new Map<string, _Commit>();
  const shallow = await _readShallow(gitdir);
  const decoder = new TextDecoder();

  async function readCommit(sha: string): Promise<_Commit> {
    const known = commits.get(sha);
    if (known !== undefined) return known;
    const obj = await git.readObject({ fs, gitdir, oid: sha, format: "content", cache });
    if (obj.type !== "commit") throw new Error(`${sha} is a ${obj.type}, not a commit`);
    const c = _parseCommit(sha, decoder.decode(obj.object as Uint8Array));
    if (shallow.has(sha)) c.parents = [];
    commits.set(sha, c);
    return c;
  }

  async function peelToCommit(oid: string): Promise<string | null> {
    for (let i = 0; i < 32; i++) {
      let obj;
      try {
        obj = await git.readObject({ fs, gitdir, oid, format: "content", cache });
      } catch {
        return null;
      }
      if (obj.type === "commit") return oid;
      if (obj.type !== "tag") return null;
      const m = /^object ([0-9a-f]{40})$/m.exec(decoder.decode(obj.object as Uint8Array));
      if (m === null) return null;
      oid = m[1]!;
    }
    return null;
  }

  async function resolveName(name: string): Promise<string | null> {
    if (/^[0-9a-f]{40}$/.test(name)) {
      const peeled = await peelToCommit(name);
      if (peeled !== null) return peeled;
    }
    try {
      const oid = await git.resolveRef({ fs, gitdir, ref: name });
      return await peelToCommit(oid);
    } catch {
      // not a ref
    }
    if (/^[0-9a-f]{4,39}$/.test(name)) {
      try {
        const oid = await git.expandOid({ fs, gitdir, oid: name, cache });
        return await peelToCommit(oid);
      } catch {
        return null;
      }
    }
    return null;
  }

  async function resolveRef(ref: string): Promise<string | null> {
    const rev = parseRevision(ref);
    if (rev === null) return null;
    let sha = await resolveName(rev.name);
    for (const step of rev.steps) {
      if (sha === null) return null;
      if (step.kind === "^") {
        if (step.n === 0) continue;
        sha = (await readCommit(sha)).parents[step.n - 1] ?? null;
      } else {
        for (let i = 0; i < step.n && sha !== null; i++) {
          sha = (await readCommit(sha)).parents[0] ?? null;
        }
      }
      if (sha !== null && await peelToCommit(sha) === null) return null;
    }
    return sha;
  }

  async function mustResolve(operation: string, ref: string): Promise<string> {
    const sha = await resolveRef(ref);
    if (sha === null) throw unknownRevision(operation, ref);
    return sha;
  }

  async function ancestors(from: string): Promise<Set<string>> {
    const seen = new Set<string>([from]);
    const queue = [from];
    while (queue.length > 0) {
      const c = await readCommit(queue.pop()!);
      for (const p of c.parents) {
        if (!seen.has(p)) {
          seen.add(p);
          queue.push(p);
        }
      }
    }
    return seen;
  }

  async function range(base: string | null, head: string): Promise<_Commit[]> {
    const excluded = base === null ? new Set<string>() : await ancestors(base);
    const out: _Commit[] = [];
    if (excluded.has(head)) return out;
    const seen = new Set<string>([head]);
    const queue = [head];
    while (queue.length > 0) {
      const c = await readCommit(queue.pop()!);
      out.push(c);
      for (const p of c.parents) {
        if (!seen.has(p) && !excluded.has(p)) {
          seen.add(p);
          queue.push(p);
        }
      }
    }
    return orderCommits(out);
  }

  const trees = new Map<string, { mode: string; path: string; oid: string }[]>();
  async function readTree(oid: string): Promise<{ mode: string; path: string; oid: string }[]> {
    const known = trees.get(oid);
    if (known !== undefined) return known;
    const obj = await git.readObject({ fs, gitdir, oid, format: "parsed", cache });
    const entries = obj.object as { mode: string; path: string; oid: string }[];
    if (trees.size >= 4096) trees.delete(trees.keys().next().value!);
    trees.set(oid, entries);
    return entries;
  }

  async function diffTrees(
    oldTree: string | null,
    newTree: string | null,
    prefix: string,
    out: RawChange[],
  ): Promise<void> {
    const olds = oldTree === null ? [] : await readTree(oldTree);
    const news = newTree === null ? [] : await readTree(newTree);
    const byName = new Map<string, [_Entry | null, _Entry | null]>();
    for (const e of olds) byName.set(e.path, [e, null]);
    for (const e of news) {
      const pair = byName.get(e.path);
      if (pair === undefined) byName.set(e.path, [null, e]);
      else pair[1] = e;
    }
    for (const [name, [o, n]] of byName) {
      const path = prefix + name;
      if (o !== null && n !== null && o.oid === n.oid && _mode(o.mode) === _mode(n.mode)) continue;
      const ok = o === null ? "none" : modeKind(o.mode);
      const nk = n === null ? "none" : modeKind(n.mode);
      if (ok === "tree" || nk === "tree") {
        await diffTrees(
          ok === "tree" ? o!.oid : null,
          nk === "tree" ? n!.oid : null,
          path + "/",
          out,
        );
        if (ok !== "tree" && o !== null) out.push(_deleted(path, o));
        if (nk !== "tree" && n !== null) out.push(_added(path, n));
        continue;
      }
      if (o === null) out.push(_added(path, n!));
      else if (n === null) out.push(_deleted(path, o));
      else {
        out.push({
          status: ok === nk ? "M" : "T",
          path,
          oldMode: _mode(o.mode),
          newMode: _mode(n.mode),
          oldOid: o.oid,
          newOid: n.oid,
        });
      }
    }
  }

  async function commitInfo(c: _Commit): Promise<CommitInfo> {
    const parent = c.parents[0];
    const raw: RawChange[] = [];
    await diffTrees(parent === undefined ? null : (await readCommit(parent)).tree, c.tree, "", raw);
    const m = parseCommitMessage(c.message);
    return {
      sha: c.sha,
      parents: [...c.parents],
      subject: m.subject,
      body: m.body,
      trailers: m.trailers,
      author: c.author,
      authorEmail: c.authorEmail,
      authoredAt: c.authoredAt,
      committedAt: c.committedAt,
      files: finishChanges(raw),
    };
  }

  async function worktreeStatus(): Promise<WorktreeStatus> {
    const head = await resolveRef("HEAD");
    const trees = head === null
      ? [git.STAGE(), git.WORKDIR({ refresh: false })]
      : [git.STAGE(), git.WORKDIR({ refresh: false }), git.TREE({ ref: head })];
    const staged: RawChange[] = [];
    const unstaged: FileChange[] = [];
    const untracked: string[] = [];
    const unmerged = await _unmergedPaths(nodePath.join(location.gitDir, "index"));
    await git.walk({
      fs,
      dir,
      gitdir,
      cache,
      trees,
      map: async (filepath, entries) => {
        const [stage, work, tree] = entries;
        if (filepath === ".") return true;
        if (nodePath.posix.basename(filepath) === ".git") return null;
        const [stageType, workType, treeType] = await Promise.all([
          stage ? stage.type() : null,
          work ? work.type() : null,
          tree ? tree.type() : null,
        ]);
        // submodules are not looked into
        if (stageType === "commit" || treeType === "commit") return null;
        if (!stage && !tree && work) {
          if (await git.isIgnored({ fs, dir, gitdir, filepath })) return null;
          if (workType === "tree" && await _exists(nodePath.join(dir, filepath, ".git"))) {
            untracked.push(`${filepath}/`);
            return null;
          }
        }
        const [s, w, h] = await Promise.all([_leaf(stage), _leaf(work), _leaf(tree)]);
        if (s === null && h === null && w === null) return true;
        if (unmerged.has(filepath)) {
          unstaged.push({ path: filepath, status: "M" });
          return true;
        }
        // HEAD → index
        if (h !== null && s === null) {
          staged.push(_deleted(filepath, { mode: h.mode, oid: await h.oid() }));
        } else if (h === null && s !== null) {
          staged.push(_added(filepath, { mode: s.mode, oid: await s.oid() }));
        } else if (h !== null && s !== null) {
          const [ho, so] = await Promise.all([h.oid(), s.oid()]);
          if (ho !== so || h.mode !== s.mode) {
            staged.push({
              status: modeKind(h.mode) === modeKind(s.mode) ? "M" : "T",
              path: filepath,
              oldMode: h.mode,
              newMode: s.mode,
              oldOid: ho,
              newOid: so,
            });
          }
        }
        // index → working tree
        if (s !== null && w === null) unstaged.push({ path: filepath, status: "D" });
        else if (s !== null && w !== null) {
          if (modeKind(s.mode) !== modeKind(w.mode)) {
            unstaged.push({ path: filepath, status: "T" });
          } else if (s.mode !== w.mode || (await s.oid()) !== (await w.oid())) {
            unstaged.push({ path: filepath, status: "M" });
          }
        } else if (s === null && w !== null) untracked.push(filepath);
        return true;
      },
      reduce: () => Promise.resolve(undefined),
    });
    return {
      staged: finishChanges(staged),
      unstaged: unstaged.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
      untracked: untracked.sort(),
    };
  }

  return _guarded({
    backend: "isomorphic",
    head: () => resolveRef("HEAD"),
    async currentBranch() {
      const text = (await Deno.readTextFile(nodePath.join(location.gitDir, "HEAD"))).trim();
      if (!text.startsWith("ref: ")) return null;
      const ref = text.slice(5).trim();
      return ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : ref;
    },
    worktreeRoot: () => Promise.resolve(location.worktreeRoot),
    commonDir: () => Promise.resolve(location.commonDir),
    gitDir: () => Promise.resolve(location.gitDir),
    async commitsInRange(base, head) {
      const b = await mustResolve("commitsInRange", base);
      const h = await mustResolve("commitsInRange", head);
      const list = await range(b, h);
      const out: CommitInfo[] = [];
      for (const c of list) out.push(await commitInfo(c));
      return out;
    },
    worktreeStatus,
    async isAncestor(a, b) {
      const x = await mustResolve("isAncestor", a);
      const y = await mustResolve("isAncestor", b);
      if (x === y) return true;
      const seen = new Set<string>([y]);
      const queue = [y];
      while (queue.length > 0) {
        for (const p of (await readCommit(queue.pop()!)).parents) {
          if (p === x) return true;
          if (!seen.has(p)) {
            seen.add(p);
            queue.push(p);
          }
        }
      }
      return false;
    },
    resolveRef,
    async findReverts(shas, sinceRef) {
      if (shas.length === 0) return [];
      const head = await resolveRef("HEAD");
      if (head === null) return [];
      const since = sinceRef === undefined ? null : await mustResolve("findReverts", sinceRef);
      const list = (await range(since, head)).filter((c) =>
        c.message.includes("This reverts commit ")
      );
      return matchReverts(orderCommits(list), shas);
    },
  });
}

/** Turn failures of isomorphic-git (corrupt or unsupported data) into `GIT_FAILED`. */
function _guarded(port: GitPort): GitPort {
  const wrap =
    <A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await fn(...args);
      } catch (error) {
        if (error instanceof KeelError) throw error;
        const message = error instanceof Error ? error.message : String(error);
        throw new KeelError("GIT_FAILED", `isomorphic-git failed in ${name}: ${message}`, {
          data: {
            args: [name, ...args.map((a) => typeof a === "string" ? a : JSON.stringify(a))],
            stderr: message,
          },
          cause: error,
        });
      }
    };
  return {
    backend: port.backend,
    head: wrap("head", port.head),
    currentBranch: wrap("currentBranch", port.currentBranch),
    worktreeRoot: wrap("worktreeRoot", port.worktreeRoot),
    commonDir: wrap("commonDir", port.commonDir),
    gitDir: wrap("gitDir", port.gitDir),
    commitsInRange: wrap("commitsInRange", port.commitsInRange),
    worktreeStatus: wrap("worktreeStatus", port.worktreeStatus),
    isAncestor: wrap("isAncestor", port.isAncestor),
    resolveRef: wrap("resolveRef", port.resolveRef),
    findReverts: wrap("findReverts", port.findReverts),
  };
}

interface _Entry {
  mode: string;
  oid: string;
}

interface _Leaf {
  mode: string;
  oid(): Promise<string>;
}

type _WalkEntry =
  | {
    type(): Promise<string>;
    mode(): Promise<number>;
    oid(): Promise<string | undefined>;
  }
  | null
  | undefined;

async function _leaf(entry: _WalkEntry): Promise<_Leaf | null> {
  if (!entry) return null;
  const type = await entry.type();
  if (type !== "blob" && type !== "commit") return null;
  const mode = _mode((await entry.mode()).toString(8));
  return { mode, oid: async () => (await entry.oid()) ?? "" };
}

function _mode(mode: string): string {
  return mode.padStart(6, "0");
}

function _added(path: string, e: _Entry): RawChange {
  return {
    status: "A",
    path,
    oldMode: "000000",
    newMode: _mode(e.mode),
    oldOid: _ZERO,
    newOid: e.oid,
  };
}

function _deleted(path: string, e: _Entry): RawChange {
  return {
    status: "D",
    path,
    oldMode: _mode(e.mode),
    newMode: "000000",
    oldOid: e.oid,
    newOid: _ZERO,
  };
}

function _parseCommit(sha: string, text: string): _Commit {
  const end = text.indexOf("\n\n");
  const header = end === -1 ? text : text.slice(0, end);
  const message = end === -1 ? "" : text.slice(end + 2);
  let tree = "";
  const parents: string[] = [];
  let author = "", authorEmail = "", authoredAt = "";
  let committedAt = 0;
  for (const line of header.split("\n")) {
    if (line.startsWith(" ")) continue;
    const sp = line.indexOf(" ");
    const key = line.slice(0, sp), value = line.slice(sp + 1);
    if (key === "tree") tree = value;
    else if (key === "parent") parents.push(value);
    else if (key === "author") {
      const p = _person(value);
      author = p.name;
      authorEmail = p.email;
      authoredAt = _isoDate(p.time, p.tz);
    } else if (key === "committer") committedAt = _person(value).time;
  }
  return { sha, tree, parents, author, authorEmail, authoredAt, committedAt, message };
}

function _person(value: string): { name: string; email: string; time: number; tz: string } {
  const m = /^(.*?) ?<([^>]*)> (-?\d+) ([+-]\d{4})$/.exec(value);
  if (m === null) return { name: value, email: "", time: 0, tz: "+0000" };
  return { name: m[1]!, email: m[2]!, time: Number(m[3]), tz: m[4]! };
}

function _isoDate(time: number, tz: string): string {
  const sign = tz.startsWith("-") ? -1 : 1;
  const minutes = sign * (Number(tz.slice(1, 3)) * 60 + Number(tz.slice(3, 5)));
  const d = new Date((time + minutes * 60) * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}` +
    `${tz.startsWith("-") ? "-" : "+"}${tz.slice(1, 3)}:${tz.slice(3, 5)}`;
}

/**
 * Paths with conflict stages (1–3) in an index file (versions 2 and 3).
 * An unreadable or absent index has none.
 */
async function _unmergedPaths(indexPath: string): Promise<Set<string>> {
  const out = new Set<string>();
  let buf: Uint8Array;
  try {
    buf = await Deno.readFile(indexPath);
  } catch {
    return out;
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.length < 12 || new TextDecoder().decode(buf.subarray(0, 4)) !== "DIRC") return out;
  const version = view.getUint32(4);
  if (version !== 2 && version !== 3) return out;
  const count = view.getUint32(8);
  const decoder = new TextDecoder();
  let pos = 12;
  for (let i = 0; i < count && pos + 62 <= buf.length; i++) {
    const start = pos;
    const flags = view.getUint16(pos + 60);
    pos += 62;
    if (version >= 3 && (flags & 0x4000) !== 0) pos += 2;
    const end = buf.indexOf(0, pos);
    if (end < 0) break;
    const path = buf.subarray(pos, end);
    pos = start + ((end - start + 8) & ~7);
    if (((flags >> 12) & 3) !== 0) out.add(decoder.decode(path));
  }
  return out;
}

async function _readShallow(commonDir: string): Promise<Set<string>> {
  try {
    const text = await Deno.readTextFile(nodePath.join(commonDir, "shallow"));
    return new Set(text.split("\n").map((l) => l.trim()).filter((l) => l !== ""));
  } catch {
    return new Set();
  }
}

/** A read-only promise `fs` for isomorphic-git that redirects per-worktree files. */
function _worktreeFs(location: RepoLocation): _Fs {
  const common = location.commonDir + "/";
  const own = location.gitDir;
  const map = (p: unknown): unknown => {
    if (typeof p !== "string" || own === location.commonDir || !p.startsWith(common)) return p;
    const rel = p.slice(common.length);
    if (_PER_WORKTREE.has(rel) || _PER_WORKTREE_DIRS.some((d) => rel.startsWith(d))) {
      return nodePath.join(own, rel);
    }
    return p;
  };
  const fsp = nodeFs.promises;
  const readOnly = (name: string) => (path: unknown) =>
    Promise.reject(
      Object.assign(new Error(`read-only git view: ${name} ${String(path)}`), { code: "EROFS" }),
    );
  return {
    promises: {
      readFile: (p: unknown, o?: unknown) =>
        p === undefined
          ? Promise.reject(new Error("no path"))
          : fsp.readFile(map(p) as string, o as undefined),
      writeFile: readOnly("writeFile"),
      mkdir: readOnly("mkdir"),
      rmdir: readOnly("rmdir"),
      unlink: readOnly("unlink"),
      rm: readOnly("rm"),
      stat: (p: unknown, o?: unknown) => fsp.stat(map(p) as string, o as undefined),
      lstat: (p: unknown, o?: unknown) => fsp.lstat(map(p) as string, o as undefined),
      readdir: (p: unknown, o?: unknown) => fsp.readdir(map(p) as string, o as undefined),
      readlink: (p: unknown, o?: unknown) => fsp.readlink(map(p) as string, o as undefined),
      symlink: readOnly("symlink"),
    },
  } as unknown as _Fs;
}
