import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { constantTimeEqual } from '../../src/protocol/constantTimeEqual.js';

const bytes = (...values: number[]) => Uint8Array.from(values);

function naiveEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

describe('constantTimeEqual', () => {
  const cases: { title: string; received: Uint8Array; expected: Uint8Array; equal: boolean }[] = [
    { title: 'both empty', received: bytes(), expected: bytes(), equal: true },
    { title: 'same bytes', received: bytes(1, 2, 3), expected: bytes(1, 2, 3), equal: true },
    { title: 'last byte differs', received: bytes(1, 2, 4), expected: bytes(1, 2, 3), equal: false },
    { title: 'first byte differs', received: bytes(0, 2, 3), expected: bytes(1, 2, 3), equal: false },
    { title: 'received is a prefix', received: bytes(1, 2), expected: bytes(1, 2, 3), equal: false },
    { title: 'received extends expected', received: bytes(1, 2, 3, 4), expected: bytes(1, 2, 3), equal: false },
    { title: 'received empty', received: bytes(), expected: bytes(1), equal: false },
    { title: 'expected empty', received: bytes(0), expected: bytes(), equal: false },
    // A short token reads as zeros past its end: that must not make it match zero bytes.
    { title: 'shorter, zero padding would match', received: bytes(7), expected: bytes(7, 0), equal: false },
    { title: 'length differs by 256', received: new Uint8Array(1), expected: new Uint8Array(257), equal: false },
  ];
  for (const { title, received, expected, equal } of cases) {
    it(`GIVEN ${title} THEN returns ${equal}`, () => {
      assert.equal(constantTimeEqual(received, expected), equal);
    });
  }

  it('matches naive equality on random pairs', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
        assert.equal(constantTimeEqual(a, b), naiveEqual(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it('matches naive equality on near-miss pairs (one byte flipped, truncated or extended)', () => {
    const nearMiss = fc
      .uint8Array({ minLength: 1, maxLength: 255 })
      .chain((token) =>
        fc.tuple(
          fc.constant(token),
          fc.oneof(
            fc.constant(token.slice()),
            fc.nat(token.length - 1).map((i) => {
              const copy = token.slice();
              copy[i] = (copy[i]! ^ 1) & 0xff;
              return copy;
            }),
            fc.nat(token.length).map((n) => token.slice(0, n)),
            fc.uint8Array({ minLength: 1, maxLength: 3 }).map((extra) => Uint8Array.from([...token, ...extra])),
          ),
        ),
      );
    fc.assert(
      fc.property(nearMiss, ([expected, received]) => {
        assert.equal(constantTimeEqual(received, expected), naiveEqual(received, expected));
      }),
      { numRuns: 1000 },
    );
  });
});
