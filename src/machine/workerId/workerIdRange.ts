import { InvalidOptionError } from '../../errors.js';
import { MAX_WORKER_ID } from '../../layouts/SnowflakeLayout.js';

export { MAX_WORKER_ID };
/** How many worker ids there are (0..1023). */
export const WORKER_ID_COUNT = MAX_WORKER_ID + 1;

/**
 * Throws an InvalidOptionError naming `option` unless `value` is an integer 0..1023.
 * An out-of-range id is refused, never masked into range: masking is how two nodes end up
 * sharing an id without anyone noticing.
 */
export function checkWorkerId(value: number, option: string, what = `${option}`): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_WORKER_ID) {
    throw new InvalidOptionError(option, `${what} must be an integer from 0 to ${MAX_WORKER_ID}, got ${value}`);
  }
  return value;
}
