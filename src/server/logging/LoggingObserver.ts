import type { Logger } from 'pino';
import type { Clock } from '../../clock/Clock.js';
import { systemClock } from '../../clock/Clock.js';
import type { ListenerKind, RequestOutcome, ServerObserver, WorkerIdEvent } from '../ServerObserver.js';

export interface LoggingObserverOptions {
  /**
   * Warnings of one kind (clock behind, failed auth, refused requests) are written at most once
   * per this many ms; the next one says how many were left out. A clock step or a client with a
   * wrong token would otherwise write a line per request. Default 1000; 0 writes every one.
   */
  readonly warnIntervalMs?: number;
  /** For the warning interval; default the system clock. */
  readonly clock?: Clock;
}

/** The level a finished request is logged at: failures the operator should see at `warn`. */
const outcomeLevel: Record<RequestOutcome, 'debug' | 'info' | 'warn' | 'error'> = {
  ok: 'debug',
  aborted: 'debug',
  pipeline_full: 'debug',
  not_found: 'debug',
  bad_request: 'info',
  too_large: 'info',
  auth_failed: 'warn',
  clock_behind: 'warn',
  unavailable: 'warn',
  error: 'error',
};

/**
 * Writes the server's events as structured log lines, one per event, each with an `event`
 * field to filter on: `connection_opened`, `connection_closed`, `request`, `sequence_exhausted`,
 * `clock_behind`, `ids_issued` (trace). Nothing here ever sees a token: the hooks carry counts,
 * kinds and outcomes only.
 */
export class LoggingObserver implements ServerObserver {
  readonly logger: Logger;
  readonly #warnIntervalMs: number;
  readonly #clock: Clock;
  /** Per warning kind: when one was last written, and how many were left out since. */
  readonly #warned = new Map<string, { atMs: number; suppressed: number }>();

  constructor(logger: Logger, options: LoggingObserverOptions = {}) {
    this.logger = logger;
    this.#warnIntervalMs = options.warnIntervalMs ?? 1000;
    this.#clock = options.clock ?? systemClock;
  }

  connectionOpened(listener: ListenerKind): void {
    this.logger.debug({ event: 'connection_opened', listener }, 'connection opened');
  }

  connectionClosed(listener: ListenerKind): void {
    this.logger.debug({ event: 'connection_closed', listener }, 'connection closed');
  }

  requestFinished(listener: ListenerKind, outcome: RequestOutcome, ids: number, seconds: number): void {
    const level = outcomeLevel[outcome];
    if (!this.logger.isLevelEnabled(level)) return;
    const fields = { event: 'request', listener, outcome, ids, ms: Math.round(seconds * 1e6) / 1e3 };
    const message = `${listener} request ${outcome}`;
    if (level === 'warn' || level === 'error') this.#warn(`request:${listener}:${outcome}`, level, fields, message);
    else this.logger[level](fields, message);
  }

  idsIssued(count: number, lastUnixMs: number): void {
    this.logger.trace({ event: 'ids_issued', count, lastUnixMs }, 'ids issued');
  }

  sequenceExhausted(): void {
    this.logger.debug({ event: 'sequence_exhausted' }, 'sequence spent for this millisecond; waiting for the next');
  }

  clockBehind(behindMs: number): void {
    this.#warn('clock_behind', 'warn', { event: 'clock_behind', behindMs }, `clock is ${behindMs} ms behind the last issued ID`);
  }

  /** Every worker id event, each with the id: none is rate-limited, they are rare. */
  workerIdChanged(event: WorkerIdEvent): void {
    const { kind, workerId, previousWorkerId, source, state, reason, notBeforeUnixMs } = event;
    const fields: Record<string, unknown> = { event: `worker_id_${kind}`, workerId, source, state };
    if (previousWorkerId !== undefined) fields.previousWorkerId = previousWorkerId;
    if (reason !== undefined) fields.reason = reason;
    if (notBeforeUnixMs !== undefined && notBeforeUnixMs > 0) fields.notBefore = new Date(notBeforeUnixMs).toISOString();
    const because = reason === undefined ? '' : `: ${reason}`;
    switch (kind) {
      case 'acquired':
        return this.logger.info(fields, `worker id ${workerId} acquired from ${source}${because}`);
      case 'lost':
        return this.logger.error(fields, `worker id ${workerId} lost; issuing no IDs until it is held again${because}`);
      case 'regained':
        return this.logger.warn(fields, `worker id ${workerId} held again; issuing IDs again${because}`);
      case 'changed':
        return this.logger.warn(fields, `worker id changed from ${previousWorkerId} to ${workerId}: another node took ${previousWorkerId}${because}`);
      case 'released':
        return this.logger.info(fields, `worker id ${workerId} released`);
    }
  }

  /** Writes a warning unless one of this kind went out within the interval. */
  #warn(kind: string, level: 'warn' | 'error', fields: Record<string, unknown>, message: string): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const now = this.#clock.now();
    const last = this.#warned.get(kind);
    if (last !== undefined && now - last.atMs < this.#warnIntervalMs && now >= last.atMs) {
      last.suppressed++;
      return;
    }
    const suppressed = last?.suppressed ?? 0;
    this.#warned.set(kind, { atMs: now, suppressed: 0 });
    this.logger[level](suppressed > 0 ? { ...fields, suppressed } : fields, message);
  }
}
