/**
 * IDs in one comparable form: an unsigned integer split into two 64-bit columns. Every library
 * hands its IDs out differently (bigint, Buffer, UUID string, ULID string, bytes); each is turned
 * into the integer its bytes stand for, so "went backwards" and "repeated" mean the same for all.
 * Two BigUint64Arrays hold 5 million 128-bit IDs in 80 MB, against ~0.5 GB for a Set of bigints.
 */
export interface IdColumns {
  /** Upper 64 bits; 0 for 64-bit IDs. */
  readonly hi: BigUint64Array;
  /** Lower 64 bits. */
  readonly lo: BigUint64Array;
}

export function createIdColumns(capacity: number): IdColumns {
  return { hi: new BigUint64Array(capacity), lo: new BigUint64Array(capacity) };
}

/** An unsigned bigint of up to 128 bits (BigUint64Array keeps the low 64 bits by itself). */
export function putBigInt(ids: IdColumns, index: number, id: bigint): void {
  ids.hi[index] = id >> 64n;
  ids.lo[index] = id;
}

/** An 8- or 16-byte big-endian ID at `offset` in `view`. */
export function putBytes(ids: IdColumns, index: number, view: DataView, offset: number, size: 8 | 16): void {
  if (size === 8) {
    ids.hi[index] = 0n;
    ids.lo[index] = view.getBigUint64(offset);
  } else {
    ids.hi[index] = view.getBigUint64(offset);
    ids.lo[index] = view.getBigUint64(offset + 8);
  }
}

/** A UUID string, 8-4-4-4-12 hex digits. */
export function putUuid(ids: IdColumns, index: number, uuid: string): void {
  ids.hi[index] = BigInt(`0x${uuid.slice(0, 8)}${uuid.slice(9, 13)}${uuid.slice(14, 18)}`);
  ids.lo[index] = BigInt(`0x${uuid.slice(19, 23)}${uuid.slice(24, 36)}`);
}

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const crockfordValue = new Int8Array(128).fill(-1);
for (let digit = 0; digit < crockford.length; digit++) crockfordValue[crockford.charCodeAt(digit)] = digit;

/** `length` Crockford base-32 digits of `text` from `start`, as a number (at most 50 bits). */
function base32(text: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i++) {
    const digit = crockfordValue[text.charCodeAt(i) & 0x7f] ?? -1;
    if (digit < 0) throw new Error(`not a ULID: ${text}`);
    value = value * 32 + digit;
  }
  return value;
}

/** A ULID: 26 Crockford base-32 digits, 48 bits of time then 80 bits of randomness/counter. */
export function putUlid(ids: IdColumns, index: number, ulid: string): void {
  const time = BigInt(base32(ulid, 0, 10));
  const randomHigh = BigInt(base32(ulid, 10, 8)); // 40 bits
  const randomLow = BigInt(base32(ulid, 18, 8)); // 40 bits
  putBigInt(ids, index, (time << 80n) | (randomHigh << 40n) | randomLow);
}
