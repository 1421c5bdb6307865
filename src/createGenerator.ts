import { Generator } from './generator/Generator.js';
import type { GeneratorOptions } from './options/GeneratorOptions.js';
import { resolveGeneratorConfig } from './options/resolveGeneratorConfig.js';

/**
 * A generator of unique, increasing IDs. Options are checked here, once: a bad one throws an
 * InvalidOptionError that names it and its allowed range.
 *
 * ```ts
 * const gen = createGenerator({ layout: 'snowflake', machineId: 42 });
 * const id = gen.next(); // 1831234567890123776n
 * ```
 */
export function createGenerator(options: GeneratorOptions = {}): Generator {
  return new Generator(resolveGeneratorConfig(options));
}
