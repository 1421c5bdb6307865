import type { ListenerKind, RequestOutcome, ServerObserver, WorkerIdEvent } from '../ServerObserver.js';
import { Counter, type CounterSeries } from './Counter.js';
import { Gauge, type GaugeSeries } from './Gauge.js';
import { Histogram, type HistogramSeries } from './Histogram.js';
import { MetricsRegistry } from './MetricsRegistry.js';

/** Every RequestOutcome, so each series exists (at 0) from the start and `rate()` works at once. */
export const requestOutcomes = [
  'ok',
  'auth_failed',
  'bad_request',
  'too_large',
  'clock_behind',
  'unavailable',
  'not_found',
  'aborted',
  'error',
] as const satisfies readonly RequestOutcome[];
// Fails to compile when ServerObserver gains an outcome that is missing above.
type MissingOutcome = Exclude<RequestOutcome, (typeof requestOutcomes)[number]>;
const allOutcomesListed: [MissingOutcome] extends [never] ? true : false = true;
void allOutcomesListed;

export interface MetricsObserverOptions {
  /** Where the families are registered; default a new registry (see `registry`). */
  readonly registry?: MetricsRegistry;
  /** Listeners whose series are made up front. Default both. */
  readonly listeners?: readonly ListenerKind[];
  /** For `flakery_start_time_seconds`; default now. */
  readonly startUnixMs?: number;
}

/**
 * The server's Prometheus metrics, fed through the ServerObserver hooks:
 *
 * | metric | type | labels |
 * |---|---|---|
 * | flakery_ids_issued_total | counter | |
 * | flakery_requests_total | counter | listener, outcome |
 * | flakery_request_duration_seconds | histogram | listener |
 * | flakery_open_connections | gauge | listener |
 * | flakery_sequence_exhausted_total | counter | |
 * | flakery_clock_regressions_total | counter | |
 * | flakery_last_issued_timestamp_seconds | gauge | |
 * | flakery_start_time_seconds | gauge | |
 * | flakery_worker_id | gauge | | (snowflake, from the first worker id event on)
 * | flakery_worker_id_held | gauge | | 1 while IDs may be issued under it, else 0
 * | flakery_worker_id_events_total | counter | event (acquired, lost, regained, changed, released)
 *
 * Every hook is a few additions on series looked up once here, so observing costs the hot path
 * next to nothing. Serve `registry.render()` at `/metrics` (the HTTP listener does).
 */
export class MetricsObserver implements ServerObserver {
  readonly registry: MetricsRegistry;
  readonly idsIssuedTotal: Counter;
  readonly requestsTotal: Counter<'listener' | 'outcome'>;
  readonly requestDuration: Histogram<'listener'>;
  readonly openConnections: Gauge<'listener'>;
  readonly sequenceExhaustedTotal: Counter;
  readonly clockRegressionsTotal: Counter;
  readonly lastIssuedTimestamp: Gauge;
  readonly startTime: Gauge;
  readonly #requests = new Map<string, CounterSeries>();
  readonly #durations = new Map<ListenerKind, HistogramSeries>();
  readonly #connections = new Map<ListenerKind, GaugeSeries>();
  #workerId: { id: Gauge; held: Gauge; events: Counter<'event'> } | undefined;

  constructor(options: MetricsObserverOptions = {}) {
    const registry = (this.registry = options.registry ?? new MetricsRegistry());
    this.idsIssuedTotal = registry.register(new Counter({ name: 'flakery_ids_issued_total', help: 'IDs issued, over all listeners.' }));
    this.requestsTotal = registry.register(
      new Counter({
        name: 'flakery_requests_total',
        help: 'Requests finished, by listener (tcp, http) and outcome (ok, auth_failed, bad_request, too_large, clock_behind, unavailable, not_found, aborted, error).',
        labelNames: ['listener', 'outcome'],
      }),
    );
    this.requestDuration = registry.register(
      new Histogram({
        name: 'flakery_request_duration_seconds',
        help: 'Time from a request\'s arrival until its answer was handed to the socket, in seconds.',
        labelNames: ['listener'],
      }),
    );
    this.openConnections = registry.register(
      new Gauge({ name: 'flakery_open_connections', help: 'Connections open now, by listener.', labelNames: ['listener'] }),
    );
    this.sequenceExhaustedTotal = registry.register(
      new Counter({
        name: 'flakery_sequence_exhausted_total',
        help: 'Times a request waited for the next millisecond because the sequence of the current one was spent.',
      }),
    );
    this.clockRegressionsTotal = registry.register(
      new Counter({
        name: 'flakery_clock_regressions_total',
        help: 'Times a request found the clock behind the last issued time (waited out or refused).',
      }),
    );
    this.lastIssuedTimestamp = registry.register(
      new Gauge({ name: 'flakery_last_issued_timestamp_seconds', help: 'Time in the last ID issued, in Unix seconds; 0 before the first.' }),
    );
    this.startTime = registry.register(new Gauge({ name: 'flakery_start_time_seconds', help: 'When the server started, in Unix seconds.' }));
    this.startTime.set((options.startUnixMs ?? Date.now()) / 1000);

    for (const listener of options.listeners ?? (['tcp', 'http'] as const)) {
      for (const outcome of requestOutcomes) this.#requestSeries(listener, outcome);
      this.#durationSeries(listener);
      this.#connectionSeries(listener);
    }
  }

  connectionOpened(listener: ListenerKind): void {
    this.#connectionSeries(listener).inc();
  }

  connectionClosed(listener: ListenerKind): void {
    this.#connectionSeries(listener).dec();
  }

  requestFinished(listener: ListenerKind, outcome: RequestOutcome, _ids: number, seconds: number): void {
    this.#requestSeries(listener, outcome).inc();
    this.#durationSeries(listener).observe(seconds);
  }

  idsIssued(count: number, lastUnixMs: number): void {
    this.idsIssuedTotal.inc(count);
    this.lastIssuedTimestamp.set(lastUnixMs / 1000);
  }

  sequenceExhausted(): void {
    this.sequenceExhaustedTotal.inc();
  }

  clockBehind(_behindMs: number): void {
    this.clockRegressionsTotal.inc();
  }

  /** Registers the worker id families on the first event: a node without one shows none. */
  workerIdChanged(event: WorkerIdEvent): void {
    if (this.#workerId === undefined) {
      const registry = this.registry;
      this.#workerId = {
        id: registry.register(new Gauge({ name: 'flakery_worker_id', help: 'The snowflake worker id this node holds (or last held).' })),
        held: registry.register(
          new Gauge({ name: 'flakery_worker_id_held', help: '1 while IDs may be issued under the worker id; 0 while it is lost or released.' }),
        ),
        events: registry.register(
          new Counter({
            name: 'flakery_worker_id_events_total',
            help: 'Worker id events, by event (acquired, lost, regained, changed, released).',
            labelNames: ['event'],
          }),
        ),
      };
      for (const kind of ['acquired', 'lost', 'regained', 'changed', 'released'] as const) this.#workerId.events.labels({ event: kind });
    }
    this.#workerId.id.set(event.workerId);
    this.#workerId.held.set(event.state === 'held' ? 1 : 0);
    this.#workerId.events.labels({ event: event.kind }).inc();
  }

  /** The text for `/metrics`. */
  render(): string {
    return this.registry.render();
  }

  #requestSeries(listener: ListenerKind, outcome: RequestOutcome): CounterSeries {
    const key = `${listener}\u0000${outcome}`;
    let series = this.#requests.get(key);
    if (series === undefined) {
      series = this.requestsTotal.labels({ listener, outcome });
      this.#requests.set(key, series);
    }
    return series;
  }

  #durationSeries(listener: ListenerKind): HistogramSeries {
    let series = this.#durations.get(listener);
    if (series === undefined) {
      series = this.requestDuration.labels({ listener });
      this.#durations.set(listener, series);
    }
    return series;
  }

  #connectionSeries(listener: ListenerKind): GaugeSeries {
    let series = this.#connections.get(listener);
    if (series === undefined) {
      series = this.openConnections.labels({ listener });
      this.#connections.set(listener, series);
    }
    return series;
  }
}
