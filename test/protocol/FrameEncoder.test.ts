import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InvalidOptionError } from '../../src/errors.js';
import { MAX_WIRE_COUNT } from '../../src/protocol/constants.js';
import type { Frame } from '../../src/protocol/Frame.js';
import { FrameDecoder } from '../../src/protocol/FrameDecoder.js';
import { encodeAuth, encodeCount, encodeRequests } from '../../src/protocol/FrameEncoder.js';
import { splitAt, tokenArb, validCountArb, validFrameArb } from './frameArbitraries.js';

const bytes = (...values: number[]) => Uint8Array.from(values);
const optionalToken = fc.option(tokenArb, { nil: undefined });

function isInvalidOption(option: string, secret?: string) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof InvalidOptionError);
    assert.equal(err.code, 'ERR_INVALID_OPTION');
    assert.equal(err.option, option);
    if (secret !== undefined) assert.ok(!err.message.includes(secret), 'message must not contain the token');
    return true;
  };
}

function encodeFrame(frame: Frame): Uint8Array {
  return frame.kind === 'auth' ? encodeAuth(frame.token) : encodeCount(frame.count);
}

describe('FrameEncoder', () => {
  describe('encodeCount', () => {
    const valid: [number, Uint8Array][] = [
      [1, bytes(0, 0, 0, 1)],
      [256, bytes(0, 0, 1, 0)],
      [0x01020304, bytes(1, 2, 3, 4)],
      [0x80000000, bytes(0x80, 0, 0, 0)],
      [MAX_WIRE_COUNT, bytes(0xff, 0xff, 0xfe, 0xff)],
    ];
    for (const [n, expected] of valid) {
      it(`GIVEN ${n} THEN writes it as 4 big-endian bytes`, () => {
        assert.deepEqual(encodeCount(n), expected);
      });
    }

    const invalid = [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_WIRE_COUNT + 1, 0xffffffff, 2 ** 32];
    for (const n of invalid) {
      it(`GIVEN ${n} THEN throws InvalidOptionError naming count and the range`, () => {
        assert.throws(() => encodeCount(n), isInvalidOption('count'));
        assert.throws(() => encodeCount(n), /from 1 to 4294967039/);
      });
    }
  });

  describe('encodeAuth', () => {
    it('GIVEN an empty token THEN writes FF FF FF 00', () => {
      assert.deepEqual(encodeAuth(bytes()), bytes(0xff, 0xff, 0xff, 0));
    });

    it('GIVEN a 3-byte token THEN writes FF FF FF 03 and the token, as overt-flake does', () => {
      assert.deepEqual(encodeAuth(new TextEncoder().encode('abc')), bytes(0xff, 0xff, 0xff, 3, 0x61, 0x62, 0x63));
    });

    it('GIVEN a 255-byte token THEN writes FF FF FF FF and the token', () => {
      const token = new Uint8Array(255).fill(7);
      const frame = encodeAuth(token);
      assert.equal(frame.length, 259);
      assert.deepEqual(frame.subarray(0, 4), bytes(0xff, 0xff, 0xff, 0xff));
      assert.deepEqual(frame.subarray(4), token);
    });

    it('GIVEN a 256-byte token THEN throws InvalidOptionError without the token in the message', () => {
      const token = new TextEncoder().encode('Z'.repeat(256));
      assert.throws(() => encodeAuth(token), isInvalidOption('token', 'ZZZZ'));
      assert.throws(() => encodeAuth(token), /at most 255 bytes, got 256/);
    });
  });

  describe('encodeRequests', () => {
    it('GIVEN counts and no token THEN writes the counts back to back', () => {
      assert.deepEqual(encodeRequests([1, 2]), bytes(0, 0, 0, 1, 0, 0, 0, 2));
    });

    it('GIVEN counts and a token THEN the auth frame comes first', () => {
      assert.deepEqual(encodeRequests([3], bytes(0xaa)), bytes(0xff, 0xff, 0xff, 1, 0xaa, 0, 0, 0, 3));
    });

    it('GIVEN no counts and no token THEN writes nothing', () => {
      assert.deepEqual(encodeRequests([]), bytes());
    });

    it('GIVEN one bad count among good ones THEN throws before encoding anything', () => {
      assert.throws(() => encodeRequests([1, 0, 2]), isInvalidOption('count'));
      assert.throws(() => encodeRequests([1], new Uint8Array(256)), isInvalidOption('token'));
    });

    it('equals encodeAuth followed by encodeCount for each count', () => {
      fc.assert(
        fc.property(fc.array(validCountArb, { maxLength: 10 }), optionalToken, (counts, token) => {
          const parts = [...(token === undefined ? [] : [encodeAuth(token)]), ...counts.map(encodeCount)];
          assert.deepEqual(encodeRequests(counts, token), Uint8Array.from(parts.flatMap((p) => [...p])));
        }),
        { numRuns: 200 },
      );
    });
  });

  it('round trip: encoded frames, split anywhere, decode to the same frames', () => {
    fc.assert(
      fc.property(fc.array(validFrameArb, { maxLength: 15 }), fc.array(fc.nat(), { maxLength: 20 }), (frames, cuts) => {
        const wire = Uint8Array.from(frames.flatMap((frame) => [...encodeFrame(frame)]));
        const decoder = new FrameDecoder();
        const got = splitAt(wire, cuts).flatMap((chunk) => decoder.decode(chunk));
        assert.deepEqual(got, frames);
        decoder.end();
      }),
      { numRuns: 300 },
    );
  });
});
