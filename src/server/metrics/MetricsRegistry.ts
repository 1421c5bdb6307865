import { InvalidOptionError } from '../../errors.js';
import type { Collectable } from './MetricFamily.js';

/** The metric families a `/metrics` endpoint writes, in the order they were registered. */
export class MetricsRegistry {
  readonly #families = new Map<string, Collectable>();

  /** Adds a family and returns it; a second family of the same name is an error. */
  register<M extends Collectable>(family: M): M {
    if (this.#families.has(family.name)) {
      throw new InvalidOptionError('name', `a metric named ${family.name} is already registered`);
    }
    this.#families.set(family.name, family);
    return family;
  }

  /** Every family in the Prometheus text format. */
  render(): string {
    let text = '';
    for (const family of this.#families.values()) text += family.render();
    return text;
  }
}
