import type { IdEncoder, IdFields, Layout } from './Layout.js';
import { TimeSequenceNodeEncoder } from './TimeSequenceNodeEncoder.js';
import { HARDWARE_ID_BYTES, type OvertNode, describeOvertNode } from './OvertNode.js';

/** Bits of `unix_ts_ms`: 2^48 ms after 1970 is the year 10889. */
export const UUIDV7_TIME_BITS = 48;
/** Bits of the counter in `rand_a`: 4,096 IDs per millisecond per generator. */
export const UUIDV7_SEQUENCE_BITS = 12;
/** Bits of the process id field at the end of `rand_b`: the pid is stored modulo 2^14. */
export const UUIDV7_PROCESS_ID_BITS = 14;
/** Process ids are stored modulo 2^14 (16,384). */
export const UUIDV7_PROCESS_ID_MODULUS = 2 ** UUIDV7_PROCESS_ID_BITS;
/** The version nibble, RFC 9562 §5.7. */
export const UUIDV7_VERSION = 7;

const TIME_LOW_SPAN = 2 ** 16; // the time bits that share a 32-bit word with ver and the counter
const VERSION_BITS = UUIDV7_VERSION * 2 ** UUIDV7_SEQUENCE_BITS; // 0x7000: ver in word 1
const VARIANT_BITS = 0x80000000; // var = 0b10 on top of word 2
const HW_LOW_BITS = 32 - UUIDV7_PROCESS_ID_BITS; // 18 hardware id bits share word 3 with the pid
const HW_LOW_SPAN = 2 ** HW_LOW_BITS;

/**
 * RFC 9562 UUID version 7 whose "random" bits are a counter and the node's identity, so IDs
 * are unique by construction, not by probability. The node is named as in `overt`: a
 * hardware id and a process id.
 *
 * ```
 *  127                                         80 79  76 75       64 63 62 61                        14 13        0
 * +---------------------------------------------+------+-----------+-----+----------------------------+-----------+
 * | unix_ts_ms: 48 bits, ms since 1970 (fixed)   | ver 7| counter:12| var | hardware id: 48 bits        | pid: 14   |
 * +---------------------------------------------+------+-----------+ 0b10+----------------------------+-----------+
 *                                                       rand_a       rand_b (62 bits) = hardware id · pid
 * ```
 * The split of the 74 bits RFC 9562 leaves to the implementation (12 in `rand_a`, 62 in
 * `rand_b`), and its trade-off:
 * - The counter is `rand_a` alone (§6.2 method 1 with a 12-bit counter): 4,096 IDs per ms per
 *   generator, as `snowflake`; past that the generator waits for the next millisecond. Each bit
 *   moved from `rand_b` into the counter would double that and halve the node space.
 * - The hardware id keeps all its 48 bits, so a fixed `--hid` that an operator made unique
 *   stays unique, and a hashed one (`mac`, `host`) collides no more often than in `overt`.
 * - The process id keeps 14 bits (pid modulo 16,384, not 65,536 as in `overt`): two live
 *   generators on one host whose pids are equal modulo 2^14 would share a node identity —
 *   the same hazard `overt` has modulo 2^16, and the one a same-host lock on (hardware id,
 *   process id) rules out.
 *
 * The time field always counts from the Unix epoch: RFC 9562 allows no other.
 */
export class UuidV7Layout implements Layout<OvertNode> {
  readonly name = 'uuidv7';
  readonly byteLength = 16;
  readonly timeBits = UUIDV7_TIME_BITS;
  readonly sequenceBits = UUIDV7_SEQUENCE_BITS;
  readonly defaultEpoch = 'unix';
  readonly nodeKind = { kind: 'hardware+process', processIdModulus: UUIDV7_PROCESS_ID_MODULUS, idSpace: 'uuidv7' } as const;
  readonly fixedEpoch = true;
  readonly defaultFormat = 'uuid';

  encoder(node: OvertNode): IdEncoder {
    return new TimeSequenceNodeEncoder(VERSION_BITS, nodeWords(node));
  }

  read(bytes: Uint8Array, offset: number): IdFields<OvertNode> {
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset, 16);
    const word1 = view.getUint32(4);
    const word2 = view.getUint32(8);
    const word3 = view.getUint32(12);
    const hardwareId = (word2 & 0x3fffffff) * HW_LOW_SPAN + Math.floor(word3 / UUIDV7_PROCESS_ID_MODULUS);
    return {
      elapsedMs: view.getUint32(0) * TIME_LOW_SPAN + (word1 >>> 16),
      sequence: word1 & 0xfff,
      node: { hardwareId: hardwareIdBytes(hardwareId), processId: word3 & (UUIDV7_PROCESS_ID_MODULUS - 1) },
    };
  }

  check(bytes: Uint8Array, offset: number): string | undefined {
    const version = (bytes[offset + 6] ?? 0) >>> 4;
    if (version !== UUIDV7_VERSION) return `this is a version ${version} UUID; the uuidv7 layout reads version 7 only (RFC 9562)`;
    if ((bytes[offset + 8] ?? 0) >>> 6 !== 0b10) return 'the variant bits of a UUIDv7 must be 10 (RFC 9562); these are not';
    return undefined;
  }

  readForeign(bytes: Uint8Array, offset: number): Readonly<Record<string, string | number>> {
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset, 16);
    const randB = ((BigInt(view.getUint32(8) & 0x3fffffff) << 32n) | BigInt(view.getUint32(12))).toString(16).padStart(16, '0');
    return { randA: view.getUint16(6) & 0xfff, randB, node: 'unknown' };
  }

  describeNode(node: OvertNode): Readonly<Record<string, string | number>> {
    return describeOvertNode(node);
  }
}

/** The 6-byte hardware id as a number below 2^48. */
function hardwareIdNumber(hardwareId: Uint8Array): number {
  let value = 0;
  for (let i = 0; i < HARDWARE_ID_BYTES; i++) value = value * 256 + hardwareId[i]!;
  return value;
}

function hardwareIdBytes(value: number): Uint8Array {
  const bytes = new Uint8Array(HARDWARE_ID_BYTES);
  for (let i = HARDWARE_ID_BYTES - 1, rest = value; i >= 0; i--, rest = Math.floor(rest / 256)) bytes[i] = rest % 256;
  return bytes;
}

/** The lower 64 bits (var, hardware id, pid) as two big-endian 32-bit words. */
function nodeWords(node: OvertNode): readonly [number, number] {
  const hardwareId = hardwareIdNumber(node.hardwareId);
  const word2 = VARIANT_BITS + Math.floor(hardwareId / HW_LOW_SPAN);
  const word3 = (hardwareId % HW_LOW_SPAN) * UUIDV7_PROCESS_ID_MODULUS + node.processId;
  return [word2, word3];
}


export const uuidv7Layout = new UuidV7Layout();
