import type { Clock } from '../clock/Clock.js';
import { systemClock } from '../clock/Clock.js';
import { InvalidOptionError } from '../errors.js';
import type { EpochName } from '../layouts/epochs.js';
import type { Layout } from '../layouts/Layout.js';
import { show } from '../options/integerOption.js';
import { resolveEpoch } from '../options/resolveEpoch.js';
import { clientDefaults } from './clientDefaults.js';
import { IdTimeCheck } from './IdTimeCheck.js';

/** The client options that say how answers are checked. */
export interface IdTimeCheckOptions {
  readonly epoch?: EpochName | number | undefined;
  readonly maxClockSkewMs?: number | undefined;
  readonly clock?: Clock | undefined;
}

/**
 * The check for answers of `layout` (undefined: the client knows only an ID size, so none), or
 * none when `maxClockSkewMs` is 0 or Infinity (off).
 */
export function resolveIdTimeCheck(layout: Layout<unknown> | undefined, options: IdTimeCheckOptions): IdTimeCheck | undefined {
  const skew = options.maxClockSkewMs ?? clientDefaults.maxClockSkewMs;
  if (skew !== Number.POSITIVE_INFINITY && (typeof skew !== 'number' || !Number.isSafeInteger(skew) || skew < 0)) {
    throw new InvalidOptionError(
      'maxClockSkewMs',
      `maxClockSkewMs must be a whole number of milliseconds (0 or Infinity: no check); got ${show(skew)}`,
    );
  }
  if (options.epoch !== undefined && layout === undefined) {
    throw new InvalidOptionError('epoch', 'epoch needs layout: with only idSize the client cannot read the IDs\' time');
  }
  if (layout === undefined) return undefined;
  const epochMs = resolveEpoch('epoch', options.epoch ?? layout.defaultEpoch);
  const clock = options.clock ?? systemClock;
  if (typeof clock?.now !== 'function') throw new InvalidOptionError('clock', 'clock must have a now() method returning Unix ms');
  if (skew === 0 || skew === Number.POSITIVE_INFINITY) return undefined;
  return new IdTimeCheck(layout, epochMs, clock, skew);
}
