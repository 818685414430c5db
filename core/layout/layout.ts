/**
 * Where keel's state lives: `.keel/` at the top of the worktree, contracts
 * under `.keel/contracts/<name>/`, runs under `.keel/runs/<id>/`.
 *
 * @module
 */

import { join } from "../util/mod.ts";
import { KeelError } from "../errors.ts";
import { assertInsideRoot, assertWorkDir } from "../util/mod.ts";

/** The three approvable artifacts, by their short names. */
export const ARTIFACTS = ["intent", "tests", "plan"] as const;

/** An approvable artifact's short name. */
export type ArtifactKind = typeof ARTIFACTS[number];

/** File name of each artifact. */
export const ARTIFACT_FILES: Record<ArtifactKind, string> = {
  intent: "intent.json",
  tests: "test_contract.json",
  plan: "commit_plan.json",
};

/** Schema name of each artifact. */
export const ARTIFACT_SCHEMAS = {
  intent: "intent",
  tests: "test_contract",
  plan: "commit_plan",
} as const;

/** The contract name used when none is given. */
export const DEFAULT_CONTRACT = "default";

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Paths of keel's state in one worktree. */
export interface KeelLayout {
  /** Top of the worktree (or the directory keel was pointed at). */
  root: string;
  /** `<root>/.keel`. */
  keelDir: string;
  /** Whether `root` is a git worktree. */
  inGit: boolean;
}

/**
 * Find the worktree root above `cwd` (the nearest directory with a `.git`
 * entry), falling back to `cwd` itself when there is none.
 *
 * @param cwd Absolute starting directory.
 * @returns The layout.
 * @throws {KeelError} PATH_OUTSIDE_REPO when `.keel` or an entry in it is a
 *   symlink that resolves outside the root; REPO_NOT_FOUND when `cwd` is
 *   missing, not a folder, or inside a git directory (a bare repository).
 */
export function locateKeel(cwd: string): KeelLayout {
  assertWorkDir(cwd);
  let dir = cwd.replace(/\/+$/, "") || "/";
  while (true) {
    if (_exists(join(dir, ".git"))) {
      return _inside({ root: dir, keelDir: join(dir, ".keel"), inGit: true });
    }
    const parent = dir === "/" ? null : dir.slice(0, dir.lastIndexOf("/")) || "/";
    if (parent === null || parent === dir) break;
    dir = parent;
  }
  return _inside({ root: cwd, keelDir: join(cwd, ".keel"), inGit: false });
}

function _inside(layout: KeelLayout): KeelLayout {
  assertInsideRoot(layout.root, layout.keelDir, ".keel");
  try {
    for (const e of Deno.readDirSync(layout.keelDir)) {
      if (e.isSymlink) {
        assertInsideRoot(layout.root, join(layout.keelDir, e.name), `.keel/${e.name}`);
      }
    }
  } catch (error) {
    if (error instanceof KeelError) throw error;
  }
  return layout;
}

/**
 * Check a contract name; names become directory names, so they must not
 * contain separators or start with a dot.
 *
 * @param name The contract name.
 * @returns The name.
 * @throws {KeelError} CONTRACT_NOT_FOUND for a name that cannot exist.
 */
export function checkContractName(name: string): string {
  if (!NAME.test(name)) {
    throw new KeelError(
      "CONTRACT_NOT_FOUND",
      `Invalid contract name "${name}": use letters, digits, '.', '_' and '-'`,
      { data: { contract: name, available: [] } },
    );
  }
  return name;
}

/**
 * Directory of a contract.
 *
 * @param layout The layout.
 * @param name A checked contract name.
 * @returns `<root>/.keel/contracts/<name>`.
 */
export function contractDir(layout: KeelLayout, name: string): string {
  const dir = join(layout.keelDir, "contracts", checkContractName(name));
  assertInsideRoot(layout.root, dir, `.keel/contracts/${name}`);
  return dir;
}

/**
 * Path of one artifact.
 *
 * @param layout The layout.
 * @param name Contract name.
 * @returns The artifact's absolute path.
 */
export function artifactPath(layout: KeelLayout, name: string, kind: ArtifactKind): string {
  const path = join(contractDir(layout, name), ARTIFACT_FILES[kind]);
  assertInsideRoot(layout.root, path, `.keel/contracts/${name}/${ARTIFACT_FILES[kind]}`);
  return path;
}

/**
 * Names of the contracts that exist.
 *
 * @param layout The layout.
 * @returns Sorted contract names.
 */
export function listContracts(layout: KeelLayout): string[] {
  const out: string[] = [];
  try {
    for (const e of Deno.readDirSync(join(layout.keelDir, "contracts"))) {
      if (e.isDirectory && NAME.test(e.name)) out.push(e.name);
    }
  } catch {
    // no contracts yet
  }
  return out.sort();
}

/**
 * The contract directory, which must exist.
 *
 * @param layout The layout.
 * @param name Contract name.
 * @returns The directory.
 * @throws {KeelError} CONTRACT_NOT_FOUND listing the contracts that exist.
 */
export function requireContract(layout: KeelLayout, name: string): string {
  const dir = contractDir(layout, name);
  if (!_exists(dir)) {
    const available = listContracts(layout);
    throw new KeelError(
      "CONTRACT_NOT_FOUND",
      `No contract "${name}"` +
        (available.length ? `; contracts: ${available.join(", ")}` : "; run `keel init` first"),
      { data: { contract: name, available } },
    );
  }
  return dir;
}

function _exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The line keel writes into the root `.gitattributes` (keel's own; never a scope finding). */
export const KEEL_ATTRIBUTES_LINE = ".keel/lessons.jsonl merge=union";

/**
 * Whether a repo-relative path is keel's own state (never a touched file).
 *
 * @param path Repo-relative POSIX path.
 * @returns `true` under `.keel/`.
 */
export function isKeelPath(path: string): boolean {
  return path === ".keel" || path.startsWith(".keel/");
}
