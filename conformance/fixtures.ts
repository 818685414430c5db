/**
 * Where the real spec-kitty missions live for the conformance run
 * (`../shared/fixtures/spec-kitty` beside this checkout), and the helpers the
 * conformance tests share. The conformance run is not part of `deno task
 * test`: the main suite writes its own synthetic missions. Importing this
 * module without the fixtures fails loudly, so the run can never pass by
 * skipping.
 *
 * @module
 */

import { join } from "node:path";
import { testContext } from "../testing/context.ts";

/** The spec-kitty fixture root (holds `kitty-specs/` and `recorded/`). */
export const SPEC_KITTY: string = new URL("../../shared/fixtures/spec-kitty", import.meta.url)
  .pathname;

/** The real missions folder. */
export const FIXTURES_DIR: string = join(SPEC_KITTY, "kitty-specs");

try {
  if (!Deno.statSync(FIXTURES_DIR).isDirectory) throw new Error("not a folder");
} catch (e) {
  throw new Error(
    `the conformance run needs the real spec-kitty missions at ${FIXTURES_DIR} ` +
      `(../shared beside this checkout): ${e instanceof Error ? e.message : e}`,
  );
}

/** A deterministic operation context rooted at `cwd`. */
/** A deterministic operation context rooted at `cwd`. */
export const ctxFor = testContext;

/** Copy one real mission into `<root>/kitty-specs/<slug>` (the fixtures stay read-only). */
export async function copyMission(slug: string, root: string): Promise<void> {
  await copyTree(join(FIXTURES_DIR, slug), join(root, "kitty-specs", slug));
}

/** Copy every real mission into `<root>/kitty-specs/`; returns their slugs, sorted. */
export async function copyAllMissions(root: string): Promise<string[]> {
  const slugs = [...Deno.readDirSync(FIXTURES_DIR)].filter((e) => e.isDirectory)
    .map((e) => e.name).sort();
  for (const slug of slugs) await copyMission(slug, root);
  return slugs;
}

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.isDirectory) await copyTree(join(from, e.name), join(to, e.name));
    else if (e.isFile) await Deno.copyFile(join(from, e.name), join(to, e.name));
  }
}
