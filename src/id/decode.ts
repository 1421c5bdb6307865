import { InvalidIdError, InvalidOptionError } from '../errors.js';
import type { EpochName } from '../layouts/epochs.js';
import type { Layout } from '../layouts/Layout.js';
import type { LayoutName } from '../layouts/registry.js';
import { show } from '../options/integerOption.js';
import { knownOptions, rejectUnknownKeys } from '../options/knownOptions.js';
import { resolveLayoutEpoch } from '../options/resolveEpoch.js';
import { resolveLayout } from '../options/resolveLayout.js';
import { bigIntToBytes, bytesToBigInt } from './IdBytes.js';
import { type IdFormat, parseId } from './IdFormat.js';

export interface DecodeOptions {
  /** Default `overt`. */
  layout?: LayoutName | Layout<unknown>;
  /** Default: the layout's default epoch. */
  epoch?: EpochName | number;
  /** How to read an ID given as text; default `auto` (see `parseId`). */
  format?: IdFormat | 'auto';
  /**
   * Who made the IDs: `flakery` (default), so the bits after the time are read as the layout's
   * sequence and node; or `any` (uuidv7 only), for IDs another generator may have made (the
   * `uuid` package, a database): then only the time is read, and the rest is given raw.
   */
  origin?: DecodeOrigin;
}

export type DecodeOrigin = 'flakery' | 'any';

const decodeOptionNames = knownOptions<DecodeOptions>({ layout: true, epoch: true, format: true, origin: true });

export const decodeOrigins: readonly DecodeOrigin[] = ['flakery', 'any'];

/**
 * An ID that may come from another generator (`origin: 'any'`): its time, and the bits past it
 * as they are (`randA`, `randB` hex for uuidv7), with `node: 'unknown'` — never a sequence or
 * node read into bits that may be random.
 */
export interface DecodedForeignId {
  readonly layout: string;
  readonly origin: 'any';
  readonly id: string;
  readonly unixMs: number;
  readonly time: string;
  readonly node: 'unknown';
  readonly [field: string]: string | number;
}

/** The fields every decoded ID has, as `flakery decode` prints them. */
interface DecodedIdFields<TLayout extends string> {
  readonly layout: TLayout;
  /** The ID in decimal. */
  readonly id: string;
  /** Milliseconds since the Unix epoch. */
  readonly unixMs: number;
  /** `unixMs` as ISO-8601 UTC. */
  readonly time: string;
  readonly sequence: number;
}

/** A snowflake ID: its worker id, and that id split Twitter style (datacenterId << 5 | machineId). */
export interface DecodedSnowflakeId extends DecodedIdFields<'snowflake'> {
  readonly workerId: number;
  readonly datacenterId: number;
  readonly machineId: number;
}

/** An ID of the overt layouts and uuidv7: the hardware id (12 hex digits) and the process id. */
export interface DecodedOvertId<TLayout extends 'overt' | 'overt53' | 'uuidv7' = 'overt' | 'overt53' | 'uuidv7'>
  extends DecodedIdFields<TLayout> {
  readonly hardwareId: string;
  readonly processId: number;
}

/** The decoded IDs of the built-in layouts, by layout name. */
export interface DecodedIdsByLayout {
  readonly snowflake: DecodedSnowflakeId;
  readonly overt: DecodedOvertId<'overt'>;
  readonly overt53: DecodedOvertId<'overt53'>;
  readonly uuidv7: DecodedOvertId<'uuidv7'>;
}

/**
 * A decoded ID of a built-in layout: a union discriminated by `layout`, so
 * `if (d.layout === 'snowflake') d.workerId + 1` compiles.
 */
export type DecodedId<TLayout extends LayoutName = LayoutName> = DecodedIdsByLayout[TLayout];

/** A decoded ID of a custom layout: its node fields are what its `describeNode` gives. */
export interface DecodedCustomId extends DecodedIdFields<string> {
  readonly [field: string]: string | number;
}

type IdInput = bigint | string | Uint8Array;
type FlakeryOrigin = { readonly origin?: 'flakery' };

/**
 * Reads the fields of `id` (a bigint, the layout's bytes, or text: decimal, hex or UUID).
 * Throws InvalidIdError when it cannot be an ID of the layout. For many IDs, make one decoder
 * with {@link createDecoder}: this resolves the layout and epoch on every call.
 */
export function decode(id: IdInput, options: DecodeOptions & { readonly origin: 'any' }): DecodedForeignId;
export function decode<TLayout extends LayoutName = 'overt'>(
  id: IdInput,
  options?: DecodeOptions & FlakeryOrigin & { readonly layout?: TLayout },
): DecodedId<TLayout>;
export function decode(id: IdInput, options: DecodeOptions & FlakeryOrigin & { readonly layout: Layout<unknown> }): DecodedCustomId;
export function decode(id: IdInput, options?: DecodeOptions): DecodedId | DecodedCustomId | DecodedForeignId;
export function decode(id: IdInput, options: DecodeOptions = {}): DecodedId | DecodedCustomId | DecodedForeignId {
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
export function createDecoder(options: DecodeOptions & { readonly origin: 'any' }): (id: IdInput) => DecodedForeignId;
export function createDecoder<TLayout extends LayoutName = 'overt'>(
  options?: DecodeOptions & FlakeryOrigin & { readonly layout?: TLayout },
): (id: IdInput) => DecodedId<TLayout>;
export function createDecoder(options: DecodeOptions & FlakeryOrigin & { readonly layout: Layout<unknown> }): (id: IdInput) => DecodedCustomId;
export function createDecoder(options?: DecodeOptions): (id: IdInput) => DecodedId | DecodedCustomId | DecodedForeignId;
export function createDecoder(options: DecodeOptions = {}): (id: IdInput) => DecodedId | DecodedCustomId | DecodedForeignId {
  rejectUnknownKeys(options, decodeOptionNames, 'decode');
  const layout = resolveLayout('layout', options.layout ?? 'overt');
  const epochMs = resolveLayoutEpoch('epoch', layout, options.epoch);
  const format = options.format ?? 'auto';
  const readForeign = foreignReader(layout, options.origin ?? 'flakery');
  return (id) => {
    const bytes = toBytes(id, layout.byteLength, format);
    const problem = layout.check?.(bytes, 0);
    if (problem) throw new InvalidIdError(problem);
    const fields = layout.read(bytes, 0);
    const unixMs = epochMs + fields.elapsedMs;
    const time = new Date(unixMs).toISOString();
    const decimal = bytesToBigInt(bytes).toString();
    if (readForeign) return { layout: layout.name, origin: 'any', id: decimal, unixMs, time, ...readForeign(bytes, 0), node: 'unknown' };
    // The built-in layouts' describeNode gives the fields their Decoded…Id types name.
    const decoded = { layout: layout.name, id: decimal, unixMs, time, sequence: fields.sequence, ...layout.describeNode(fields.node) };
    return decoded as DecodedId | DecodedCustomId;
  };
}

/** For `origin: 'any'`, the layout's reader of other generators' IDs; none for `flakery`. */
function foreignReader(layout: Layout<unknown>, origin: unknown): Layout<unknown>['readForeign'] {
  if (origin === 'flakery') return undefined;
  if (origin !== 'any') throw new InvalidOptionError('origin', `origin must be one of ${decodeOrigins.join(', ')}; got ${show(origin)}`);
  if (!layout.readForeign) {
    throw new InvalidOptionError('origin', `origin any applies to layouts other generators also make (uuidv7); ${layout.name} IDs come from Flakery only`);
  }
  return layout.readForeign.bind(layout);
}

function toBytes(id: bigint | string | Uint8Array, byteLength: number, format: IdFormat | 'auto'): Uint8Array {
  if (id instanceof Uint8Array) {
    if (id.length !== byteLength) throw new InvalidIdError(`expected ${byteLength} bytes, got ${id.length}`);
    return id;
  }
  return bigIntToBytes(typeof id === 'bigint' ? id : parseId(id, byteLength, format), byteLength);
}
