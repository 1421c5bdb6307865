import type { IdEncoder, IdFields, Layout } from './Layout.js';
import { type OvertNode, PROCESS_ID_MODULUS, describeOvertNode, overtNodeWords, readOvertNode } from './OvertNode.js';

/** Bits of the time field: 2^41 ms is about 69.7 years past the epoch. */
export const OVERT53_TIME_BITS = 41;
/** Bits of the sequence field: 4,096 IDs per millisecond per generator. */
export const OVERT53_SEQUENCE_BITS = 12;

const WORD_SPAN = 2 ** 32;
const SEQUENCE_SPAN = 2 ** OVERT53_SEQUENCE_BITS;
const UPPER_SHIFT = 64n;

/**
 * overt-flake's `of53` layout: the upper 64 bits hold time and sequence in 53 bits, so the
 * upper half is exactly representable as a JavaScript number (or a JSON number).
 *
 * ```
 *  127     117 116                                   76 75         64 63              0
 * +-----------+---------------------------------------+-------------+-----------------+
 * | 0: 11     |  time: 41 bits, ms since the epoch     | sequence: 12| as overt: hw id |
 * +-----------+---------------------------------------+-------------+ + process id    |
 * ```
 */
export class Overt53Layout implements Layout<OvertNode> {
  readonly name = 'overt53';
  readonly byteLength = 16;
  readonly timeBits = OVERT53_TIME_BITS;
  readonly sequenceBits = OVERT53_SEQUENCE_BITS;
  readonly defaultEpoch = 'overtone';
  readonly nodeKind = { kind: 'hardware+process', processIdModulus: PROCESS_ID_MODULUS, idSpace: 'overt' } as const;

  encoder(node: OvertNode): IdEncoder {
    return new Overt53Encoder(node);
  }

  read(bytes: Uint8Array, offset: number): IdFields<OvertNode> {
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset, 8);
    const upper = view.getUint32(0) * WORD_SPAN + view.getUint32(4);
    return {
      elapsedMs: Math.floor(upper / SEQUENCE_SPAN),
      sequence: upper % SEQUENCE_SPAN,
      node: readOvertNode(bytes, offset),
    };
  }

  check(bytes: Uint8Array, offset: number): string | undefined {
    return (bytes[offset] ?? 0) !== 0 || ((bytes[offset + 1] ?? 0) & 0xe0) !== 0
      ? 'the upper 11 bits of an overt53 ID must be 0'
      : undefined;
  }

  describeNode(node: OvertNode): Readonly<Record<string, string | number>> {
    return describeOvertNode(node);
  }
}

class Overt53Encoder implements IdEncoder {
  readonly #word2: number;
  readonly #word3: number;
  readonly #low: bigint;

  constructor(node: OvertNode) {
    [this.#word2, this.#word3] = overtNodeWords(node);
    this.#low = (BigInt(this.#word2) << 32n) | BigInt(this.#word3);
  }

  writeRun(view: DataView, offset: number, elapsedMs: number, firstSequence: number, count: number): void {
    // time * 4096 + sequence < 2^53, so plain numbers hold the upper half exactly.
    const first = elapsedMs * SEQUENCE_SPAN + firstSequence;
    const word2 = this.#word2;
    const word3 = this.#word3;
    for (let i = 0, o = offset; i < count; i++, o += 16) {
      const upper = first + i;
      view.setUint32(o, Math.floor(upper / WORD_SPAN));
      view.setUint32(o + 4, upper % WORD_SPAN);
      view.setUint32(o + 8, word2);
      view.setUint32(o + 12, word3);
    }
  }

  toBigInt(elapsedMs: number, sequence: number): bigint {
    return (BigInt(elapsedMs * SEQUENCE_SPAN + sequence) << UPPER_SHIFT) | this.#low;
  }
}

export const overt53Layout = new Overt53Layout();
