import { formatValue } from './exposition.js';

/**
 * Request latency buckets in seconds: fine below 2 ms, where the server's promise is (p99 well
 * under 2 ms, DESIGN.md), coarse above, up to the 10 s a streamed million IDs may take.
 */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [
  0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/**
 * One histogram series with fixed bounds (strictly increasing, finite; `+Inf` is implied): a
 * count per bucket (not cumulative; made cumulative when written), the sum and the count. The
 * sample lines' text up to the value is made once, here, so writing them is joining numbers.
 */
export class FixedHistogram {
  readonly bounds: readonly number[];
  /** Observations per bucket, the last one above every bound. */
  readonly #counts: Float64Array;
  #sum = 0;
  #count = 0;
  /** `name_bucket{labels,le="b"} ` per bucket (`+Inf` last), then `name_sum{…} `, `name_count{…} `. */
  readonly #prefixes: readonly string[];

  /** `labels`: the series' label pairs as written, e.g. `listener="tcp"`; empty for none. */
  constructor(name: string, bounds: readonly number[], labels = '') {
    this.bounds = bounds;
    this.#counts = new Float64Array(bounds.length + 1);
    const le = labels === '' ? '' : `${labels},`;
    const own = labels === '' ? '' : `{${labels}}`;
    this.#prefixes = [
      ...[...bounds.map(formatValue), '+Inf'].map((bound) => `${name}_bucket{${le}le="${bound}"} `),
      `${name}_sum${own} `,
      `${name}_count${own} `,
    ];
  }

  observe(value: number): void {
    if (Number.isNaN(value)) return; // a NaN would poison _sum forever
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.#counts[i]!++;
    this.#sum += value;
    this.#count++;
  }

  get count(): number {
    return this.#count;
  }

  get sum(): number {
    return this.#sum;
  }

  /** Observations at or below each bound, in bound order, then the count (what `le` buckets show). */
  cumulativeCounts(): number[] {
    let running = 0;
    return Array.from(this.#counts, (n) => (running += n));
  }

  /** The `_bucket`, `_sum` and `_count` lines. */
  render(): string {
    const prefixes = this.#prefixes;
    const counts = this.#counts;
    let text = '';
    let running = 0;
    for (let i = 0; i < counts.length; i++) {
      running += counts[i]!;
      text += `${prefixes[i]}${running}\n`;
    }
    return `${text}${prefixes[counts.length]}${formatValue(this.#sum)}\n${prefixes[counts.length + 1]}${this.#count}\n`;
  }
}

/**
 * The q-quantile (0 ≤ q ≤ 1) that Prometheus' `histogram_quantile` would estimate from these
 * buckets: linear within the bucket the rank falls in, the highest finite bound when it falls in
 * `+Inf`, NaN with no observations. `cumulative` is as from `cumulativeCounts()`, one entry per
 * bound then the total; subtract two of them to get the quantile over the time between.
 */
export function estimateQuantile(q: number, bounds: readonly number[], cumulative: readonly number[]): number {
  const total = cumulative[bounds.length] ?? 0;
  if (!(total > 0)) return Number.NaN;
  const rank = q * total;
  let i = 0;
  while (i < bounds.length && cumulative[i]! < rank) i++;
  if (i === bounds.length) return bounds[bounds.length - 1] ?? Number.NaN;
  const lower = i === 0 ? 0 : bounds[i - 1]!;
  const below = i === 0 ? 0 : cumulative[i - 1]!;
  const inBucket = cumulative[i]! - below;
  return inBucket === 0 ? bounds[i]! : lower + (bounds[i]! - lower) * ((rank - below) / inBucket);
}
