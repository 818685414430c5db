/**
 * The result schema (zod) of `doctor/run`: exactly what `doctorOp` returns
 * (the `--json` document of `keel doctor`).
 *
 * @module
 */

import { z } from "zod";
import { DOCTOR_CODES, type DoctorCode } from "./codes.ts";

/** Result of `doctor/run`. */
export const DoctorResult = z.strictObject({
  ok: z.boolean().describe("No error or warning is left (info never fails)."),
  fix: z.boolean().describe("Whether fix was given."),
  checked: z.strictObject({
    contracts: z.number(),
    runs: z.number(),
    missions: z.number(),
    lock_files: z.number(),
  }),
  problems: z.array(z.strictObject({
    code: z.enum(Object.keys(DOCTOR_CODES) as [DoctorCode, ...DoctorCode[]]),
    severity: z.enum(["error", "warning", "info"]),
    path: z.string(),
    message: z.string(),
    explanation: z.string(),
    fixable: z.boolean(),
    fixed: z.boolean(),
    fix: z.record(z.string(), z.unknown()).nullable(),
    evidence: z.record(z.string(), z.unknown()),
  })).describe("Every problem, fixed or not, in check order."),
  counts: z.strictObject({
    error: z.number(),
    warning: z.number(),
    info: z.number(),
    fixed: z.number(),
  }),
});
