/**
 * The process exit status of every `hisaabo` command. Scripts branch on these, so each one means exactly
 * one kind of cause and they never change meaning (docs/cli.md lists them).
 */
export const ExitCode = {
  ok: 0,
  /** Not logged in, bad credentials, or the account lacks the role (or membership) the command needs. */
  auth: 1,
  /** The server refused because of a rate limit (2 exports per organization per day). */
  rateLimited: 2,
  /** The restore target organization already holds data. */
  targetNotEmpty: 3,
  /** The file is missing, unreadable, corrupt, not a Hisaabo archive, or cannot be decrypted. */
  badFile: 4,
  /** The server could not be reached, or failed; or the embedded database is in use by another process. */
  server: 5,
  /** The command line itself is wrong (unknown option, missing argument, confirmation impossible). */
  usage: 64,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
