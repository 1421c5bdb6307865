import { createGenerator as createPortableGenerator } from './generator/createGenerator.js';
import type { Generator } from './generator/Generator.js';
import { nodeGeneratorPlatform } from './machine/nodeGeneratorPlatform.js';
import type { GeneratorOptions } from './options/GeneratorOptions.js';

/**
 * A generator of unique, increasing IDs. Options are checked here, once: a bad one throws an
 * InvalidOptionError that names it and its allowed range. The hardware ids `mac`, `simple` and
 * `host` are read from this machine.
 *
 * ```ts
 * const gen = createGenerator({ layout: 'snowflake', machineId: 42 });
 * const id = gen.next(); // 1831234567890123776n
 * ```
 */
export function createGenerator(options: GeneratorOptions = {}): Generator<unknown> {
  return createPortableGenerator(options, nodeGeneratorPlatform());
}
