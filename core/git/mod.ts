/**
 * Git: a port with two adapters (the git CLI and isomorphic-git) that give
 * identical answers.
 *
 * @module
 */
export type {
  CommitInfo,
  FileChange,
  FileStatus,
  GitBackend,
  GitBackendChoice,
  GitPort,
  OpenGitOptions,
  RevertInfo,
  WorktreeStatus,
} from "./types.ts";
export { openGit } from "./open_git.ts";
export { parseCommitMessage, type ParsedMessage } from "./parse_message.ts";
export { type OrderableCommit, orderCommits } from "./order_commits.ts";
export { parseRevision, type Revision } from "./revision.ts";
export {
  type GitOutput,
  type GitRunner,
  type LaunchedGit,
  launchGit,
  type LaunchGitOptions,
  launchGitSync,
  requireCliGit,
  runGit,
} from "./run_git.ts";
export { cliCommitLookup, type CommitLookup, commitLookup } from "./commit_exists.ts";
export { type GitIdentity, gitIdentity } from "./identity.ts";
export { baseIsAncestor } from "./range_ancestry.ts";
