/**
 * The git runner of the gates: the git port's runner for what only the git
 * CLI can do (`core/git` `runGit`); re-exported here for the gate modules.
 *
 * @module
 */

export { type GitOutput, type GitRunner, runGit } from "../git/mod.ts";
