import { integerOption } from '../options/integerOption.js';

/** The most bytes one batch may take: 1 GiB, far above any sane batch, far below a crash. */
const MAX_BATCH_BYTES = 2 ** 30;

/** `count` checked as a batch size for IDs of `idSize` bytes: an integer from 0 to 1 GiB's worth. */
export function checkCount(count: unknown, idSize: number): number {
  return integerOption('count', count, 0, Math.floor(MAX_BATCH_BYTES / idSize));
}
