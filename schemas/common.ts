/**
 * Pieces shared by the artifact schemas.
 *
 * @module
 */

import { z } from "zod";

/** Current version of every artifact format keel writes. */
export const SCHEMA_VERSION = 1;

/** A repo-relative POSIX path or glob (checked further by `keel validate`). */
export const RepoGlob = z.string().describe(
  "Repository-relative POSIX path or glob (picomatch syntax; ** crosses directories). " +
    "Must not be empty, absolute, or contain '..'.",
);

/** A stable identifier: letters, digits, '.', '_' and '-'. */
export const Identifier = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/).describe(
  "Identifier: letters, digits, '.', '_' and '-', starting with a letter or digit.",
);

/** An ISO-8601 timestamp as written by keel. */
export const Timestamp = z.string().describe("ISO-8601 timestamp.");

/** A sha256 digest in lowercase hex. */
export const Digest = z.string().regex(/^[0-9a-f]{64}$/).describe(
  "sha256 (lowercase hex) of the artifact's canonical JSON without its approval block.",
);

/** Header fields every artifact carries. */
export function header(name: string) {
  return {
    $schema: z.string().optional().describe(`Reference to ${name}.schema.json, for editors.`),
    schema_version: z.literal(SCHEMA_VERSION).describe("Version of the artifact format."),
  };
}
