/**
 * The pilot's sample repository: created with the git CLI in a temporary
 * directory, and changed by a simulated agent.
 *
 * @module
 */

import { launchGit } from "../git/mod.ts";
import { dirname, join } from "node:path";
import { KeelError } from "../errors.ts";
import { SAMPLE_FILES } from "./sample.ts";

const ENV = {
  GIT_AUTHOR_NAME: "Pilot Agent",
  GIT_AUTHOR_EMAIL: "agent@pilot.invalid",
  GIT_COMMITTER_NAME: "Pilot Agent",
  GIT_COMMITTER_EMAIL: "agent@pilot.invalid",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: Deno.build.os === "windows" ? "NUL" : "/dev/null",
};

/**
 * Run git in the sample repository.
 *
 * @param dir Repository.
 * @param args git arguments.
 * @returns stdout.
 * @throws {KeelError} GIT_FAILED / GIT_UNAVAILABLE.
 */
export async function sampleGit(dir: string, args: string[]): Promise<string> {
  let out;
  try {
    out = await launchGit(
      ["-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", ...args],
      { cwd: dir, env: ENV },
    );
  } catch {
    throw new KeelError("GIT_UNAVAILABLE", "The pilot needs the git CLI on PATH", {
      data: { backend: "cli" },
    });
  }
  const td = new TextDecoder();
  if (out.code !== 0) {
    throw new KeelError("GIT_FAILED", `git ${args.join(" ")} failed`, {
      data: { args, stderr: td.decode(out.stderr) },
    });
  }
  return td.decode(out.stdout);
}

/**
 * Write files relative to `dir`.
 *
 * @param dir Base directory.
 * @param files Relative path → content.
 */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    const full = join(dir, path);
    await Deno.mkdir(dirname(full), { recursive: true });
    await Deno.writeTextFile(full, text);
  }
}

/**
 * Create the sample repository with its first commit.
 *
 * @param dir An empty directory.
 */
export async function createSampleRepo(dir: string): Promise<void> {
  await sampleGit(dir, ["init", "-q"]);
  await writeFiles(dir, SAMPLE_FILES);
  await sampleGit(dir, ["add", "-A"]);
  await sampleGit(dir, ["commit", "-qm", "textstats: wordCount"]);
}

/**
 * Write files and commit them, as the simulated agent.
 *
 * @param dir Repository.
 * @param files Files to write.
 * @param message Commit message (may contain trailers).
 * @returns The new commit's sha.
 */
export async function agentCommit(
  dir: string,
  files: Record<string, string>,
  message: string,
): Promise<string> {
  await writeFiles(dir, files);
  await sampleGit(dir, ["add", "--", ...Object.keys(files)]);
  await sampleGit(dir, ["commit", "-qm", message]);
  return (await sampleGit(dir, ["rev-parse", "HEAD"])).trim();
}
