import { ClockError, FlakeryError } from '../errors.js';
import type { RequestOutcome } from './ServerObserver.js';

/** How a TCP request that failed with `error` is counted (metrics, logs). */
export function outcomeOfError(error: unknown): RequestOutcome {
  if (error instanceof ClockError) return 'clock_behind';
  if (!(error instanceof FlakeryError)) return 'error';
  switch (error.code) {
    case 'ERR_AUTH_FAILED':
      return 'auth_failed';
    case 'ERR_BAD_FRAME':
      return 'bad_request';
    case 'ERR_COUNT_TOO_LARGE':
      return 'too_large';
    case 'ERR_CLOCK_BACKWARDS':
    case 'ERR_WAITING_FOR_START':
      return 'clock_behind';
    default:
      return 'unavailable';
  }
}
