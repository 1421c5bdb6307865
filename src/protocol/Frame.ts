/**
 * One decoded client frame. The decoder reports what is on the wire and nothing more; whether a
 * frame is allowed at this point of the conversation (a count of 0, a second auth header, a count
 * above the server's maximum) is for {@link ServerSession} to judge.
 */
export type Frame = AuthFrame | CountFrame;

/** `FF FF FF nn` followed by nn token bytes. `token` is a copy the receiver owns. */
export interface AuthFrame {
  readonly kind: 'auth';
  readonly token: Uint8Array;
}

/** Any other 4-byte value: a request for `count` IDs (0 included; it is rejected later). */
export interface CountFrame {
  readonly kind: 'count';
  readonly count: number;
}
