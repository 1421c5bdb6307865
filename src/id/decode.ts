import { InvalidIdError } from '../errors.js';
import type { EpochName } from '../layouts/epochs.js';
import type { Layout } from '../layouts/Layout.js';
import type { LayoutName } from '../layouts/registry.js';
import { resolveEpoch } from '../options/resolveEpoch.js';
import { resolveLayout } from '../options/resolveLayout.js';
import { bigIntToBytes, bytesToBigInt } from './IdBytes.js';
import { type IdFormat, parseId } from './IdFormat.js';

export interface DecodeOptions {
  /** Default `overt`. */
  layout?: LayoutName | Layout<any>;
  /** Default: the layout's default epoch. */
  epoch?: EpochName | number;
  /** How to read an ID given as text; default `auto` (see `parseId`). */
  format?: IdFormat | 'auto';
}

/** The fields of an ID, as `flakery decode` prints them. */
export interface DecodedId {
  readonly layout: string;
  /** The ID in decimal. */
  readonly id: string;
  /** Milliseconds since the Unix epoch. */
  readonly unixMs: number;
  /** `unixMs` as ISO-8601 UTC. */
  readonly time: string;
  readonly sequence: number;
  /** Node fields: `workerId`, `datacenterId`, `machineId` (snowflake) or `hardwareId`, `processId` (overt). */
  readonly [field: string]: string | number;
}

/**
 * Reads the fields of `id` (a bigint, the layout's bytes, or text: decimal, hex or UUID).
 * Throws InvalidIdError when it cannot be an ID of the layout. For many IDs, make one decoder
 * with {@link createDecoder}: this resolves the layout and epoch on every call.
 */
export function decode(id: bigint | string | Uint8Array, options: DecodeOptions = {}): DecodedId {
  return createDecoder(options)(id);
}

/**
 * A `decode` with the options resolved once (an unknown layout or epoch throws here), for
 * decoding many IDs of one layout: `flakery decode` over a file, a log pipeline.
 *
 * ```ts
 * const read = createDecoder({ layout: 'snowflake' });
 * for (const line of lines) console.log(read(line).time);
 * ```
 */
export function createDecoder(options: DecodeOptions = {}): (id: bigint | string | Uint8Array) => DecodedId {
  const layout = resolveLayout('layout', options.layout ?? 'overt');
  const epochMs = resolveEpoch('epoch', options.epoch ?? layout.defaultEpoch);
  const format = options.format ?? 'auto';
  return (id) => {
    const bytes = toBytes(id, layout.byteLength, format);
    const problem = layout.check?.(bytes, 0);
    if (problem) throw new InvalidIdError(problem);
    const fields = layout.read(bytes, 0);
    const unixMs = epochMs + fields.elapsedMs;
    return {
      layout: layout.name,
      id: bytesToBigInt(bytes).toString(),
      unixMs,
      time: new Date(unixMs).toISOString(),
      sequence: fields.sequence,
      ...layout.describeNode(fields.node),
    };
  };
}

function toBytes(id: bigint | string | Uint8Array, byteLength: number, format: IdFormat | 'auto'): Uint8Array {
  if (id instanceof Uint8Array) {
    if (id.length !== byteLength) throw new InvalidIdError(`expected ${byteLength} bytes, got ${id.length}`);
    return id;
  }
  return bigIntToBytes(typeof id === 'bigint' ? id : parseId(id, byteLength, format), byteLength);
}
