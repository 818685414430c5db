/**
 * The shape of a method table: a method name maps to a summary and a lazy
 * loader returning the params schema, the result schema and the core
 * operation. Adding a method is one entry.
 *
 * @module
 */

import type { z } from "zod";
import type { OpContext } from "../core/context.ts";

/**
 * A loaded method (built with {@link method}, which checks `run` against both
 * schemas); the schemas' types stay visible to typed callers.
 */
export interface LoadedMethod<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  /** Params schema (by name); parsed output is what the operation receives. */
  params: P;
  /** Result schema: exactly what the operation returns (its CLI `--json` document). */
  result: R;
  /** The core operation; it receives what `params` parsed. */
  run(params: unknown, ctx: OpContext): Promise<unknown> | unknown;
}

/** A method as written in the table: `run` takes what `params` parses to and returns `result`'s output. */
export interface TypedMethod<P extends z.ZodType, R extends z.ZodType, O> {
  /** Params schema (by name). */
  params: P;
  /** Result schema: the operation's return type, exactly. */
  result: R;
  /** The core operation (a property, so its params are checked strictly). */
  run: (params: z.output<P>, ctx: OpContext) => O;
}

/**
 * `true` when `A` and `B` are the same type (not only mutually assignable:
 * an optional field on one side only, or `readonly` on one side only, differs).
 */
export type SameType<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2)
  ? true
  : false;

/** What `method()` asks for when the operation's return type and its result schema differ. */
export interface ResultMismatch<Returned, Declared> {
  /** Never satisfiable: the operation returns `returned`, the schema declares `declared`. */
  "the operation's return type is not the result schema's output": {
    returned: Returned;
    declared: Declared;
  };
}

/**
 * A method whose operation accepts what its params schema parses to and
 * returns exactly what its result schema describes; a mismatch either way
 * fails type checking.
 *
 * @param def Params schema, result schema, operation.
 * @returns The method, as the server stores it.
 */
export function method<P extends z.ZodType, R extends z.ZodType, O>(
  def:
    & TypedMethod<P, R, O>
    & (SameType<Awaited<O>, z.output<R>> extends true ? unknown
      : ResultMismatch<Awaited<O>, z.output<R>>),
): LoadedMethod<P, R> {
  // The server only calls run with the output of params.parse.
  return def as unknown as LoadedMethod<P, R>;
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
