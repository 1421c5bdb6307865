import type { IdEncoder } from './Layout.js';

const TIME_LOW_SPAN = 2 ** 16; // the time bits that share the second 32-bit word with the sequence
const TIME_SHIFT = 80n;
const SEQUENCE_SHIFT = 64n;

/**
 * Writes the 16-byte IDs of layouts shaped like overt's: a 48-bit time, then 16 bits holding
 * fixed bits and the sequence (`overt`: all sequence; `uuidv7`: the version nibble and a 12-bit
 * counter), then 64 bits that name the node and never change (two big-endian 32-bit words).
 *
 * ```
 * word 0: time >> 16 | word 1: (time & 0xffff) << 16 | fixedBits + sequence | words 2, 3: node
 * ```
 * The layouts trust their inputs (the generator keeps time and sequence in range), so a run of
 * IDs is four 32-bit writes each: this loop is the hot path of `fill` and `nextBytes`.
 */
export class TimeSequenceNodeEncoder implements IdEncoder {
  readonly #fixedBits: number;
  readonly #word2: number;
  readonly #word3: number;
  readonly #low: bigint;
  #cachedElapsed = -1;
  #cachedHigh = 0n;

  /** `fixedBits`: set in every ID's sequence half-word, above the sequence bits. */
  constructor(fixedBits: number, [word2, word3]: readonly [number, number]) {
    this.#fixedBits = fixedBits;
    this.#word2 = word2;
    this.#word3 = word3;
    this.#low = (BigInt(fixedBits) << SEQUENCE_SHIFT) | (BigInt(word2) << 32n) | BigInt(word3);
  }

  writeRun(view: DataView, offset: number, elapsedMs: number, firstSequence: number, count: number): void {
    const word0 = Math.floor(elapsedMs / TIME_LOW_SPAN);
    const word1Base = (elapsedMs % TIME_LOW_SPAN) * TIME_LOW_SPAN + this.#fixedBits + firstSequence;
    const word2 = this.#word2;
    const word3 = this.#word3;
    for (let i = 0, o = offset; i < count; i++, o += 16) {
      view.setUint32(o, word0);
      view.setUint32(o + 4, word1Base + i);
      view.setUint32(o + 8, word2);
      view.setUint32(o + 12, word3);
    }
  }

  toBigInt(elapsedMs: number, sequence: number): bigint {
    if (elapsedMs !== this.#cachedElapsed) {
      this.#cachedElapsed = elapsedMs;
      this.#cachedHigh = (BigInt(elapsedMs) << TIME_SHIFT) | this.#low;
    }
    return this.#cachedHigh | (BigInt(sequence) << SEQUENCE_SHIFT);
  }
}
