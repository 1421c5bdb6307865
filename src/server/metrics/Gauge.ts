import { formatValue } from './exposition.js';
import { type MetricOptions, MetricFamily } from './MetricFamily.js';

/** One gauge series: a value that goes up and down. */
export class GaugeSeries {
  value = 0;

  set(value: number): void {
    this.value = value;
  }

  inc(by = 1): void {
    this.value += by;
  }

  dec(by = 1): void {
    this.value -= by;
  }
}

/** A Prometheus gauge family. */
export class Gauge<L extends string = never> extends MetricFamily<L, GaugeSeries> {
  constructor(options: MetricOptions<L>) {
    super('gauge', options);
    if (this.labelNames.length === 0) this.unlabelled();
  }

  set(value: number): void {
    this.unlabelled().set(value);
  }

  inc(by = 1): void {
    this.unlabelled().inc(by);
  }

  dec(by = 1): void {
    this.unlabelled().dec(by);
  }

  get value(): number {
    return this.unlabelled().value;
  }

  protected newSeries(): GaugeSeries {
    return new GaugeSeries();
  }

  protected renderSeries(series: GaugeSeries, labels: () => string): string {
    return `${this.name}${labels()} ${formatValue(series.value)}\n`;
  }
}
