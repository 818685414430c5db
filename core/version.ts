/**
 * keel's version. `scripts/compile.ts` rewrites `BUILD_COMMIT` in a copy of
 * the tree before compiling, so a release binary names its commit.
 *
 * @module
 */

/** The release version. */
export const VERSION = "0.1.0";

/** The git commit the binary was built from, or "source" when run from source. */
export const BUILD_COMMIT: string = "source";

/**
 * The version line printed by `keel --version`.
 *
 * @returns `keel <version> (<commit>)`.
 */
export function versionLine(): string {
  return `keel ${VERSION} (${BUILD_COMMIT})`;
}
