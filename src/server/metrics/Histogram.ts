import { InvalidOptionError } from '../../errors.js';
import { formatValue } from './exposition.js';
import { type MetricOptions, MetricFamily } from './MetricFamily.js';

/**
 * Request latency buckets in seconds: fine below 2 ms, where the server's promise is (p99 well
 * under 2 ms, DESIGN.md), coarse above, up to the 10 s a streamed million IDs may take.
 */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [
  0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** One histogram series: a count per bucket (not cumulative; made cumulative when written), sum and count. */
export class HistogramSeries {
  readonly #bounds: readonly number[];
  readonly #counts: number[];
  #sum = 0;
  #count = 0;

  constructor(bounds: readonly number[]) {
    this.#bounds = bounds;
    this.#counts = new Array<number>(bounds.length).fill(0);
  }

  observe(value: number): void {
    if (Number.isNaN(value)) return; // a NaN would poison _sum forever
    const bounds = this.#bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    if (i < bounds.length) this.#counts[i]!++;
    this.#sum += value;
    this.#count++;
  }

  get count(): number {
    return this.#count;
  }

  get sum(): number {
    return this.#sum;
  }

  /** Observations at or below each bound, in bound order (what `le` buckets show). */
  cumulativeCounts(): number[] {
    let running = 0;
    return this.#counts.map((n) => (running += n));
  }
}

export interface HistogramOptions<L extends string> extends MetricOptions<L> {
  /** Upper bounds, strictly increasing and finite; `+Inf` is added. Default LATENCY_BUCKETS_SECONDS. */
  readonly buckets?: readonly number[];
}

/** A Prometheus histogram family: `_bucket{le}` (cumulative), `_sum` and `_count` per series. */
export class Histogram<L extends string = never> extends MetricFamily<L, HistogramSeries> {
  readonly buckets: readonly number[];

  constructor(options: HistogramOptions<L>) {
    super('histogram', options, ['le']);
    const buckets = [...(options.buckets ?? LATENCY_BUCKETS_SECONDS)];
    const valid = buckets.length > 0 && buckets.every((b, i) => Number.isFinite(b) && (i === 0 || b > buckets[i - 1]!));
    if (!valid) {
      throw new InvalidOptionError('buckets', `${options.name}: buckets must be finite numbers in strictly increasing order, at least one`);
    }
    this.buckets = buckets;
    if (this.labelNames.length === 0) this.unlabelled();
  }

  observe(value: number): void {
    this.unlabelled().observe(value);
  }

  protected newSeries(): HistogramSeries {
    return new HistogramSeries(this.buckets);
  }

  protected renderSeries(
    series: HistogramSeries,
    labels: (extraNames?: readonly string[], extraValues?: readonly string[]) => string,
  ): string {
    let text = '';
    const cumulative = series.cumulativeCounts();
    this.buckets.forEach((bound, i) => {
      text += `${this.name}_bucket${labels(['le'], [formatValue(bound)])} ${cumulative[i]}\n`;
    });
    text += `${this.name}_bucket${labels(['le'], ['+Inf'])} ${series.count}\n`;
    text += `${this.name}_sum${labels()} ${formatValue(series.sum)}\n`;
    text += `${this.name}_count${labels()} ${series.count}\n`;
    return text;
  }
}
