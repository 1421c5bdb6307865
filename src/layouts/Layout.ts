import type { NodeKind } from './NodeKind.js';

/**
 * The one interface an ID layout implements. A layout says how wide an ID is, how many bits
 * its time and sequence fields have, and how to write fields into bytes and read them back.
 * The generator knows nothing else about a layout, so a new layout is one new file.
 *
 * `TNode` is the part of an ID that identifies the node that made it (a worker id, or a
 * hardware id and process id); it is fixed for the life of a generator.
 */
export interface Layout<TNode = unknown> {
  /** The name used in options, flags and decoded output. */
  readonly name: string;
  /** Bytes per ID. */
  readonly byteLength: number;
  /** Width of the time field: milliseconds since the epoch must stay below 2^timeBits. */
  readonly timeBits: number;
  /** Width of the sequence field: 2^sequenceBits IDs per millisecond per generator. */
  readonly sequenceBits: number;
  /** The epoch used when none is configured (a name from `epochs`). */
  readonly defaultEpoch: string;
  /** True when the time field may count from `defaultEpoch` only (uuidv7: RFC 9562 fixes it). */
  readonly fixedEpoch?: boolean;
  /** The text form IDs are written in when none is asked for; absent: decimal. */
  readonly defaultFormat?: 'decimal' | 'hex' | 'uuid';
  /** Which options name a generator's node; absent: the `node` option, passed as it is. */
  readonly nodeKind?: NodeKind;

  /** A writer of IDs for one node. Inputs are trusted: the generator keeps them in range. */
  encoder(node: TNode): IdEncoder;
  /** Reads the fields of the ID stored big-endian at `offset`. */
  read(bytes: Uint8Array, offset: number): IdFields<TNode>;
  /**
   * Says what is wrong with the ID stored at `offset` when its bytes cannot be an ID of this
   * layout (a reserved bit set); `undefined` when they can. Absent: every byte string is valid.
   */
  check?(bytes: Uint8Array, offset: number): string | undefined;
  /**
   * The fields an ID of this layout still has when another generator made it (a UUIDv7 from
   * a database): its bits past the time, without reading a sequence or node into them.
   * Absent: the layout holds no IDs but its own.
   */
  readForeign?(bytes: Uint8Array, offset: number): Readonly<Record<string, string | number>>;
  /** The node as plain JSON-friendly fields, for decoded output (`workerId`, `hardwareId`…). */
  describeNode(node: TNode): Readonly<Record<string, string | number>>;
}

/** Writes the IDs of one node. */
export interface IdEncoder {
  /**
   * Writes `count` IDs made at `elapsedMs` with sequences `firstSequence`,
   * `firstSequence + 1`, … into `view` from byte `offset`, each `byteLength` bytes, big-endian.
   */
  writeRun(view: DataView, offset: number, elapsedMs: number, firstSequence: number, count: number): void;
  /** The ID made at `elapsedMs` with `sequence`, as an unsigned integer. */
  toBigInt(elapsedMs: number, sequence: number): bigint;
}

/** The fields of one ID, time still relative to the epoch. */
export interface IdFields<TNode> {
  readonly elapsedMs: number;
  readonly sequence: number;
  readonly node: TNode;
}
