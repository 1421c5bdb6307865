import type { Clock } from '../clock/Clock.js';
import { systemClock } from '../clock/Clock.js';
import { InvalidOptionError } from '../errors.js';
import type { EpochName } from '../layouts/epochs.js';
import type { Layout } from '../layouts/Layout.js';
import { integerOption, show } from '../options/integerOption.js';
import { resolveEpoch } from '../options/resolveEpoch.js';
import { clientDefaults } from './clientDefaults.js';
import { PrefetchBuffer } from './PrefetchBuffer.js';

/** `prefetch` of the client options: how many IDs to hold ahead, and how old one may get. */
export interface PrefetchOptions {
  /** The most IDs held ahead of use. Default `clientDefaults.prefetch.ids`; 1 to 1,048,576. */
  readonly ids?: number;
  /**
   * An ID whose time is more than this behind the client's clock when it would be handed out
   * is dropped. Default `clientDefaults.prefetch.maxAgeMs`; 1 to 60,000.
   */
  readonly maxAgeMs?: number;
}

/** The most IDs a prefetch buffer may hold: 16 MiB of overt IDs. */
export const MAX_PREFETCH_IDS = 1_048_576;
/** The largest age bound: a minute, far beyond the 1 s k-sort window it should stay within. */
export const MAX_PREFETCH_AGE_MS = 60_000;

/** The client options that say how to prefetch. */
export interface PrefetchClientOptions {
  readonly prefetch?: PrefetchOptions | undefined;
  readonly epoch?: EpochName | number | undefined;
  readonly clock?: Clock | undefined;
}

/** The validated prefetch settings: an empty buffer and when to refill it. */
export interface PrefetchConfig {
  readonly buffer: PrefetchBuffer;
  readonly clock: Clock;
  /** A refill starts below this many IDs: when a tenth of the buffer is used, as Leaf does. */
  readonly lowWater: number;
}

/**
 * The `prefetch` option checked once, or undefined when it is absent. Reading an ID's age needs
 * the servers' layout, so prefetch with only `idSize` is refused.
 */
export function resolvePrefetch(layout: Layout<unknown> | undefined, idSize: number, options: PrefetchClientOptions): PrefetchConfig | undefined {
  const prefetch = options.prefetch;
  if (prefetch === undefined) return undefined;
  if (typeof prefetch !== 'object' || prefetch === null || Array.isArray(prefetch)) {
    throw new InvalidOptionError('prefetch', `prefetch must be an object like { ids: 4096, maxAgeMs: 100 }; got ${show(prefetch)}`);
  }
  const ids = integerOption('prefetch.ids', prefetch.ids ?? clientDefaults.prefetch.ids, 1, MAX_PREFETCH_IDS);
  const maxAgeMs = integerOption('prefetch.maxAgeMs', prefetch.maxAgeMs ?? clientDefaults.prefetch.maxAgeMs, 1, MAX_PREFETCH_AGE_MS);
  if (layout === undefined) {
    throw new InvalidOptionError('prefetch', 'prefetch needs layout (not only idSize): the client reads each ID\'s time to bound its age');
  }
  const epochMs = resolveEpoch('epoch', options.epoch ?? layout.defaultEpoch);
  const clock = options.clock ?? systemClock;
  const readTime = (bytes: Uint8Array, offset: number) => epochMs + layout.read(bytes, offset).elapsedMs;
  return { buffer: new PrefetchBuffer(idSize, ids, maxAgeMs, readTime), clock, lowWater: ids - Math.floor(ids / 10) };
}
