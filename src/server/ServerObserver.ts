/**
 * What the server reports as it works. Listeners call these hooks; metrics and logs implement
 * them. Kept as one small interface so the TCP and HTTP listeners need not know about
 * Prometheus or pino, and tests can record what happened.
 */
export type ListenerKind = 'tcp' | 'http';

/** How a request ended; a label value in metrics, stable. */
export type RequestOutcome =
  | 'ok'
  | 'auth_failed'
  | 'bad_request'
  | 'too_large'
  | 'clock_behind'
  | 'unavailable'
  | 'not_found'
  | 'aborted'
  | 'error';

export interface ServerObserver {
  connectionOpened(listener: ListenerKind): void;
  connectionClosed(listener: ListenerKind): void;
  /** A request finished: `ids` were delivered in `seconds` from its arrival. */
  requestFinished(listener: ListenerKind, outcome: RequestOutcome, ids: number, seconds: number): void;
  /** IDs were issued by the generator; `lastUnixMs` is the time of the last one. */
  idsIssued(count: number, lastUnixMs: number): void;
  /** A request had to wait for the next millisecond because this one's sequence was spent. */
  sequenceExhausted(): void;
  /** The clock read earlier than the last issued time, by `behindMs`. */
  clockBehind(behindMs: number): void;
}

/** Reports nothing. */
export const silentObserver: ServerObserver = {
  connectionOpened() {},
  connectionClosed() {},
  requestFinished() {},
  idsIssued() {},
  sequenceExhausted() {},
  clockBehind() {},
};
