import type { ListenerKind, RequestOutcome, ServerObserver } from '../ServerObserver.js';
import type { StatsSample } from './inspectorWire.js';

export type { StatsSample } from './inspectorWire.js';

export interface StatsRecorderOptions {
  /** Seconds kept; default 300 (five minutes). */
  readonly seconds?: number;
  /** Unix ms now; default `Date.now`. */
  readonly now?: () => number;
}

/** Latencies kept per second for the p99; past this a random one is replaced (reservoir sampling). */
const LATENCIES_PER_SECOND = 2048;

/**
 * A ServerObserver that keeps the last few minutes second by second: IDs, requests, refusals by
 * outcome and p99 latency. What `GET /v1/stats` answers, for the inspector page's live charts;
 * a few additions per hook, like the MetricsObserver beside it. Seconds in which nothing happened
 * are samples of zeros, so the charts move on an idle server too.
 */
export class StatsRecorder implements ServerObserver {
  readonly seconds: number;
  readonly #now: () => number;
  readonly #done: StatsSample[] = [];
  #second: number;
  #ids = 0;
  #requests = 0;
  #refusals: Partial<Record<RequestOutcome, number>> = {};
  #latencies: number[] = [];
  #finished = 0;

  constructor(options: StatsRecorderOptions = {}) {
    this.seconds = options.seconds ?? 300;
    this.#now = options.now ?? Date.now;
    this.#second = Math.floor(this.#now() / 1000);
  }

  connectionOpened(): void {}
  connectionClosed(): void {}
  sequenceExhausted(): void {}
  clockBehind(): void {}

  requestFinished(_listener: ListenerKind, outcome: RequestOutcome, _ids: number, seconds: number): void {
    this.#roll();
    this.#requests++;
    if (outcome !== 'ok') this.#refusals[outcome] = (this.#refusals[outcome] ?? 0) + 1;
    const ms = seconds * 1000;
    this.#finished++;
    if (this.#latencies.length < LATENCIES_PER_SECOND) this.#latencies.push(ms);
    else {
      const slot = Math.floor(Math.random() * this.#finished);
      if (slot < LATENCIES_PER_SECOND) this.#latencies[slot] = ms;
    }
  }

  idsIssued(count: number, _lastUnixMs: number): void {
    this.#roll();
    this.#ids += count;
  }

  /** The finished seconds, oldest first (at most `seconds` of them); the current one is not yet in. */
  samples(): StatsSample[] {
    this.#roll();
    return this.#done.slice();
  }

  /** Closes the seconds that have passed, filling any idle ones with zeros. */
  #roll(): void {
    const second = Math.floor(this.#now() / 1000);
    if (second <= this.#second) return;
    this.#push(this.#close(this.#second));
    const firstIdle = Math.max(this.#second + 1, second - this.seconds);
    for (let t = firstIdle; t < second; t++) this.#push({ t, ids: 0, requests: 0, refusals: {}, p99Ms: null });
    this.#second = second;
  }

  #close(t: number): StatsSample {
    const sample: StatsSample = { t, ids: this.#ids, requests: this.#requests, refusals: this.#refusals, p99Ms: percentile99(this.#latencies) };
    this.#ids = 0;
    this.#requests = 0;
    this.#refusals = {};
    this.#latencies = [];
    this.#finished = 0;
    return sample;
  }

  #push(sample: StatsSample): void {
    this.#done.push(sample);
    if (this.#done.length > this.seconds) this.#done.splice(0, this.#done.length - this.seconds);
  }
}

/** The nearest-rank 99th percentile, or null for none. */
function percentile99(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length * 0.99) - 1]!;
}
