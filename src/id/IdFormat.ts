import { InvalidIdError, InvalidOptionError } from '../errors.js';
import { show } from '../options/integerOption.js';

/** The text forms an ID is written in. `uuid` (8-4-4-4-12 hex) is for 16-byte layouts only. */
export type IdFormat = 'decimal' | 'hex' | 'uuid';

export const idFormats: readonly IdFormat[] = ['decimal', 'hex', 'uuid'];

/**
 * Writes `id` of a `byteLength`-byte layout as text. Hex is lower case and zero-padded to the
 * layout's full width, so hex strings of one layout sort like the IDs themselves.
 */
export function formatId(id: bigint, byteLength: number, format: IdFormat): string {
  checkByteLength('formatId(id, byteLength, format)', byteLength);
  if (typeof id !== 'bigint') throw new InvalidIdError(`an ID to format must be a bigint; got ${show(id)}`);
  if (id < 0n) throw new InvalidIdError(`${id} is not an ID: IDs are unsigned`);
  if (id >> BigInt(byteLength * 8) !== 0n) throw new InvalidIdError(`${id} is too large for ${anIdOf(byteLength)}`);
  if (format === 'decimal') return id.toString();
  const hex = id.toString(16).padStart(byteLength * 2, '0');
  if (format === 'hex') return hex;
  if (format !== 'uuid') throw new InvalidOptionError('format', `format must be one of ${idFormats.join(', ')}; got ${show(format)}`);
  if (byteLength !== 16) throw new InvalidIdError(`the uuid format needs a 16-byte layout; this one has ${byteLength} bytes: use decimal or hex`);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const DECIMAL = /^[0-9]+$/;
const HEX = /^(?:0x)?([0-9a-f]+)$/i;
const UUID = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i;

/**
 * Reads an ID of a `byteLength`-byte layout from text. With `format` `auto` (the default):
 * a UUID (16-byte layouts); hex when it starts with `0x`, has a digit a–f, or is exactly
 * 2 × byteLength digits long (as `--format hex` writes IDs); otherwise decimal. A decimal ID
 * that long is rare (within days of the epoch): pass `format: 'decimal'` to read one.
 */
export function parseId(text: string, byteLength: number, format: IdFormat | 'auto' = 'auto'): bigint {
  checkByteLength('parseId(text, byteLength, format)', byteLength);
  if (format !== 'auto' && !idFormats.includes(format)) {
    throw new InvalidOptionError('format', `format must be one of auto, ${idFormats.join(', ')}; got ${show(format)}`);
  }
  if (typeof text !== 'string') throw new InvalidIdError(`an ID to parse must be a string; got ${show(text)}`);
  const trimmed = text.trim();
  const uuid = UUID.exec(trimmed);
  const hex = HEX.exec(trimmed);
  let value: bigint;
  if (uuid && (format === 'auto' || format === 'uuid')) {
    if (byteLength !== 16) throw new InvalidIdError(`"${clip(trimmed)}" is a UUID, but this layout's IDs have ${byteLength} bytes`);
    value = BigInt(`0x${uuid.slice(1).join('')}`);
  } else if (DECIMAL.test(trimmed) && (format === 'decimal' || (format === 'auto' && trimmed.length !== byteLength * 2))) {
    value = BigInt(trimmed);
  } else if (hex && (format === 'auto' || format === 'hex')) {
    value = BigInt(`0x${hex[1]}`);
  } else {
    const expected = format === 'auto' ? 'decimal digits, hex or a UUID' : `a ${format} ID`;
    throw new InvalidIdError(`"${clip(trimmed)}" is not an ID: expected ${expected}`);
  }
  if (value >> BigInt(byteLength * 8) !== 0n) {
    throw new InvalidIdError(`"${clip(trimmed)}" is too large for ${anIdOf(byteLength)}`);
  }
  return value;
}

/** The bytes per ID of the layout, a whole number: the caller passes its layout's `byteLength`. */
function checkByteLength(call: string, byteLength: unknown): void {
  if (typeof byteLength !== 'number' || !Number.isSafeInteger(byteLength) || byteLength < 1 || byteLength > 64) {
    throw new InvalidOptionError(
      'byteLength',
      `${call}: byteLength must be the layout's bytes per ID, from 1 to 64 (8 for snowflake, 16 for overt, overt53 and uuidv7; ` +
        `or layouts.snowflake.byteLength); got ${show(byteLength)}`,
    );
  }
}

/** "an 8-byte ID", "a 16-byte ID". */
function anIdOf(byteLength: number): string {
  const vowel = byteLength === 11 || byteLength === 18 || String(byteLength).startsWith('8');
  return `${vowel ? 'an' : 'a'} ${byteLength}-byte ID`;
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
