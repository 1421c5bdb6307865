import { InvalidOptionError } from '../../errors.js';
import { formatValue } from './exposition.js';
import { type MetricOptions, MetricFamily } from './MetricFamily.js';

/** One counter series: a value that only goes up (until the process restarts). */
export class CounterSeries {
  #value = 0;

  get value(): number {
    return this.#value;
  }

  inc(by = 1): void {
    if (!(by >= 0) || !Number.isFinite(by)) {
      throw new InvalidOptionError('by', `a counter only goes up: by must be a finite number >= 0; got ${by}`);
    }
    this.#value += by;
  }
}

/** A Prometheus counter family. Names should end in `_total`. */
export class Counter<L extends string = never> extends MetricFamily<L, CounterSeries> {
  constructor(options: MetricOptions<L>) {
    super('counter', options);
    if (this.labelNames.length === 0) this.unlabelled();
  }

  /** Adds to the series of a family without labels. */
  inc(by = 1): void {
    this.unlabelled().inc(by);
  }

  /** The value of the series of a family without labels. */
  get value(): number {
    return this.unlabelled().value;
  }

  protected newSeries(): CounterSeries {
    return new CounterSeries();
  }

  protected renderSeries(series: CounterSeries, labels: () => string): string {
    return `${this.name}${labels()} ${formatValue(series.value)}\n`;
  }
}
