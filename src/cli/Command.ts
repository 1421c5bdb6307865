import type { Readable, Writable } from 'node:stream';

/** The streams a command reads and writes; the real process's, or a test's. */
export interface CliIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/** Exit statuses: 1 when the work failed (an invalid ID, the clock), 2 for a bad command line. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/**
 * One `flakery` subcommand. `run` gets the arguments after the command's name (never
 * `--help`: the dispatcher answers that from `help`) and resolves to the exit status. It
 * throws an InvalidOptionError (or a FlakeryError with code ERR_USAGE) for a bad command
 * line before it writes anything to stdout; the dispatcher prints it as one line, status 2.
 */
export interface Command {
  readonly name: string;
  /** One line for `flakery --help`. */
  readonly summary: string;
  /** The full text of `flakery <name> --help`. */
  help(): string;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/**
 * A command as the dispatcher lists it: name and summary at hand for `flakery --help`, its
 * module loaded only when the command runs (or shows its own help), so `flakery gen` never
 * loads the server stack.
 */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  load(): Promise<Command>;
}
