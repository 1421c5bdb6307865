import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { UniquenessMerge } from '../../../bench/soak/UniquenessMerge.js';

const SIZE = 2;

function idBytes(values: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * SIZE);
  values.forEach((v, i) => bytes.set([v >> 8, v & 0xff], i * SIZE));
  return bytes;
}

describe('UniquenessMerge', () => {
  it('GIVEN increasing streams pushed in any interleaving and pieces THEN merges all and counts every repeat across streams', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        // Each value goes to a set of streams (a value on two streams is one duplicate).
        fc.array(fc.tuple(fc.integer({ min: 0, max: 65535 }), fc.array(fc.nat(5), { minLength: 1, maxLength: 3 })), { maxLength: 200 }),
        fc.array(fc.nat(), { maxLength: 400 }),
        (streamCount, placements, schedule) => {
          const perStream: Set<number>[] = Array.from({ length: streamCount }, () => new Set());
          for (const [value, streams] of placements) for (const s of streams) perStream[s % streamCount]!.add(value);
          const sorted = perStream.map((set) => [...set].sort((a, b) => a - b));
          const total = sorted.reduce((n, s) => n + s.length, 0);
          const distinct = new Set(sorted.flat()).size;

          const merge = new UniquenessMerge(SIZE, streamCount);
          const cursor = sorted.map(() => 0);
          // Push pieces of 1..4 IDs from streams chosen by the schedule, then the rest, then end.
          for (const pick of schedule) {
            const s = pick % streamCount;
            const take = 1 + (Math.floor(pick / streamCount) % 4);
            const piece = sorted[s]!.slice(cursor[s]!, cursor[s]! + take);
            cursor[s]! += piece.length;
            if (piece.length > 0) merge.push(s, idBytes(piece));
          }
          sorted.forEach((values, s) => {
            if (cursor[s]! < values.length) merge.push(s, idBytes(values.slice(cursor[s]!)));
            merge.end(s);
          });
          assert.equal(merge.merged, total);
          assert.equal(merge.duplicates, total - distinct);
          assert.equal(merge.disorder, 0);
          assert.equal(merge.pendingBytes, 0);
        },
      ),
    );
  });

  it('GIVEN a stream that goes backwards THEN reports disorder', () => {
    const merge = new UniquenessMerge(SIZE, 2);
    merge.push(0, idBytes([10, 20]));
    merge.push(1, idBytes([30]));
    merge.push(0, idBytes([5]));
    merge.end(0);
    merge.end(1);
    assert.equal(merge.disorder, 1);
  });

  it('GIVEN a live stream with nothing queued THEN holds the others back (their IDs may still be repeated)', () => {
    const merge = new UniquenessMerge(SIZE, 2);
    merge.push(0, idBytes([1, 2, 3]));
    assert.equal(merge.merged, 0);
    assert.equal(merge.pendingBytes, 3 * SIZE);
    merge.push(1, idBytes([2]));
    merge.end(0);
    merge.end(1);
    assert.equal(merge.merged, 4);
    assert.equal(merge.duplicates, 1);
    assert.equal(merge.firstDuplicate, '0002');
  });
});
