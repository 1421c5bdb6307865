import type { IdColumns } from './comparable.js';
import { type Contender, PartialRun } from './Contender.js';

/** IDs asked of a contender per timed call: short enough to stop on time, long enough to be cheap. */
const TIMED_CHUNK = 4096;
/**
 * IDs made back to back before they are converted, in the duplicate/order check. Large, so a
 * 5M check pauses only four times (a pause lets the clock move on, which hides a repeat), and
 * not a multiple of 4,096, so pauses do not line up with a 12-bit counter's wrap.
 */
const RECORD_CHUNK = 1_000_000;

/**
 * IDs per second over one run of at least `durationMs`. The clock is read once per chunk of
 * 4,096 IDs, so reading it costs the fastest mode well under 1 %. Throws PartialRun counting
 * the IDs of the whole run when the library throws.
 */
export function timeRun(contender: Contender, durationMs: number): number {
  const start = performance.now();
  let made = 0;
  let now = start;
  do {
    try {
      contender.generate(TIMED_CHUNK);
    } catch (thrown) {
      throw PartialRun.after(made, thrown);
    }
    made += TIMED_CHUNK;
    now = performance.now();
  } while (now - start < durationMs);
  return made / ((now - start) / 1000);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

/** What a run of back-to-back IDs showed. */
export interface Verdict {
  /** IDs made (fewer than asked when the library threw). */
  readonly made: number;
  /** IDs equal to an earlier ID of the run: `made` minus the number of distinct IDs. */
  readonly duplicates: number;
  /** Places where an ID was smaller than the one before it. */
  readonly backwards: number;
  /** What the library threw, if it did. */
  readonly error?: PartialRun;
}

/**
 * Makes `total` IDs back to back (in chunks of 1,000,000, converted between chunks) and
 * inspects them.
 */
export function checkRun(contender: Contender, total: number, ids: IdColumns): Verdict {
  let made = 0;
  let error: PartialRun | undefined;
  while (made < total) {
    const count = Math.min(RECORD_CHUNK, total - made);
    try {
      contender.record(count, ids, made);
      made += count;
    } catch (thrown) {
      error = PartialRun.after(made, thrown);
      made = error.made;
      break;
    }
  }
  const found = inspect(ids, made, contender.bits);
  return error === undefined ? { made, ...found } : { made, ...found, error };
}

/**
 * Counts backward steps between neighbours, and repeats. A run with no backward step is sorted,
 * so its repeats are equal neighbours; otherwise it is sorted first (natively for 64-bit IDs,
 * by index for 128-bit ones).
 */
export function inspect(ids: IdColumns, count: number, bits: 64 | 128): { duplicates: number; backwards: number } {
  const { hi, lo } = ids;
  let backwards = 0;
  let equalNeighbours = 0;
  for (let i = 1; i < count; i++) {
    const order = bits === 64 ? compare64(lo, i, i - 1) : compare128(hi, lo, i, i - 1);
    if (order < 0) backwards++;
    else if (order === 0) equalNeighbours++;
  }
  if (backwards === 0) return { duplicates: equalNeighbours, backwards };
  return { duplicates: bits === 64 ? repeats64(lo, count) : repeats128(hi, lo, count), backwards };
}

function compare64(lo: BigUint64Array, a: number, b: number): number {
  const x = lo[a] ?? 0n;
  const y = lo[b] ?? 0n;
  return x < y ? -1 : x > y ? 1 : 0;
}

function compare128(hi: BigUint64Array, lo: BigUint64Array, a: number, b: number): number {
  const x = hi[a] ?? 0n;
  const y = hi[b] ?? 0n;
  if (x !== y) return x < y ? -1 : 1;
  return compare64(lo, a, b);
}

function repeats64(lo: BigUint64Array, count: number): number {
  const sorted = lo.slice(0, count).sort();
  let repeats = 0;
  for (let i = 1; i < count; i++) if (sorted[i] === sorted[i - 1]) repeats++;
  return repeats;
}

function repeats128(hi: BigUint64Array, lo: BigUint64Array, count: number): number {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  order.sort((a, b) => compare128(hi, lo, a, b));
  let repeats = 0;
  for (let i = 1; i < count; i++) if (compare128(hi, lo, order[i] ?? 0, order[i - 1] ?? 0) === 0) repeats++;
  return repeats;
}
