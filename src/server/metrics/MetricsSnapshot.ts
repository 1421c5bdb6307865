import type { ListenerKind, RequestOutcome, WorkerIdEvent } from '../ServerObserver.js';

/** One listener's request durations: the histogram's plain numbers and a p99 estimate. */
export interface RequestDurationSnapshot {
  /** Requests timed. */
  readonly count: number;
  /** Their durations added up, in seconds. */
  readonly sumSeconds: number;
  /**
   * Requests at or below each bound of `LATENCY_BUCKETS_SECONDS`, in bound order, then `count`
   * (what the `le` buckets show). Subtract an earlier snapshot's to see a window of time.
   */
  readonly cumulative: readonly number[];
  /** The 99th percentile since start, estimated as `histogram_quantile` would; NaN before any request. */
  readonly p99Seconds: number;
}

/**
 * What `MetricsObserver.snapshot()` returns: the current values of the server's metrics as plain
 * numbers, a fresh object each call (the caller may keep it). Counters count from start; take
 * two snapshots and subtract for rates (IDs/s, requests/s).
 */
export interface MetricsSnapshot {
  /** `flakery_ids_issued_total`. */
  readonly idsIssued: number;
  /** `flakery_requests_total`, by listener and outcome. */
  readonly requests: Readonly<Record<ListenerKind, Readonly<Record<RequestOutcome, number>>>>;
  /** `flakery_requests_total` summed over the listeners, by outcome (refusals are all but `ok`). */
  readonly requestsByOutcome: Readonly<Record<RequestOutcome, number>>;
  /** `flakery_request_duration_seconds`, by listener. */
  readonly requestDuration: Readonly<Record<ListenerKind, RequestDurationSnapshot>>;
  /** `flakery_open_connections`, by listener. */
  readonly openConnections: Readonly<Record<ListenerKind, number>>;
  /** `flakery_sequence_exhausted_total`. */
  readonly sequenceExhausted: number;
  /** `flakery_clock_regressions_total`. */
  readonly clockRegressions: number;
  /** The time in the last ID issued, Unix ms; 0 before the first. */
  readonly lastIssuedUnixMs: number;
  /** When the server started, Unix ms. */
  readonly startUnixMs: number;
  /** The worker id families (snowflake), from the first worker id event on; absent before. */
  readonly workerId?: {
    readonly id: number;
    readonly held: boolean;
    readonly events: Readonly<Record<WorkerIdEvent['kind'], number>>;
  };
}
