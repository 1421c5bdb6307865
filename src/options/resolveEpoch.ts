import { InvalidOptionError } from '../errors.js';
import { epochs, isEpochName } from '../layouts/epochs.js';
import type { Layout } from '../layouts/Layout.js';
import { show } from './integerOption.js';

/** The latest epoch accepted: 9999-12-31, so dates stay printable. */
const MAX_EPOCH_MS = 253402300799999;

/** An epoch in Unix ms from a name (`twitter`) or a non-negative integer (as number or string). */
export function resolveEpoch(option: string, value: unknown): number {
  if (typeof value === 'string' && isEpochName(value)) return epochs[value];
  const ms = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(ms) || ms < 0 || ms > MAX_EPOCH_MS) {
    throw new InvalidOptionError(
      option,
      `${option} must be one of ${Object.keys(epochs).join(', ')} or milliseconds since the Unix epoch (0 to ${MAX_EPOCH_MS}); got ${show(value)}`,
    );
  }
  return ms;
}

/**
 * The epoch of `layout`'s time field: `value` resolved, or the layout's default when it is
 * `undefined`. A layout with a fixed epoch (uuidv7) refuses any other, naming `option`.
 */
export function resolveLayoutEpoch(option: string, layout: Layout<unknown>, value: unknown): number {
  const fixed = resolveEpoch(option, layout.defaultEpoch);
  if (value === undefined) return fixed;
  const ms = resolveEpoch(option, value);
  if (layout.fixedEpoch && ms !== fixed) {
    throw new InvalidOptionError(
      option,
      `${option} cannot be changed for the ${layout.name} layout: its time counts from the ${layout.defaultEpoch} epoch (${fixed}) only; got ${show(value)}. Leave ${option} out`,
    );
  }
  return ms;
}
