/**
 * keel's method table: every RPC method, named `noun/verb` after the CLI
 * command it mirrors. Params are the core operation's zod schema (CLI flags
 * in camelCase); the result is exactly the CLI's `--json` document.
 *
 * @module
 */

import { z } from "zod";
import type { MethodTable } from "./method_table.ts";

const LOOSE_RESULT = z.record(z.string(), z.unknown());

/** The methods keel serves. */
export const METHODS: MethodTable = {
  "keel/version": {
    summary: "keel's version and build commit.",
    async load() {
      const { VERSION, BUILD_COMMIT } = await import("../core/version.ts");
      return {
        params: z.strictObject({}),
        result: z.strictObject({ version: z.string(), commit: z.string() }),
        run: () => ({ version: VERSION, commit: BUILD_COMMIT }),
      };
    },
  },
  "schema/get": {
    summary: "The JSON Schema of an artifact (all of them, by name, when name is omitted).",
    async load() {
      const { getSchemaDocument } = await import("../core/schema_registry.ts");
      return {
        params: z.strictObject({
          name: z.string().optional().describe("Schema name, e.g. intent."),
        }),
        result: LOOSE_RESULT,
        run: (p: { name?: string }) => getSchemaDocument(p.name),
      };
    },
  },
  "contract/init": {
    summary: "Write draft intent, test contract and commit plan for a contract.",
    async load() {
      const m = await import("../core/contract/mod.ts");
      return { params: m.InitParams, result: LOOSE_RESULT, run: m.initOp };
    },
  },
  "contract/validate": {
    summary: "Schema and checklist findings for a contract's three artifacts.",
    async load() {
      const m = await import("../core/contract/mod.ts");
      return { params: m.ValidateParams, result: LOOSE_RESULT, run: m.validateOp };
    },
  },
  "contract/approve": {
    summary: "Approve intent, tests, plan or all; refused when invalid.",
    async load() {
      const m = await import("../core/contract/mod.ts");
      return { params: m.ApproveParams, result: LOOSE_RESULT, run: m.approveOp };
    },
  },
  "contract/status": {
    summary: "Draft / approved / stale per artifact, and the active run.",
    async load() {
      const m = await import("../core/contract/mod.ts");
      return { params: m.StatusParams, result: LOOSE_RESULT, run: m.statusOp };
    },
  },
};
