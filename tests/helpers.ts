/**
 * Shared helpers for end-to-end tests: temporary git repositories and the
 * real CLI run as a subprocess.
 *
 * @module
 */

import { git, GIT_ENV } from "../testing/git.ts";

export { git, GIT_ENV };

const MAIN = new URL("../cli/main.ts", import.meta.url).pathname;

/** Result of a subprocess. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A new temporary git repository with one commit.
 *
 * @returns Its path.
 */
export async function tempRepo(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "keel-test-" });
  await git(dir, "init", "-q");
  await Deno.writeTextFile(`${dir}/README.md`, "# sample\n");
  await git(dir, "add", "README.md");
  await git(dir, "commit", "-qm", "initial");
  return dir;
}

/**
 * Write a file (creating directories) relative to `dir`.
 *
 * @param dir Base directory.
 * @param path Relative path.
 * @param text Content.
 */
export async function writeFile(dir: string, path: string, text: string): Promise<void> {
  const full = `${dir}/${path}`;
  await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
  await Deno.writeTextFile(full, text);
}

/**
 * Run the real keel CLI (`deno run -A cli/main.ts`).
 *
 * @param cwd Working directory.
 * @param args CLI arguments.
 * @param options Extra environment.
 * @returns Exit code and output.
 */
export async function keel(
  cwd: string,
  args: string[],
  options: { env?: Record<string, string>; stdin?: string } = {},
): Promise<RunResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, ...args],
    cwd,
    env: { ...GIT_ENV, NO_COLOR: "1", ...(options.env ?? {}) },
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(options.stdin));
    await w.close();
  }
  const out = await child.output();
  const td = new TextDecoder();
  return { code: out.code, stdout: td.decode(out.stdout), stderr: td.decode(out.stderr) };
}

/**
 * Run keel with `--json` and parse stdout.
 *
 * @param cwd Working directory.
 * @param args CLI arguments (`--json` is appended).
 * @param options Extra environment.
 * @returns Exit code and the parsed JSON document.
 */
export async function keelJson(
  cwd: string,
  args: string[],
  options: { env?: Record<string, string> } = {},
): Promise<
  { code: number; json: Record<string, unknown> & { error?: { code: string } }; stderr: string }
> {
  const r = await keel(cwd, [...args, "--json"], options);
  let json;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    throw new Error(`stdout is not one JSON document (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  return { code: r.code, json, stderr: r.stderr };
}

/**
 * Read and parse a JSON file.
 *
 * @param path File path.
 * @returns The parsed value.
 */
export async function readJson<T = Record<string, unknown>>(path: string): Promise<T> {
  return JSON.parse(await Deno.readTextFile(path)) as T;
}

/**
 * Edit a JSON file in place.
 *
 * @param path File path.
 * @param fn Mutates the parsed value.
 */
export async function editJson(
  path: string,
  fn: (value: Record<string, unknown>) => void,
): Promise<void> {
  const value = await readJson(path);
  fn(value);
  await Deno.writeTextFile(path, JSON.stringify(value, null, 2) + "\n");
}
