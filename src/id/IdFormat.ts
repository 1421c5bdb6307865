import { InvalidIdError } from '../errors.js';

/** The text forms an ID is written in. `uuid` (8-4-4-4-12 hex) is for 16-byte layouts only. */
export type IdFormat = 'decimal' | 'hex' | 'uuid';

export const idFormats: readonly IdFormat[] = ['decimal', 'hex', 'uuid'];

/**
 * Writes `id` of a `byteLength`-byte layout as text. Hex is lower case and zero-padded to the
 * layout's full width, so hex strings of one layout sort like the IDs themselves.
 */
export function formatId(id: bigint, byteLength: number, format: IdFormat): string {
  if (format === 'decimal') return id.toString();
  const hex = id.toString(16).padStart(byteLength * 2, '0');
  if (format === 'hex') return hex;
  if (byteLength !== 16) throw new InvalidIdError(`the uuid format needs a 16-byte layout; this one has ${byteLength} bytes`);
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
    throw new InvalidIdError(`"${clip(trimmed)}" is too large for a ${byteLength}-byte ID`);
  }
  return value;
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
