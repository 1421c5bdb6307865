import type { ListenerKind, RequestOutcome, ServerObserver, WorkerIdEvent } from '../ServerObserver.js';
import { familyHeader, formatValue, singleSampleHead } from './exposition.js';
import { estimateQuantile, FixedHistogram, LATENCY_BUCKETS_SECONDS } from './FixedHistogram.js';
import type { MetricsSnapshot, RequestDurationSnapshot } from './MetricsSnapshot.js';
import { ProcessMetrics } from './ProcessMetrics.js';

/** Each RequestOutcome's place in a listener's counts; the Record type makes a missing one a compile error. */
const OUTCOME_INDEX: Readonly<Record<RequestOutcome, number>> = {
  ok: 0,
  auth_failed: 1,
  bad_request: 2,
  too_large: 3,
  clock_behind: 4,
  unavailable: 5,
  not_found: 6,
  aborted: 7,
  error: 8,
  pipeline_full: 9,
};
/** Every RequestOutcome, so each series exists (at 0) from the start and `rate()` works at once. */
export const requestOutcomes = Object.keys(OUTCOME_INDEX) as readonly RequestOutcome[];
const LISTENERS: readonly ListenerKind[] = ['tcp', 'http'];
const WORKER_ID_EVENTS: Readonly<Record<WorkerIdEvent['kind'], number>> = { acquired: 0, lost: 1, regained: 2, changed: 3, released: 4 };
const workerIdEvents = Object.keys(WORKER_ID_EVENTS) as readonly WorkerIdEvent['kind'][];

const DURATION = 'flakery_request_duration_seconds';
/** Each family's HELP and TYPE lines; for a family of one sample, up to its value. Dashboards depend on these: keep them. */
const HEAD = {
  ids: singleSampleHead('flakery_ids_issued_total', 'IDs issued, over all listeners.', 'counter'),
  requests: familyHeader(
    'flakery_requests_total',
    'Requests finished, by listener (tcp, http) and outcome (ok, auth_failed, bad_request, too_large, clock_behind, unavailable, not_found, aborted, error, pipeline_full).',
    'counter',
  ),
  duration: familyHeader(DURATION, "Time from a request's arrival until its answer was handed to the socket, in seconds.", 'histogram'),
  connections: familyHeader('flakery_open_connections', 'Connections open now, by listener.', 'gauge'),
  exhausted: singleSampleHead(
    'flakery_sequence_exhausted_total',
    'Times a request waited for the next millisecond because the sequence of the current one was spent.',
    'counter',
  ),
  regressions: singleSampleHead(
    'flakery_clock_regressions_total',
    'Times a request found the clock behind the last issued time (waited out or refused).',
    'counter',
  ),
  lastIssued: singleSampleHead('flakery_last_issued_timestamp_seconds', 'Time in the last ID issued, in Unix seconds; 0 before the first.', 'gauge'),
  start: singleSampleHead('flakery_start_time_seconds', 'When the server started, in Unix seconds.', 'gauge'),
  workerId: singleSampleHead('flakery_worker_id', 'The snowflake worker id this node holds (or last held).', 'gauge'),
  held: singleSampleHead('flakery_worker_id_held', '1 while IDs may be issued under the worker id; 0 while it is lost or released.', 'gauge'),
  events: familyHeader('flakery_worker_id_events_total', 'Worker id events, by event (acquired, lost, regained, changed, released).', 'counter'),
};

/** One listener's series, and the text of their sample lines up to the value. */
class ListenerMetrics {
  /** Written out: made up front, or used since. */
  shown: boolean;
  open = 0;
  readonly requests = new Float64Array(requestOutcomes.length);
  readonly duration: FixedHistogram;
  readonly requestPrefixes: readonly string[];
  readonly connectionsPrefix: string;

  constructor(listener: ListenerKind, shown: boolean) {
    this.shown = shown;
    this.duration = new FixedHistogram(DURATION, LATENCY_BUCKETS_SECONDS, `listener="${listener}"`);
    this.requestPrefixes = requestOutcomes.map((outcome) => `flakery_requests_total{listener="${listener}",outcome="${outcome}"} `);
    this.connectionsPrefix = `flakery_open_connections{listener="${listener}"} `;
  }
}

export interface MetricsObserverOptions {
  /** Listeners whose series are written from the start (a listener used later is added then). Default both. */
  readonly listeners?: readonly ListenerKind[];
  /** For `flakery_start_time_seconds`; default now. */
  readonly startUnixMs?: number;
  /**
   * Also write the process metrics (CPU, memory, file descriptors, event loop lag, GC; see
   * ProcessMetrics), sampled from construction until `close()`. Default true.
   */
  readonly processMetrics?: boolean;
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
 * then the process metrics (ProcessMetrics). The families are fixed, so they are plain numbers
 * here and every hook is an addition or two: observing costs the request path next to nothing.
 * `render()` writes the text for `/metrics`; `snapshot()` gives the same values as numbers, for
 * in-process readers. `close()` stops the process sampling when the server stops.
 */
export class MetricsObserver implements ServerObserver {
  readonly #tcp: ListenerMetrics;
  readonly #http: ListenerMetrics;
  readonly #startUnixMs: number;
  readonly #process: ProcessMetrics | undefined;
  #idsIssued = 0;
  #lastIssuedUnixMs = 0;
  #sequenceExhausted = 0;
  #clockRegressions = 0;
  #workerId: { id: number; held: boolean; readonly events: Float64Array } | undefined;

  constructor(options: MetricsObserverOptions = {}) {
    const listeners = options.listeners ?? LISTENERS;
    this.#tcp = new ListenerMetrics('tcp', listeners.includes('tcp'));
    this.#http = new ListenerMetrics('http', listeners.includes('http'));
    this.#startUnixMs = options.startUnixMs ?? Date.now();
    this.#process = options.processMetrics === false ? undefined : new ProcessMetrics();
  }

  connectionOpened(listener: ListenerKind): void {
    const metrics = this.#listener(listener);
    metrics.shown = true;
    metrics.open++;
  }

  connectionClosed(listener: ListenerKind): void {
    const metrics = this.#listener(listener);
    metrics.shown = true;
    metrics.open--;
  }

  requestFinished(listener: ListenerKind, outcome: RequestOutcome, _ids: number, seconds: number): void {
    const metrics = this.#listener(listener);
    metrics.shown = true;
    metrics.requests[OUTCOME_INDEX[outcome]]!++;
    metrics.duration.observe(seconds);
  }

  idsIssued(count: number, lastUnixMs: number): void {
    this.#idsIssued += count;
    this.#lastIssuedUnixMs = lastUnixMs;
  }

  sequenceExhausted(): void {
    this.#sequenceExhausted++;
  }

  clockBehind(_behindMs: number): void {
    this.#clockRegressions++;
  }

  /** The worker id families appear with the first event: a node without one shows none. */
  workerIdChanged(event: WorkerIdEvent): void {
    const workerId = (this.#workerId ??= { id: 0, held: false, events: new Float64Array(workerIdEvents.length) });
    workerId.id = event.workerId;
    workerId.held = event.state === 'held';
    workerId.events[WORKER_ID_EVENTS[event.kind]]!++;
  }

  /** The text for `/metrics` (Prometheus text format 0.0.4). */
  render(): string {
    const listeners = [this.#tcp, this.#http].filter((metrics) => metrics.shown);
    let text = `${HEAD.ids}${this.#idsIssued}\n${HEAD.requests}`;
    for (const metrics of listeners) metrics.requests.forEach((count, i) => (text += `${metrics.requestPrefixes[i]}${count}\n`));
    text += HEAD.duration;
    for (const metrics of listeners) text += metrics.duration.render();
    text += HEAD.connections;
    for (const metrics of listeners) text += `${metrics.connectionsPrefix}${metrics.open}\n`;
    text += `${HEAD.exhausted}${this.#sequenceExhausted}\n${HEAD.regressions}${this.#clockRegressions}\n`;
    text += `${HEAD.lastIssued}${formatValue(this.#lastIssuedUnixMs / 1000)}\n${HEAD.start}${formatValue(this.#startUnixMs / 1000)}\n`;
    const workerId = this.#workerId;
    if (workerId !== undefined) {
      text += `${HEAD.workerId}${workerId.id}\n${HEAD.held}${workerId.held ? 1 : 0}\n${HEAD.events}`;
      workerIdEvents.forEach((kind, i) => (text += `flakery_worker_id_events_total{event="${kind}"} ${workerId.events[i]}\n`));
    }
    return this.#process === undefined ? text : text + this.#process.render();
  }

  /** The current values as plain numbers (see MetricsSnapshot), for readers in the same process. */
  snapshot(): MetricsSnapshot {
    const byOutcome = (counts: Float64Array) =>
      Object.fromEntries(requestOutcomes.map((outcome, i) => [outcome, counts[i]!])) as Record<RequestOutcome, number>;
    const duration = (histogram: FixedHistogram): RequestDurationSnapshot => {
      const cumulative = histogram.cumulativeCounts();
      const p99Seconds = estimateQuantile(0.99, histogram.bounds, cumulative);
      return { count: histogram.count, sumSeconds: histogram.sum, cumulative, p99Seconds };
    };
    const tcp = this.#tcp;
    const http = this.#http;
    const workerId = this.#workerId;
    return {
      idsIssued: this.#idsIssued,
      requests: { tcp: byOutcome(tcp.requests), http: byOutcome(http.requests) },
      requestsByOutcome: byOutcome(tcp.requests.map((count, i) => count + http.requests[i]!)),
      requestDuration: { tcp: duration(tcp.duration), http: duration(http.duration) },
      openConnections: { tcp: tcp.open, http: http.open },
      sequenceExhausted: this.#sequenceExhausted,
      clockRegressions: this.#clockRegressions,
      lastIssuedUnixMs: this.#lastIssuedUnixMs,
      startUnixMs: this.#startUnixMs,
      ...(workerId === undefined
        ? {}
        : {
            workerId: {
              id: workerId.id,
              held: workerId.held,
              events: Object.fromEntries(workerIdEvents.map((kind, i) => [kind, workerId.events[i]!])) as Record<WorkerIdEvent['kind'], number>,
            },
          }),
    };
  }

  /** Stops sampling the process (event loop, GC); idempotent. The hooks and render() still work. */
  close(): void {
    this.#process?.close();
  }

  #listener(listener: ListenerKind): ListenerMetrics {
    return listener === 'tcp' ? this.#tcp : this.#http;
  }
}
