/**
 * The shape of a method table: a method name maps to a summary and a lazy
 * loader returning the params schema, an optional result schema and the
 * core operation. Adding a method is one entry.
 *
 * @module
 */

import type { z } from "zod";
import type { OpContext } from "../core/context.ts";

/** A loaded method (built with {@link method}, which checks `run` against `params`). */
export interface LoadedMethod {
  /** Params schema (by name); parsed output is what the operation receives. */
  params: z.ZodType;
  /** Result schema, when the operation declares one. */
  result?: z.ZodType;
  /** The core operation; it receives what `params` parsed. */
  run(params: unknown, ctx: OpContext): Promise<unknown> | unknown;
}

/** A method as written in the table: `run` takes what its `params` schema parses to. */
export interface TypedMethod<P extends z.ZodType> {
  /** Params schema (by name). */
  params: P;
  /** Result schema, when the operation declares one. */
  result?: z.ZodType;
  /** The core operation (a property, so its params are checked strictly). */
  run: (params: z.output<P>, ctx: OpContext) => Promise<unknown> | unknown;
}

/**
 * A method whose operation accepts what its params schema parses to; a
 * mismatch fails type checking.
 *
 * @param def Params schema, result schema, operation.
 * @returns The method, as the server stores it.
 */
export function method<P extends z.ZodType>(def: TypedMethod<P>): LoadedMethod {
  // The server only calls run with the output of params.parse.
  return def as unknown as LoadedMethod;
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
