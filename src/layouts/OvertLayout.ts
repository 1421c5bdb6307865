import type { IdEncoder, IdFields, Layout } from './Layout.js';
import { TimeSequenceNodeEncoder } from './TimeSequenceNodeEncoder.js';
import { type OvertNode, PROCESS_ID_MODULUS, describeOvertNode, overtNodeWords, readOvertNode } from './OvertNode.js';

/** Bits of the time field: 2^48 ms is about 8,900 years past the epoch. */
export const OVERT_TIME_BITS = 48;
/** Bits of the sequence field: 65,536 IDs per millisecond per generator. */
export const OVERT_SEQUENCE_BITS = 16;

const TIME_LOW_SPAN = 2 ** 16; // the time bits that share a 32-bit word with the sequence

/**
 * overt-flake's 128-bit layout. No worker id to configure: the node is named by its hardware
 * id and process id.
 *
 * ```
 * byte  0  1  2  3  4  5 | 6  7     | 8  9  10 11 12 13 | 14 15
 *      +-----------------+----------+-------------------+-------+
 *      | time: 48 bits   | seq: 16  | hardware id: 48   | pid:16|
 *      +-----------------+----------+-------------------+-------+
 * ```
 * Time and sequence make the upper 64 bits and decide the order; the lower 64 bits tell
 * nodes apart.
 */
export class OvertLayout implements Layout<OvertNode> {
  readonly name = 'overt';
  readonly byteLength = 16;
  readonly timeBits = OVERT_TIME_BITS;
  readonly sequenceBits = OVERT_SEQUENCE_BITS;
  readonly defaultEpoch = 'overtone';
  readonly nodeKind = { kind: 'hardware+process', processIdModulus: PROCESS_ID_MODULUS, idSpace: 'overt' } as const;

  encoder(node: OvertNode): IdEncoder {
    return new TimeSequenceNodeEncoder(0, overtNodeWords(node));
  }

  read(bytes: Uint8Array, offset: number): IdFields<OvertNode> {
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset, 8);
    const word1 = view.getUint32(4);
    return {
      elapsedMs: view.getUint32(0) * TIME_LOW_SPAN + (word1 >>> 16),
      sequence: word1 & 0xffff,
      node: readOvertNode(bytes, offset),
    };
  }

  describeNode(node: OvertNode): Readonly<Record<string, string | number>> {
    return describeOvertNode(node);
  }
}


export const overtLayout = new OvertLayout();
