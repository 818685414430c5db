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
import * as drift from "./drift.ts";
import * as schema from "./schema.ts";
import * as pilot from "./pilot.ts";
import * as serve from "./serve.ts";
import * as mcp from "./mcp.ts";
import * as deviation from "./deviation.ts";
import * as retro from "./retro.ts";
import * as lessons from "./lessons.ts";
import * as trust from "./trust.ts";
import * as rework from "./rework.ts";
import * as defect from "./defect.ts";
import * as review from "./review.ts";
import * as merge from "./merge.ts";
import * as next from "./next.ts";
import * as implement from "./implement.ts";
import * as mission from "./mission.ts";
import * as doctor from "./doctor.ts";

/** Every command keel has, in help order. */
export const COMMANDS = [
  pilot,
  init,
  validate,
  approve,
  status,
  run,
  drift,
  deviation,
  retro,
  lessons,
  trust,
  rework,
  defect,
  next,
  implement,
  mission,
  review,
  merge,
  doctor,
  schema,
  serve,
  mcp,
] as const;
