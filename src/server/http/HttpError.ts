import { ClockError, type ErrorCode, FlakeryError } from '../../errors.js';
import type { RequestOutcome } from '../ServerObserver.js';

/**
 * An error the HTTP API answers with: a status, the stable code and message of the body
 * `{"error": {"code", "message"}}`, extra headers (Allow, Retry-After, WWW-Authenticate) and
 * the outcome the metrics count it under.
 */
export class HttpError extends FlakeryError {
  readonly status: number;
  readonly outcome: RequestOutcome;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: ErrorCode,
    message: string,
    options: { outcome: RequestOutcome; headers?: Record<string, string>; cause?: unknown },
  ) {
    super(code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    this.outcome = options.outcome;
    this.headers = options.headers ?? {};
  }

  /** The JSON body. */
  body(): string {
    return `${JSON.stringify({ error: { code: this.code, message: this.message } })}\n`;
  }
}

/** Whole seconds for a Retry-After header: rounded up, at least 1. */
export function retryAfterSeconds(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}

/** Codes that mean "this server cannot issue IDs now", answered with 503. */
const UNAVAILABLE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'ERR_LEASE_LOST',
  'ERR_WORKER_ID',
  'ERR_WORKER_ID_IN_USE',
  'ERR_STATE_FILE',
  'ERR_TIME_BEFORE_EPOCH',
  'ERR_TIME_OVERFLOW',
  'ERR_NOT_PERMITTED',
  'ERR_SERVER_CLOSED',
  'ERR_START_WAIT_EXCEEDED',
]);

/**
 * What to answer for an error thrown while serving a request. A clock behind is 503 with
 * Retry-After; a refusing gate (lost lease, state file) is 503; a bad ID is 400; anything else
 * is a 500 whose body says nothing about the cause (the caller logs it).
 */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof ClockError) {
    return new HttpError(503, error.code, error.message, {
      outcome: 'clock_behind',
      headers: { 'Retry-After': retryAfterSeconds(error.remainingMs) },
      cause: error,
    });
  }
  if (error instanceof FlakeryError) {
    if (UNAVAILABLE_CODES.has(error.code)) return new HttpError(503, error.code, error.message, { outcome: 'unavailable', cause: error });
    if (error.code === 'ERR_INVALID_ID') return new HttpError(400, error.code, error.message, { outcome: 'bad_request', cause: error });
  }
  return new HttpError(500, 'ERR_INTERNAL', 'internal error: the server logged the details', { outcome: 'error', cause: error });
}
