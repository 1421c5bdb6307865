import { InvalidOptionError } from '../errors.js';
import { epochs, isEpochName } from '../layouts/epochs.js';
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
