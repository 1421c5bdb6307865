import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { IdOrderCheck } from '../../../bench/load/IdOrderCheck.js';

/** IDs as big-endian bytes of `size`, from numbers. */
function stream(values: readonly bigint[], size: number): Uint8Array {
  const bytes = new Uint8Array(values.length * size);
  values.forEach((value, i) => {
    for (let k = size - 1, v = value; k >= 0; k--, v >>= 8n) bytes[i * size + k] = Number(v & 0xffn);
  });
  return bytes;
}

/** Feeds `bytes` cut at `cuts` (offsets), as reads would arrive. */
function feed(check: IdOrderCheck, bytes: Uint8Array, cuts: readonly number[]): void {
  let start = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    check.push(bytes.subarray(start, cut));
    start = cut;
  }
  check.push(bytes.subarray(start));
}

function expectedViolations(values: readonly bigint[]): number {
  let count = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! <= values[i - 1]!) count++;
  return count;
}

describe('IdOrderCheck', () => {
  it('GIVEN strictly increasing 8-byte IDs in one read THEN it counts them and finds no violation', () => {
    const check = new IdOrderCheck(8);
    check.push(stream([1n, 2n, 0x100n, 0xff00000000000000n], 8));
    assert.equal(check.ids, 4);
    assert.equal(check.violations, 0);
    assert.equal(check.pendingBytes, 0);
  });

  it('GIVEN an equal and a smaller ID THEN each counts as a violation', () => {
    const check = new IdOrderCheck(8);
    check.push(stream([5n, 5n, 4n, 6n], 8));
    assert.equal(check.violations, 2);
  });

  it('GIVEN an ID split across reads THEN it is put together and compared with the one before', () => {
    const check = new IdOrderCheck(16);
    const bytes = stream([10n, 9n], 16);
    check.push(bytes.subarray(0, 20));
    assert.equal(check.pendingBytes, 4);
    check.push(bytes.subarray(20, 25));
    check.push(bytes.subarray(25));
    assert.equal(check.ids, 2);
    assert.equal(check.violations, 1);
  });

  it('GIVEN an order across two reads THEN the last ID of one read is compared with the first of the next', () => {
    const check = new IdOrderCheck(8);
    check.push(stream([1n, 2n, 3n], 8));
    check.push(stream([3n, 4n], 8));
    assert.equal(check.violations, 1);
  });

  it('GIVEN any IDs cut at any read boundaries THEN it counts exactly the places where an ID is not above the one before', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(8, 16),
        fc.array(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (size, values, rawCuts) => {
          const bytes = stream(values, size);
          const cuts = rawCuts.map((cut) => (bytes.length === 0 ? 0 : cut % bytes.length));
          const check = new IdOrderCheck(size);
          feed(check, bytes, cuts);
          assert.equal(check.ids, values.length);
          assert.equal(check.violations, expectedViolations(values));
        },
      ),
    );
  });
});
