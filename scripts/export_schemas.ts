// deno-lint-ignore-file no-console
/**
 * `deno task schemas`: write `schemas/<name>.schema.json` from the zod schemas.
 *
 * @module
 */

import { ERROR_CODES } from "../core/errors.ts";
import { renderSchemaFiles } from "../schemas/render.ts";

if (import.meta.main) {
  const dir = new URL("../schemas/", import.meta.url);
  for (const [file, text] of Object.entries(renderSchemaFiles(ERROR_CODES))) {
    await Deno.writeTextFile(new URL(file, dir), text);
    console.log(`wrote schemas/${file}`);
  }
}
