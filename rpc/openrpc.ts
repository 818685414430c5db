/**
 * `rpc.discover`: an OpenRPC 1.x document generated from the method table's
 * zod schemas (params in input mode, results in output mode).
 *
 * @module
 */

import { z } from "zod";
import { VERSION } from "../core/version.ts";
import type { MethodTable } from "./method_table.ts";
import { RPC_ERRORS } from "./protocol.ts";

/**
 * The JSON Schema of a zod schema, for RPC documents.
 *
 * @param schema A zod schema.
 * @param io `input` for params, `output` for results.
 * @returns A JSON Schema object (draft 2020-12) without `$schema`.
 */
export function rpcJsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const doc = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<string, unknown>;
  delete doc.$schema;
  return doc;
}

/**
 * Build the OpenRPC document of a method table.
 *
 * @param methods The method table (every method is loaded).
 * @returns The OpenRPC 1.3 document.
 */
export async function openRpcDocument(methods: MethodTable): Promise<Record<string, unknown>> {
  const out: Record<string, unknown>[] = [];
  for (const [name, def] of Object.entries(methods)) {
    const m = await def.load();
    const params = rpcJsonSchema(m.params, "input");
    const props = (params.properties ?? {}) as Record<string, Record<string, unknown>>;
    const required = new Set((params.required ?? []) as string[]);
    out.push({
      name,
      summary: def.summary,
      paramStructure: "by-name",
      params: Object.entries(props).map(([p, schema]) => ({
        name: p,
        required: required.has(p),
        ...(typeof schema.description === "string" ? { description: schema.description } : {}),
        schema,
      })),
      result: {
        name: "result",
        schema: rpcJsonSchema(m.result, "output"),
      },
    });
  }
  return {
    openrpc: "1.3.2",
    info: {
      title: "keel",
      version: VERSION,
      description:
        "keel's JSON-RPC 2.0 API. Each method mirrors a CLI command; its result is that command's --json document.",
    },
    methods: out,
    components: {
      errors: Object.fromEntries(
        Object.entries(RPC_ERRORS).map(([k, code]) => [k, { code, message: k.toLowerCase() }]),
      ),
    },
  };
}
