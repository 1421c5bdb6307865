// fast-check generators shared by the protocol tests (not a test file itself).
import fc from 'fast-check';
import { MAX_TOKEN_LENGTH, MAX_WIRE_COUNT } from '../../src/protocol/constants.js';
import type { Frame } from '../../src/protocol/Frame.js';

export const tokenArb = fc.uint8Array({ minLength: 0, maxLength: MAX_TOKEN_LENGTH });

/** Counts biased towards the edges of the valid range. */
export const validCountArb = fc.oneof(
  fc.integer({ min: 1, max: 16 }),
  fc.integer({ min: 1, max: MAX_WIRE_COUNT }),
  fc.integer({ min: MAX_WIRE_COUNT - 16, max: MAX_WIRE_COUNT }),
);

export const validFrameArb: fc.Arbitrary<Frame> = fc.oneof(
  { weight: 4, arbitrary: validCountArb.map((count): Frame => ({ kind: 'count', count })) },
  { weight: 1, arbitrary: tokenArb.map((token): Frame => ({ kind: 'auth', token })) },
);

/** Any frame the decoder can yield, count 0 included. */
export const wireFrameArb: fc.Arbitrary<Frame> = fc.oneof(
  validFrameArb,
  fc.constant<Frame>({ kind: 'count', count: 0 }),
);

/** Splits `bytes` into consecutive chunks at the given cut points (positions taken modulo length + 1). */
export function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of points) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}

/** Serialises frames by hand (independently of FrameEncoder), count 0 included. */
export function wireBytes(frames: readonly Frame[]): Uint8Array {
  const parts: number[] = [];
  for (const frame of frames) {
    if (frame.kind === 'count') {
      const n = frame.count;
      parts.push(Math.floor(n / 2 ** 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
    } else {
      parts.push(0xff, 0xff, 0xff, frame.token.length, ...frame.token);
    }
  }
  return Uint8Array.from(parts);
}
