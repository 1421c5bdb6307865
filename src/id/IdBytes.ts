import { InvalidIdError } from '../errors.js';

/** The unsigned big-endian integer in `byteLength` bytes of `bytes` from `offset`. */
export function bytesToBigInt(bytes: Uint8Array, offset = 0, byteLength = bytes.length - offset): bigint {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, byteLength);
  let value = 0n;
  for (let at = 0; at < byteLength; at += 4) value = (value << 32n) | BigInt(view.getUint32(at));
  return value;
}

/** `value` as `byteLength` big-endian bytes; throws when it does not fit. */
export function bigIntToBytes(value: bigint, byteLength: number): Uint8Array {
  if (value < 0n || value >> BigInt(byteLength * 8) !== 0n) {
    throw new InvalidIdError(`${value} does not fit in ${byteLength} bytes (0 to 2^${byteLength * 8} - 1)`);
  }
  const bytes = new Uint8Array(byteLength);
  const view = new DataView(bytes.buffer);
  for (let at = byteLength - 4, rest = value; at >= 0; at -= 4, rest >>= 32n) {
    view.setUint32(at, Number(rest & 0xffffffffn));
  }
  return bytes;
}
