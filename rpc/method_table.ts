/**
 * The shape of a method table: a method name maps to a summary and a lazy
 * loader returning the params schema, an optional result schema and the
 * core operation. Adding a method is one entry.
 *
 * @module
 */

import type { z } from "zod";
import type { OpContext } from "../core/context.ts";

/** A loaded method. */
export interface LoadedMethod {
  /** Params schema (by name); parsed output is what the operation receives. */
  params: z.ZodType;
  /** Result schema, when the operation declares one. */
  result?: z.ZodType;
  /** The core operation. */
  // deno-lint-ignore no-explicit-any
  run(params: any, ctx: OpContext): Promise<unknown> | unknown;
}

/** One entry of the method table. */
export interface MethodDef {
  /** One line for `rpc.discover` and tool descriptions. */
  summary: string;
  /** Imports the operation on first use. */
  load(): Promise<LoadedMethod>;
}

/** Method name → definition. */
export type MethodTable = Readonly<Record<string, MethodDef>>;
