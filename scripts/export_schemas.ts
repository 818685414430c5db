// deno-lint-ignore-file no-console
/**
 * `deno task schemas`: write `schemas/<name>.schema.json` from the zod schemas,
 * and `schemas/codes.schema.json` from the code registries.
 *
 * @module
 */

import { renderSchemaFiles } from "../schemas/render.ts";
import { codesSchema } from "./codes.ts";

if (import.meta.main) {
  const dir = new URL("../schemas/", import.meta.url);
  for (const [file, text] of Object.entries(renderSchemaFiles())) {
    await Deno.writeTextFile(new URL(file, dir), text);
    console.log(`wrote schemas/${file}`);
  }
  await Deno.writeTextFile(
    new URL("codes.schema.json", dir),
    JSON.stringify(codesSchema(), null, 2) + "\n",
  );
  console.log("wrote schemas/codes.schema.json");
}
