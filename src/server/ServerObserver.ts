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
  /** HTTP: more requests pipelined on one connection than wait there at most; the connection is closed. */
  | 'pipeline_full'
  | 'error';

/** Something that happened to the node's worker id (snowflake): for logs and metrics. */
export interface WorkerIdEvent {
  /**
   * `acquired` at start; `lost` when it can no longer be relied on (IDs stop); `regained` when
   * the same id is held again; `changed` when another node took it and this one holds
   * `workerId` now instead of `previousWorkerId`; `released` at shutdown.
   */
  readonly kind: 'acquired' | 'lost' | 'regained' | 'changed' | 'released';
  readonly workerId: number;
  readonly previousWorkerId?: number;
  /** Where the id comes from (`config`, `env:NAME`, `redis://host:6379/0`), never a password. */
  readonly source: string;
  /** Whether IDs may be issued under it now (`held`), or not (`lost`, `released`). */
  readonly state: 'held' | 'lost' | 'released';
  /** `lost`: why. Otherwise why IDs wait, when they do (`notBeforeUnixMs` in the future). */
  readonly reason?: string;
  /** No ID under this id before this Unix ms. */
  readonly notBeforeUnixMs?: number;
}

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
  /** The worker id was acquired, lost, regained, changed or released. */
  workerIdChanged?(event: WorkerIdEvent): void;
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
