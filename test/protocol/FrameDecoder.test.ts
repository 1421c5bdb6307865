import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FlakeryError } from '../../src/errors.js';
import { MAX_PARTIAL_FRAME, MAX_WIRE_COUNT } from '../../src/protocol/constants.js';
import type { Frame } from '../../src/protocol/Frame.js';
import { FrameDecoder } from '../../src/protocol/FrameDecoder.js';
import { splitAt, wireBytes, wireFrameArb } from './frameArbitraries.js';

const bytes = (...values: number[]) => Uint8Array.from(values);
const ascii = (text: string) => new TextEncoder().encode(text);
const count = (n: number): Frame => ({ kind: 'count', count: n });
const auth = (token: Uint8Array): Frame => ({ kind: 'auth', token });

function drain(decoder: FrameDecoder): Frame[] {
  const frames: Frame[] = [];
  for (let frame = decoder.next(); frame !== undefined; frame = decoder.next()) frames.push(frame);
  return frames;
}

describe('FrameDecoder', () => {
  describe('decodes each kind of frame', () => {
    const token255 = Uint8Array.from({ length: 255 }, (_, i) => i);
    const cases: { title: string; input: Uint8Array; frames: Frame[] }[] = [
      { title: 'count 1', input: bytes(0, 0, 0, 1), frames: [count(1)] },
      { title: 'count with every byte used', input: bytes(1, 2, 3, 4), frames: [count(0x01020304)] },
      { title: 'count 0 (judged later, by the session)', input: bytes(0, 0, 0, 0), frames: [count(0)] },
      { title: 'largest count FF FF FE FF', input: bytes(0xff, 0xff, 0xfe, 0xff), frames: [count(MAX_WIRE_COUNT)] },
      { title: 'auth header with empty token', input: bytes(0xff, 0xff, 0xff, 0), frames: [auth(bytes())] },
      { title: 'auth, 3-byte token', input: bytes(0xff, 0xff, 0xff, 3, 97, 98, 99), frames: [auth(ascii('abc'))] },
      {
        title: 'auth header with 255-byte token',
        input: Uint8Array.from([0xff, 0xff, 0xff, 0xff, ...token255]),
        frames: [auth(token255)],
      },
      {
        title: 'pipelined auth and counts in one chunk',
        input: bytes(0xff, 0xff, 0xff, 2, 9, 8, 0, 0, 0, 5, 0, 0, 1, 0),
        frames: [auth(bytes(9, 8)), count(5), count(256)],
      },
      {
        title: 'a token that itself looks like a header',
        input: bytes(0xff, 0xff, 0xff, 4, 0xff, 0xff, 0xff, 1, 0, 0, 0, 7),
        frames: [auth(bytes(0xff, 0xff, 0xff, 1)), count(7)],
      },
    ];
    for (const { title, input, frames } of cases) {
      it(`GIVEN ${title} in one chunk THEN yields ${frames.length} frame(s)`, () => {
        const decoder = new FrameDecoder();
        assert.deepEqual(decoder.decode(input), frames);
        assert.equal(decoder.hasPartialFrame, false);
        assert.equal(decoder.pendingBytes, 0);
        decoder.end();
      });
      it(`GIVEN ${title} one byte at a time THEN yields the same frames`, () => {
        const decoder = new FrameDecoder();
        const got: Frame[] = [];
        for (const byte of input) got.push(...decoder.decode(bytes(byte)));
        assert.deepEqual(got, frames);
        decoder.end();
      });
    }
  });

  describe('partial frames', () => {
    const cases: { title: string; input: Uint8Array; buffered: number }[] = [
      { title: '1 header byte', input: bytes(0), buffered: 1 },
      { title: '3 header bytes', input: bytes(0, 0, 0), buffered: 3 },
      { title: 'an auth header without its token', input: bytes(0xff, 0xff, 0xff, 2), buffered: 4 },
      { title: 'an auth header with half its token', input: bytes(0xff, 0xff, 0xff, 2, 0x41), buffered: 5 },
      { title: 'a whole frame and 2 bytes of the next', input: bytes(0, 0, 0, 1, 0, 0), buffered: 2 },
    ];
    for (const { title, input, buffered } of cases) {
      it(`GIVEN ${title} THEN holds ${buffered} bytes and end() reports a truncated frame`, () => {
        const decoder = new FrameDecoder();
        decoder.decode(input);
        assert.equal(decoder.hasPartialFrame, true);
        assert.equal(decoder.bufferedBytes, buffered);
        assert.throws(() => decoder.end(), (err: unknown) => {
          assert.ok(err instanceof FlakeryError);
          assert.equal(err.code, 'ERR_BAD_FRAME');
          return true;
        });
        // end() leaves the decoder empty
        assert.equal(decoder.hasPartialFrame, false);
        decoder.end();
      });
    }

    it('GIVEN a truncated token THEN the end() message gives lengths, not token bytes', () => {
      const decoder = new FrameDecoder();
      decoder.decode(Uint8Array.from([0xff, 0xff, 0xff, 12, ...ascii('sekrit-tok')]));
      assert.throws(() => decoder.end(), (err: unknown) => {
        assert.ok(err instanceof FlakeryError);
        assert.doesNotMatch(err.message, /sekrit/);
        assert.match(err.message, /14 of the frame's 16 bytes/);
        return true;
      });
    });

    it('GIVEN a token split across chunks THEN the frame holds a copy, unaffected by later chunk changes', () => {
      const decoder = new FrameDecoder();
      const first = bytes(0xff, 0xff, 0xff, 4, 1, 2);
      const second = bytes(3, 4, 0, 0, 0, 9);
      assert.deepEqual(decoder.decode(first), []);
      const frames = decoder.decode(second);
      first.fill(0);
      second.fill(0);
      assert.deepEqual(frames, [auth(bytes(1, 2, 3, 4)), count(9)]);
    });
  });

  describe('pull API', () => {
    it('GIVEN a chunk of three frames WHEN next() is called once THEN the rest stays queued, not decoded', () => {
      const decoder = new FrameDecoder();
      decoder.push(bytes(0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3));
      assert.deepEqual(decoder.next(), count(1));
      assert.equal(decoder.pendingBytes, 8);
      assert.equal(decoder.hasPartialFrame, false);
      decoder.push(bytes(0, 0, 0, 4));
      assert.deepEqual(drain(decoder), [count(2), count(3), count(4)]);
      assert.equal(decoder.pendingBytes, 0);
    });

    it('GIVEN empty chunks THEN they are ignored', () => {
      const decoder = new FrameDecoder();
      decoder.push(bytes());
      assert.equal(decoder.next(), undefined);
      assert.deepEqual(decoder.decode(bytes()), []);
      assert.deepEqual(decoder.decode(bytes(0, 0, 0, 6)), [count(6)]);
    });

    it('GIVEN a view into a larger buffer THEN only the view is decoded', () => {
      const backing = bytes(9, 9, 0, 0, 0, 5, 9, 9);
      const decoder = new FrameDecoder();
      assert.deepEqual(decoder.decode(backing.subarray(2, 6)), [count(5)]);
    });

    it('GIVEN queued whole frames at end() THEN they are dropped without error', () => {
      const decoder = new FrameDecoder();
      decoder.push(bytes(0, 0, 0, 1, 0, 0, 0, 2));
      decoder.end();
      assert.equal(decoder.pendingBytes, 0);
      assert.equal(decoder.next(), undefined);
    });
  });

  describe('properties', () => {
    it('any sequence of frames, split at arbitrary points, decodes to the same frames', () => {
      fc.assert(
        fc.property(
          fc.array(wireFrameArb, { maxLength: 20 }),
          fc.array(fc.nat(), { maxLength: 30 }),
          (frames, cuts) => {
            const decoder = new FrameDecoder();
            const got: Frame[] = [];
            for (const chunk of splitAt(wireBytes(frames), cuts)) got.push(...decoder.decode(chunk));
            assert.deepEqual(got, frames);
            assert.equal(decoder.bufferedBytes, 0);
            decoder.end();
          },
        ),
        { numRuns: 300 },
      );
    });

    it('interleaving push() and next() in any order yields the same frames', () => {
      fc.assert(
        fc.property(
          fc.array(wireFrameArb, { maxLength: 12 }),
          fc.array(fc.nat(), { maxLength: 12 }),
          fc.array(fc.nat({ max: 3 }), { maxLength: 40 }),
          (frames, cuts, pullsPerPush) => {
            const decoder = new FrameDecoder();
            const got: Frame[] = [];
            splitAt(wireBytes(frames), cuts).forEach((chunk, i) => {
              decoder.push(chunk);
              for (let n = pullsPerPush[i] ?? 0; n > 0; n--) {
                const frame = decoder.next();
                if (frame !== undefined) got.push(frame);
              }
            });
            got.push(...drain(decoder));
            assert.deepEqual(got, frames);
          },
        ),
        { numRuns: 300 },
      );
    });

    it('random bytes never throw, never hold more than 259 bytes, and account for every byte', () => {
      fc.assert(
        fc.property(
          fc.uint8Array({ maxLength: 600 }).map((b) => (b.length > 0 && b[0]! & 1 ? b.fill(0xff, 0, 3) : b)),
          fc.array(fc.nat(), { maxLength: 40 }),
          (input, cuts) => {
            const decoder = new FrameDecoder();
            const got: Frame[] = [];
            for (const chunk of splitAt(input, cuts)) {
              got.push(...decoder.decode(chunk));
              assert.ok(decoder.bufferedBytes <= MAX_PARTIAL_FRAME);
            }
            // What was decoded re-serialises to a prefix of the input; the rest is the partial frame.
            const decoded = wireBytes(got);
            assert.deepEqual(input.subarray(0, decoded.length), decoded);
            assert.equal(input.length - decoded.length, decoder.bufferedBytes);
            try {
              decoder.end();
              assert.equal(decoded.length, input.length);
            } catch (err) {
              assert.ok(err instanceof FlakeryError);
              assert.equal(err.code, 'ERR_BAD_FRAME');
            }
          },
        ),
        { numRuns: 500 },
      );
    });
  });
});
