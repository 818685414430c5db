/**
 * The dead-code scan of `keel review`: public symbols added since the
 * baseline that nothing outside their own file and test files references.
 *
 * Symbols come from the added lines of `git diff --unified=0 <baseline>..HEAD`:
 * - TypeScript/JavaScript: `export [declare] [async] [abstract]
 *   function|class|const|let|var|interface|type|enum NAME` (default exports
 *   are imported under any name, so they are not scanned);
 * - Python: top-level `def NAME` / `class NAME` (`async def` too) whose name
 *   does not start with `_`;
 * - Go: top-level `func Name` / `func (r T) Name` / `type Name` with an
 *   upper-case first letter.
 *
 * References are searched with `git grep -o -w -F -e NAME…` over the tracked
 * source files of the working tree; hits in the symbol's own file and in test
 * files do not count.
 *
 * @module
 */

import { type GitRunner, runGit } from "../git/mod.ts";

/** A public symbol added since the baseline. */
export interface AddedSymbol {
  /** The name. */
  symbol: string;
  /** Repository-relative file. */
  file: string;
  /** `function`, `class`, `const`, `type`, `def`, `func`, … */
  kind: string;
  /** `typescript`, `javascript`, `python` or `go`. */
  language: "typescript" | "javascript" | "python" | "go";
}

/** Result of {@link scanDeadCode}. */
export type DeadCodeScan =
  | {
    status: "scanned";
    /** The baseline commit, resolved to a full sha. */
    baseline: string;
    /** HEAD, resolved. */
    head: string;
    /** Files changed since the baseline. */
    changed_files: number;
    /** Public symbols added since the baseline. */
    symbols_scanned: number;
    /** The unreferenced ones. */
    unreferenced: AddedSymbol[];
  }
  | { status: "undeterminable"; reason: string };

/** Options for {@link scanDeadCode}. */
export interface ScanDeadCodeOptions {
  /** Where to run git (any folder inside the repository). */
  cwd: string;
  /** The git port (default: the git CLI). */
  git?: GitRunner;
}

const _SOURCE_GLOBS = [
  "*.ts",
  "*.tsx",
  "*.mts",
  "*.cts",
  "*.js",
  "*.jsx",
  "*.mjs",
  "*.cjs",
  "*.py",
  "*.pyi",
  "*.go",
  "*.vue",
  "*.svelte",
];

/**
 * Run the scan.
 *
 * @param baseline The baseline commit (meta.json `baseline_merge_commit`).
 * @param options Where, and the git port.
 * @returns The unreferenced symbols, or why the scan could not run.
 */
export async function scanDeadCode(
  baseline: string,
  options: ScanDeadCodeOptions,
): Promise<DeadCodeScan> {
  const git = options.git ?? runGit;
  const top = await git(["rev-parse", "--show-toplevel"], options.cwd);
  if (top.code === -1) return { status: "undeterminable", reason: "git executable is unavailable" };
  if (top.code !== 0) {
    return { status: "undeterminable", reason: `not inside a git repository (${options.cwd})` };
  }
  const root = top.stdout.trim();
  const base = await git(["rev-parse", "--verify", "--quiet", `${baseline}^{commit}`], root);
  if (base.code !== 0) {
    return {
      status: "undeterminable",
      reason: `baseline_merge_commit ${baseline} is not a commit in this repository`,
    };
  }
  const head = await git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], root);
  if (head.code !== 0) return { status: "undeterminable", reason: "HEAD is not a commit" };
  const baseSha = base.stdout.trim();
  const headSha = head.stdout.trim();
  const diff = await git(
    [
      "diff",
      "--unified=0",
      "--no-color",
      "--no-ext-diff",
      "--no-renames",
      `${baseSha}..${headSha}`,
    ],
    root,
  );
  if (diff.code !== 0) {
    return { status: "undeterminable", reason: `git diff failed: ${diff.stderr.trim()}` };
  }
  const changed = _changedFiles(diff.stdout);
  if (changed === 0) {
    return {
      status: "undeterminable",
      reason: `git diff reported no changed files between ${baseSha} and HEAD`,
    };
  }
  const symbols = addedPublicSymbols(diff.stdout);
  const hits = new Map<string, Set<string>>();
  const names = [...new Set(symbols.map((s) => s.symbol))];
  for (let i = 0; i < names.length; i += 200) {
    const chunk = names.slice(i, i + 200);
    const grep = await git(
      ["grep", "-o", "-w", "-F", "-z", ...chunk.flatMap((n) => ["-e", n]), "--", ..._SOURCE_GLOBS],
      root,
    );
    if (grep.code !== 0 && grep.code !== 1) {
      return { status: "undeterminable", reason: `git grep failed: ${grep.stderr.trim()}` };
    }
    for (const line of grep.stdout.split("\n")) {
      const at = line.indexOf("\0");
      if (at < 0) continue;
      const file = line.slice(0, at);
      const name = line.slice(at + 1);
      let files = hits.get(name);
      if (files === undefined) hits.set(name, files = new Set());
      files.add(file);
    }
  }
  const unreferenced = symbols.filter((s) =>
    ![...(hits.get(s.symbol) ?? [])].some((f) => f !== s.file && !isTestPath(f))
  );
  return {
    status: "scanned",
    baseline: baseSha,
    head: headSha,
    changed_files: changed,
    symbols_scanned: symbols.length,
    unreferenced,
  };
}

const _TS_EXPORT =
  /^export\s+(?:declare\s+)?(?:async\s+)?(?:abstract\s+)?(function\*?|class|const\s+enum|const|let|var|interface|type|enum)\s+([A-Za-z_$][\w$]*)/;
const _PY_DEF = /^(?:async\s+)?(def|class)\s+([A-Za-z]\w*)\s*[(:]/;
const _GO_FUNC = /^func\s+(?:\([^)]*\)\s*)?([A-Z]\w*)\s*[([]/;
const _GO_TYPE = /^type\s+([A-Z]\w*)\b/;

/**
 * Public symbols on the added lines of a unified diff, with their file (from
 * the `+++ b/<path>` header). Deleted files and test files are ignored.
 *
 * @param diff Output of `git diff --unified=0`.
 * @returns The symbols, in diff order, de-duplicated per file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addedPublicSymbols } from "./dead_code_scan.ts";
 * const diff = "+++ b/src/a.ts\n@@ -0,0 +1 @@\n+export function unused() {}\n";
 * assert(addedPublicSymbols(diff)[0]?.symbol === "unused");
 * ```
 */
export function addedPublicSymbols(diff: string): AddedSymbol[] {
  const out: AddedSymbol[] = [];
  const seen = new Set<string>();
  let file: string | null = null;
  for (const line of diff.split("\n")) {
    if (line.startsWith("+++ ")) {
      const target = line.slice(4).replace(/\t.*$/, "");
      file = target === "/dev/null" ? null : _stripPrefix(_unquote(target));
      continue;
    }
    if (line.startsWith("diff --git ")) {
      file = null;
      continue;
    }
    if (file === null || !line.startsWith("+") || isTestPath(file)) continue;
    const text = line.slice(1);
    const found = _symbolOn(text, file);
    if (found === null) continue;
    const key = `${file}\0${found.symbol}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(found);
  }
  return out;
}

function _symbolOn(text: string, file: string): AddedSymbol | null {
  const ext = file.slice(file.lastIndexOf(".") + 1).toLowerCase();
  if (["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs"].includes(ext)) {
    const m = _TS_EXPORT.exec(text);
    if (!m) return null;
    const language = ["ts", "tsx", "mts", "cts"].includes(ext) ? "typescript" : "javascript";
    return { symbol: m[2]!, file, kind: m[1]!.replace("*", "").replace(/\s+/, " "), language };
  }
  if (ext === "py") {
    const m = _PY_DEF.exec(text);
    if (!m || m[2]!.startsWith("_")) return null;
    return { symbol: m[2]!, file, kind: m[1]!, language: "python" };
  }
  if (ext === "go") {
    const f = _GO_FUNC.exec(text);
    if (f) return { symbol: f[1]!, file, kind: "func", language: "go" };
    const t = _GO_TYPE.exec(text);
    if (t) return { symbol: t[1]!, file, kind: "type", language: "go" };
  }
  return null;
}

/**
 * Whether a repository-relative path is a test file: a `test`, `tests`,
 * `__tests__`, `testdata` or `testing` folder, or a name like `x_test.ts`,
 * `x.test.ts`, `x.spec.ts`, `test_x.py`, `x_test.go`, `conftest.py`.
 *
 * @param path Repository-relative POSIX path.
 * @returns `true` for test files.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isTestPath } from "./dead_code_scan.ts";
 * assert(isTestPath("core/a_test.ts") && isTestPath("tests/e2e.ts"));
 * assert(!isTestPath("core/attestation.ts"));
 * ```
 */
export function isTestPath(path: string): boolean {
  const parts = path.split("/");
  const name = parts[parts.length - 1] ?? "";
  if (parts.slice(0, -1).some((p) => /^(tests?|__tests__|testdata|testing)$/i.test(p))) {
    return true;
  }
  return /(^|[._-])(test|tests|spec)\.[^.]+$/i.test(name) || /^test_.*\.py$/i.test(name) ||
    name === "conftest.py";
}

function _changedFiles(diff: string): number {
  let n = 0;
  for (const line of diff.split("\n")) if (line.startsWith("diff --git ")) n++;
  return n;
}

function _stripPrefix(path: string): string {
  return path.startsWith("b/") ? path.slice(2) : path;
}

function _unquote(path: string): string {
  if (!path.startsWith('"')) return path;
  try {
    return JSON.parse(path) as string;
  } catch {
    return path.slice(1, -1);
  }
}
