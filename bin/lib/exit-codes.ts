/** Exit codes of `clustercore` (documented in its --help and in the README's Operating section). */

/** What a run of the command line ended with. */
export const EXIT = Object.freeze({
  /** Done. */
  OK: 0,
  /** The group answered with an error (e.g. a reload that failed), or the connection broke. */
  FAILED: 1,
  /** Wrong command or option, or several groups run and none was named. */
  USAGE: 2,
  /** No group of that name runs on this machine for this user (or none at all). */
  NO_GROUP: 3,
  /** The operating system refused the connection: the socket belongs to another user. */
  REFUSED: 4,
});

/** An error the command line reports in one line, exiting with `code`. */
export class CliError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
    this.name = 'CliError';
  }
}
