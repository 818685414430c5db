/**
 * The command table. Each entry: `tag` (the `cmd` literal), the optique
 * `parser`, and `run`. Add one line per command module.
 *
 * @module
 */

import * as init from "./init.ts";
import * as validate from "./validate.ts";
import * as approve from "./approve.ts";
import * as status from "./status.ts";
import * as run from "./run.ts";
import * as schema from "./schema.ts";
import * as pilot from "./pilot.ts";

/** Every command keel has, in help order. */
export const COMMANDS = [
  pilot,
  init,
  validate,
  approve,
  status,
  run,
  schema,
] as const;
