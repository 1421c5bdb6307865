import type { RequestOutcome } from '../../src/server/ServerObserver.js';

/** How a connection fed with some bytes (and then the end of input) must end. */
export type ModelEnd = 'clean' | Extract<RequestOutcome, 'auth_failed' | 'bad_request' | 'too_large'>;

/** What the server must do with one connection's whole input, according to DESIGN.md alone. */
export interface ModelOutcome {
  /** The counts it must answer, in order, before it closes. */
  readonly served: readonly number[];
  /** Why it closes: `clean` after the last answer, or the refusal that closes it. */
  readonly end: ModelEnd;
  /**
   * False when the server has a token and the client never presented it as its first frame:
   * then not one byte may go back.
   */
  readonly authenticated: boolean;
}

const AUTH_HEADER = 0xffffff00;

/**
 * The wire protocol's rules, written out again independently of FrameDecoder and ServerSession
 * (one loop over the bytes, no incremental state), so the fuzzer checks the server against the
 * specification rather than against its own parts. The input is everything the client sends,
 * followed by the end of its input (a half-close).
 */
export function modelServer(bytes: Uint8Array, token: Uint8Array | undefined, maxCount: number): ModelOutcome {
  const served: number[] = [];
  let authenticated = token === undefined;
  let first = true;
  let at = 0;
  const close = (end: ModelEnd): ModelOutcome => ({ served, end, authenticated });
  while (at < bytes.length) {
    if (bytes.length - at < 4) return close('bad_request'); // the input ends inside a header
    const value = ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
    at += 4;
    const wasFirst = first;
    first = false;
    if (value >= AUTH_HEADER) {
      const length = value & 0xff;
      if (bytes.length - at < length) return close('bad_request'); // the input ends inside the token
      const sent = bytes.subarray(at, at + length);
      at += length;
      if (!wasFirst) return close('bad_request');
      if (token !== undefined) {
        if (!sameBytes(sent, token)) return close('auth_failed');
        authenticated = true;
      }
      continue;
    }
    if (!authenticated) return close('auth_failed');
    if (value === 0) return close('bad_request');
    if (value > maxCount) return close('too_large');
    served.push(value);
  }
  return close('clean');
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
