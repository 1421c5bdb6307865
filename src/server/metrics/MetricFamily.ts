import { InvalidOptionError } from '../../errors.js';
import { familyHeader, formatLabels, isLabelName, isMetricName } from './exposition.js';

export type MetricType = 'counter' | 'gauge' | 'histogram';

/** Label values by label name: every name of the family, each a string. */
export type Labels<L extends string> = { readonly [K in L]: string };

export interface MetricOptions<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly L[];
}

/** What a registry holds: something that writes its family in the text format. */
export interface Collectable {
  readonly name: string;
  /** The family's HELP and TYPE lines and its samples, each line ending in `\n`. */
  render(): string;
}

/**
 * A metric family: one name, one HELP text, and one series per combination of label values.
 * Subclasses say what a series holds and how it is written. Series are made on first use and
 * kept for the life of the process; label values come from small fixed sets (listener kinds,
 * outcomes), never from request input, so the number of series stays bounded.
 */
export abstract class MetricFamily<L extends string, S> implements Collectable {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly labelNames: readonly L[];
  readonly #series = new Map<string, { readonly values: readonly string[]; readonly series: S }>();
  /** The series of a family without labels, kept at hand: it is touched on every request. */
  #single: S | undefined;

  protected constructor(type: MetricType, options: MetricOptions<L>, reservedLabels: readonly string[] = []) {
    if (!isMetricName(options.name)) {
      throw new InvalidOptionError('name', `metric name must match [a-zA-Z_:][a-zA-Z0-9_:]*; got ${JSON.stringify(options.name)}`);
    }
    const labelNames = options.labelNames ?? [];
    for (const label of labelNames) {
      if (!isLabelName(label) || reservedLabels.includes(label)) {
        throw new InvalidOptionError('labelNames', `${options.name}: label name ${JSON.stringify(label)} is invalid or reserved`);
      }
    }
    if (new Set(labelNames).size !== labelNames.length) {
      throw new InvalidOptionError('labelNames', `${options.name}: label names must be distinct`);
    }
    this.type = type;
    this.name = options.name;
    this.help = options.help;
    this.labelNames = [...labelNames];
  }

  /** The series for these label values, made on first use. */
  labels(labels: Labels<L>): S {
    const values = this.labelNames.map((name) => {
      const value: unknown = labels?.[name];
      if (typeof value !== 'string') {
        throw new InvalidOptionError('labels', `${this.name}: label ${name} needs a string value; got ${typeof value}`);
      }
      return value;
    });
    const extra = Object.keys(labels ?? {}).find((name) => !(this.labelNames as readonly string[]).includes(name));
    if (extra !== undefined) throw new InvalidOptionError('labels', `${this.name} has no label ${JSON.stringify(extra)}`);
    return this.#get(values);
  }

  /** The one series of a family without labels. */
  protected unlabelled(): S {
    if (this.labelNames.length > 0) {
      throw new InvalidOptionError('labels', `${this.name} has labels (${this.labelNames.join(', ')}): use labels({...})`);
    }
    return (this.#single ??= this.#get([]));
  }

  render(): string {
    let text = familyHeader(this.name, this.help, this.type);
    for (const { values, series } of this.#series.values()) {
      text += this.renderSeries(series, (extraNames = [], extraValues = []) =>
        formatLabels([...this.labelNames, ...extraNames], [...values, ...extraValues]),
      );
    }
    return text;
  }

  protected abstract newSeries(): S;

  /** The sample lines of one series; `labels(extra…)` writes its label set plus any extra labels. */
  protected abstract renderSeries(
    series: S,
    labels: (extraNames?: readonly string[], extraValues?: readonly string[]) => string,
  ): string;

  #get(values: readonly string[]): S {
    const key = JSON.stringify(values);
    let entry = this.#series.get(key);
    if (entry === undefined) {
      entry = { values, series: this.newSeries() };
      this.#series.set(key, entry);
    }
    return entry.series;
  }
}
