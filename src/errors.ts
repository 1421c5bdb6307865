/**
 * Every error Flakery throws or reports is a {@link FlakeryError} with a stable `code`.
 * Test `err.code`, never the message: messages may be reworded, codes never change.
 * The table of codes is in docs/errors.md.
 */
export type ErrorCode =
  // options, config files and the command line
  | 'ERR_INVALID_OPTION'
  | 'ERR_CONFIG_FILE'
  | 'ERR_USAGE'
  // generation
  | 'ERR_CLOCK_BACKWARDS'
  | 'ERR_WAITING_FOR_START'
  | 'ERR_TIME_BEFORE_EPOCH'
  | 'ERR_TIME_OVERFLOW'
  | 'ERR_NOT_PERMITTED'
  // ID values
  | 'ERR_INVALID_ID'
  // wire protocol and server
  | 'ERR_BAD_FRAME'
  | 'ERR_AUTH_FAILED'
  | 'ERR_COUNT_TOO_LARGE'
  | 'ERR_SERVER_CLOSED'
  // client
  | 'ERR_CONNECT_TIMEOUT'
  | 'ERR_REQUEST_TIMEOUT'
  | 'ERR_CONNECTION_LOST'
  | 'ERR_NO_SERVER_AVAILABLE'
  | 'ERR_CLIENT_CLOSED'
  | 'ERR_TLS'
  | 'ERR_IMPLAUSIBLE_ID'
  | 'ERR_IDS_OUT_OF_ORDER'
  | 'ERR_AUTH_REFUSED'
  | 'ERR_PREFETCH_EMPTY'
  | 'ERR_IDS_TOO_OLD'
  // machine identity and persisted state
  | 'ERR_HARDWARE_ID'
  | 'ERR_HARDWARE_ID_UNAVAILABLE'
  | 'ERR_WORKER_ID'
  | 'ERR_WORKER_ID_IN_USE'
  | 'ERR_NODE_ID_IN_USE'
  | 'ERR_LEASE_LOST'
  | 'ERR_STATE_FILE'
  | 'ERR_START_WAIT_EXCEEDED'
  // installation
  | 'ERR_MISSING_DEPENDENCY'
  // HTTP API (the other HTTP errors reuse the codes above: ERR_INVALID_ID, ERR_AUTH_FAILED, …)
  | 'ERR_BAD_REQUEST'
  | 'ERR_NOT_FOUND'
  | 'ERR_METHOD_NOT_ALLOWED'
  | 'ERR_REQUEST_TOO_LARGE'
  | 'ERR_INTERNAL'
  // server start-up
  | 'ERR_LISTEN';

export class FlakeryError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  override get name(): string {
    return this.constructor.name;
  }
}

/**
 * An option, flag or config value is missing, of the wrong type or out of range (or, with code
 * `ERR_HARDWARE_ID_UNAVAILABLE`, names a hardware id provider this platform does not have).
 */
export class InvalidOptionError extends FlakeryError {
  /** The option's name as the user spelled it (`machineId`, `--machine-id`, `-hid`). */
  readonly option: string;

  constructor(
    option: string,
    message: string,
    options?: { cause?: unknown; code?: 'ERR_INVALID_OPTION' | 'ERR_HARDWARE_ID_UNAVAILABLE' },
  ) {
    super(options?.code ?? 'ERR_INVALID_OPTION', message, options);
    this.option = option;
  }
}

/**
 * The clock is behind the last time an ID was issued (it stepped backwards), or behind the
 * earliest time IDs may be issued (`waitFor`, a persisted high-water mark). Retrying after
 * `remainingMs` milliseconds succeeds if the clock runs forward normally.
 */
export class ClockError extends FlakeryError {
  readonly remainingMs: number;

  constructor(code: 'ERR_CLOCK_BACKWARDS' | 'ERR_WAITING_FOR_START', remainingMs: number) {
    super(
      code,
      code === 'ERR_CLOCK_BACKWARDS'
        ? `clock moved backwards: refusing to generate IDs for ${remainingMs} ms`
        : `not yet allowed to generate IDs: ${remainingMs} ms to wait`,
    );
    this.remainingMs = remainingMs;
  }
}

/** The clock reads a time the layout cannot hold: before the epoch, or past its time bits. */
export class TimeRangeError extends FlakeryError {
  readonly unixMs: number;

  constructor(code: 'ERR_TIME_BEFORE_EPOCH' | 'ERR_TIME_OVERFLOW', unixMs: number, message: string) {
    super(code, message);
    this.unixMs = unixMs;
  }
}

/** A string, number or byte array is not a valid ID of the layout it was read as. */
export class InvalidIdError extends FlakeryError {
  constructor(message: string) {
    super('ERR_INVALID_ID', message);
  }
}
