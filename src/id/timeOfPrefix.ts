import type { Layout } from '../layouts/Layout.js';

/**
 * The time field (ms since the epoch) of the ID of `layout` whose first `length` bytes are at
 * `offset` in `bytes`, or `undefined` while those bytes do not settle it.
 *
 * The rest of the ID is filled in twice, once with zero bits and once with one bits: when both
 * read the same time, the time field lies wholly in the bytes at hand. So it works for any
 * layout, and for the built-in ones (time at the top) the first 6 or 8 bytes of an ID suffice:
 * a client can judge an answer before a whole ID arrived, which matters when the server's IDs
 * are shorter than the client expects and a whole one never arrives.
 */
export function timeOfPrefix(layout: Layout<unknown>, bytes: Uint8Array, offset: number, length: number): number | undefined {
  const size = layout.byteLength;
  if (length >= size) return layout.read(bytes, offset).elapsedMs;
  const padded = new Uint8Array(size);
  padded.set(bytes.subarray(offset, offset + length));
  const low = layout.read(padded, 0).elapsedMs;
  padded.fill(0xff, length);
  return layout.read(padded, 0).elapsedMs === low ? low : undefined;
}
