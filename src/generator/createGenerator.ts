import type { GeneratorOptions } from '../options/GeneratorOptions.js';
import type { GeneratorPlatform } from '../options/HardwareIdProviders.js';
import { resolveGeneratorConfig } from '../options/resolveGeneratorConfig.js';
import { Generator } from './Generator.js';

/**
 * A generator of unique, increasing IDs, with no Node API: for browsers, workers, Deno and Bun
 * (`flakery/core`). Options are checked here, once, as in the Node entry. A named hardware id
 * (`mac`, `simple`, `host`) needs a provider in `platform.hardwareIds`; without one, pass a
 * fixed `hardwareId` (6 bytes or 12 hex digits) or use the snowflake layout.
 *
 * ```ts
 * const gen = createGenerator({ layout: 'uuidv7', hardwareId: '0242ac110002', processId: 1 });
 * ```
 */
export function createGenerator(options: GeneratorOptions = {}, platform: GeneratorPlatform = {}): Generator<unknown> {
  return new Generator(resolveGeneratorConfig(options, platform));
}
