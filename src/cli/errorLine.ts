import { FlakeryError, InvalidOptionError } from '../errors.js';

/** A bad flag, value or command line: exit status 2, and no code in the line (the flag is named). */
export function isUsageError(error: unknown): boolean {
  return error instanceof InvalidOptionError || (error instanceof FlakeryError && error.code === 'ERR_USAGE');
}

/**
 * An error as the one line a command prints on stderr: Flakery's runtime errors and the
 * system's (a write failing with ENOSPC) as their message, a runtime failure with its code so
 * scripts and log searches can match it (`… [ERR_WORKER_ID_IN_USE]`); anything else is a bug, so
 * its stack too. Shared by `flakery` and `ofsrvr`, so both say a failure the same way.
 */
export function errorLine(error: unknown): string {
  if (error instanceof FlakeryError && !isUsageError(error)) {
    return `${error.message.replace(/\s*\n\s*/g, ' ')} [${error.code}]`;
  }
  if (error instanceof FlakeryError || (error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string')) {
    return error.message.replace(/\s*\n\s*/g, ' ');
  }
  return error instanceof Error ? (error.stack ?? String(error)) : String(error);
}
