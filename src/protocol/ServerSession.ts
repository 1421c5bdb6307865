import { FlakeryError, InvalidOptionError } from '../errors.js';
import { constantTimeEqual } from './constantTimeEqual.js';
import { MAX_TOKEN_LENGTH, MAX_WIRE_COUNT } from './constants.js';
import type { Frame } from './Frame.js';

export interface ServerSessionOptions {
  /**
   * The token clients must send in their first frame. Absent or empty: no authentication (an empty
   * token means "none", as an empty `-auth` does in overt-flake). At most 255 bytes.
   */
  readonly token?: Uint8Array | undefined;
  /** The largest count one frame may ask for: an integer in 1..0xFFFFFEFF. */
  readonly maxCount: number;
}

/** Write exactly `count` IDs, then go on with the next frame. */
export interface ServeAction {
  readonly kind: 'serve';
  readonly count: number;
}

/**
 * Close the connection without writing another byte; `error` (ERR_AUTH_FAILED, ERR_BAD_FRAME or
 * ERR_COUNT_TOO_LARGE) is for logs and metrics and never contains token bytes.
 */
export interface CloseAction {
  readonly kind: 'close';
  readonly error: FlakeryError;
}

/** What the server must do after a frame. */
export type SessionAction = ServeAction | CloseAction;

/**
 * The protocol rules of one TCP connection, without the socket: the server decodes frames with a
 * FrameDecoder, hands each to {@link receive}, and does what the returned action says.
 *
 * Rules (DESIGN.md, "Wire protocol"):
 * - With a token: the first frame must be an auth header carrying that token (compared in constant
 *   time); anything else closes with ERR_AUTH_FAILED before a single ID is served.
 * - Without a token: an auth header as the first frame is accepted and ignored (clients configured
 *   with a token still work); an auth header anywhere else is ERR_BAD_FRAME.
 * - A count of 0 is ERR_BAD_FRAME; a count above `maxCount` is ERR_COUNT_TOO_LARGE.
 * - After a close, every further frame gets the same close action: the connection is over.
 *
 * Kept pure so each rule is tested with plain values and the TCP server holds no protocol logic.
 */
export class ServerSession {
  readonly #token: Uint8Array | undefined;
  readonly #maxCount: number;
  #framesSeen = 0;
  #authenticated: boolean;
  #closed: CloseAction | undefined;

  constructor(options: ServerSessionOptions) {
    const { token, maxCount } = options;
    if (token !== undefined && token.length > MAX_TOKEN_LENGTH) {
      throw new InvalidOptionError(
        'token',
        `token must be at most ${MAX_TOKEN_LENGTH} bytes, got ${token.length} bytes`,
      );
    }
    if (!Number.isInteger(maxCount) || maxCount < 1 || maxCount > MAX_WIRE_COUNT) {
      throw new InvalidOptionError(
        'maxCount',
        `maxCount must be an integer from 1 to ${MAX_WIRE_COUNT}, got ${String(maxCount)}`,
      );
    }
    // Copied so a caller reusing its array cannot change the token under a live session.
    this.#token = token !== undefined && token.length > 0 ? token.slice() : undefined;
    this.#maxCount = maxCount;
    this.#authenticated = this.#token === undefined;
  }

  /**
   * Judges one frame. Returns the action to take, or `undefined` when there is nothing to do (an
   * accepted auth header).
   */
  receive(frame: Frame): SessionAction | undefined {
    if (this.#closed !== undefined) return this.#closed;
    const first = this.#framesSeen === 0;
    this.#framesSeen++;

    if (frame.kind === 'auth') {
      if (!first) {
        return this.#close('ERR_BAD_FRAME', 'auth header is only allowed as the first frame');
      }
      if (this.#token !== undefined) {
        if (!constantTimeEqual(frame.token, this.#token)) {
          return this.#close('ERR_AUTH_FAILED', 'authentication failed: wrong token');
        }
        this.#authenticated = true;
      }
      return undefined;
    }

    if (!this.#authenticated) {
      return this.#close('ERR_AUTH_FAILED', 'authentication required: the first frame must be an auth header');
    }
    const { count } = frame;
    // The decoder only yields integers in 0..0xFFFFFEFF; the wider test guards hand-made frames.
    if (!Number.isInteger(count) || count < 1 || count > MAX_WIRE_COUNT) {
      return this.#close('ERR_BAD_FRAME', `count must be an integer from 1 to ${this.#maxCount}, got ${String(count)}`);
    }
    if (count > this.#maxCount) {
      return this.#close(
        'ERR_COUNT_TOO_LARGE',
        `count ${count} is above this server's maximum of ${this.#maxCount} IDs per request`,
      );
    }
    return { kind: 'serve', count };
  }

  /**
   * True once the client may be served: it sent the right token, or none is required. Stays as it
   * was when the session closes; after a close nothing is served either way.
   */
  get authenticated(): boolean {
    return this.#authenticated;
  }

  /** True when a token is configured, so the first frame must carry it. */
  get requiresAuth(): boolean {
    return this.#token !== undefined;
  }

  /** The close action once one was returned; the session answers nothing else afterwards. */
  get closed(): CloseAction | undefined {
    return this.#closed;
  }

  #close(code: 'ERR_BAD_FRAME' | 'ERR_AUTH_FAILED' | 'ERR_COUNT_TOO_LARGE', message: string): CloseAction {
    this.#closed = { kind: 'close', error: new FlakeryError(code, message) };
    return this.#closed;
  }
}
