import type { IdEncoder, IdFields, Layout } from './Layout.js';

/** Bits of the time field: 2^41 ms is about 69.7 years past the epoch. */
export const SNOWFLAKE_TIME_BITS = 41;
/** Bits of the worker field: 1,024 workers. */
export const SNOWFLAKE_WORKER_BITS = 10;
/** Bits of the sequence field: 4,096 IDs per millisecond per worker. */
export const SNOWFLAKE_SEQUENCE_BITS = 12;
/** The largest worker id, 1023. */
export const MAX_WORKER_ID = 2 ** SNOWFLAKE_WORKER_BITS - 1;
/** Twitter splits the worker id into datacenter id (upper 5 bits) and machine id (lower 5). */
export const TWITTER_MACHINE_BITS = 5;
/** The largest datacenter id, 31. */
export const MAX_DATACENTER_ID = 2 ** (SNOWFLAKE_WORKER_BITS - TWITTER_MACHINE_BITS) - 1;
/** The largest machine id when a datacenter id is given too, 31. */
export const MAX_TWITTER_MACHINE_ID = 2 ** TWITTER_MACHINE_BITS - 1;

export interface SnowflakeNode {
  /** 0–1023; Twitter style, datacenterId << 5 | machineId. */
  readonly workerId: number;
}

const LOW_SHIFT = SNOWFLAKE_WORKER_BITS + SNOWFLAKE_SEQUENCE_BITS; // 22
const LOW_SPAN = 2 ** LOW_SHIFT;
const TIME_SPLIT = 2 ** (32 - LOW_SHIFT); // time bits that fall into the low 32-bit word: 10

/**
 * The 64-bit Twitter Snowflake layout, as Snowflakex uses it.
 *
 * ```
 *  63 62                                        22 21          12 11            0
 * +--+--------------------------------------------+--------------+---------------+
 * |0 |  time: 41 bits, ms since the epoch         | worker: 10   | sequence: 12  |
 * +--+--------------------------------------------+--------------+---------------+
 * ```
 * The sign bit stays 0, so IDs sort the same as signed and unsigned 64-bit integers.
 */
export class SnowflakeLayout implements Layout<SnowflakeNode> {
  readonly name = 'snowflake';
  readonly byteLength = 8;
  readonly timeBits = SNOWFLAKE_TIME_BITS;
  readonly sequenceBits = SNOWFLAKE_SEQUENCE_BITS;
  readonly defaultEpoch = 'twitter';
  readonly nodeKind = { kind: 'worker' } as const;

  encoder(node: SnowflakeNode): IdEncoder {
    return new SnowflakeEncoder(node.workerId);
  }

  read(bytes: Uint8Array, offset: number): IdFields<SnowflakeNode> {
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset, 8);
    const hi = view.getUint32(0);
    const lo = view.getUint32(4);
    return {
      elapsedMs: hi * TIME_SPLIT + Math.floor(lo / LOW_SPAN),
      sequence: lo & (2 ** SNOWFLAKE_SEQUENCE_BITS - 1),
      node: { workerId: (lo >>> SNOWFLAKE_SEQUENCE_BITS) & MAX_WORKER_ID },
    };
  }

  check(bytes: Uint8Array, offset: number): string | undefined {
    return (bytes[offset] ?? 0) & 0x80 ? 'the sign bit of a snowflake ID must be 0' : undefined;
  }

  describeNode(node: SnowflakeNode): Readonly<Record<string, number>> {
    return {
      workerId: node.workerId,
      datacenterId: node.workerId >>> TWITTER_MACHINE_BITS,
      machineId: node.workerId & MAX_TWITTER_MACHINE_ID,
    };
  }
}

class SnowflakeEncoder implements IdEncoder {
  readonly #workerBits: number;
  #cachedElapsed = -1;
  #cachedHigh = 0n;

  constructor(workerId: number) {
    this.#workerBits = workerId * 2 ** SNOWFLAKE_SEQUENCE_BITS;
  }

  writeRun(view: DataView, offset: number, elapsedMs: number, firstSequence: number, count: number): void {
    const hi = Math.floor(elapsedMs / TIME_SPLIT);
    const loBase = (elapsedMs % TIME_SPLIT) * LOW_SPAN + this.#workerBits + firstSequence;
    for (let i = 0, o = offset; i < count; i++, o += 8) {
      view.setUint32(o, hi);
      view.setUint32(o + 4, loBase + i);
    }
  }

  toBigInt(elapsedMs: number, sequence: number): bigint {
    if (elapsedMs !== this.#cachedElapsed) {
      this.#cachedElapsed = elapsedMs;
      this.#cachedHigh = BigInt(elapsedMs) << BigInt(LOW_SHIFT);
    }
    return this.#cachedHigh | BigInt(this.#workerBits + sequence);
  }
}

export const snowflakeLayout = new SnowflakeLayout();
