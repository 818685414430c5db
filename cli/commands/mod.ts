/**
 * The command table. Each entry: `tag` (the `cmd` literal), the optique
 * `parser`, and `run`. Add one line per command module.
 *
 * @module
 */

import * as schema from "./schema.ts";

/** Every command keel has, in help order. */
export const COMMANDS = [
  schema,
] as const;
