import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { PrefetchBuffer } from '../../src/client/PrefetchBuffer.js';

/** 8-byte test IDs whose time (Unix ms) is the value divided by 1,000: 1,000 IDs per ms. */
const readTime = (bytes: Uint8Array, offset: number) => Math.floor(Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(offset)) / 1000);

function answer(...ids: number[]): Uint8Array {
  const bytes = new Uint8Array(ids.length * 8);
  const view = new DataView(bytes.buffer);
  ids.forEach((id, i) => view.setBigUint64(i * 8, BigInt(id)));
  return bytes;
}

function takeAll(buffer: PrefetchBuffer, nowMs: number): number[] {
  const out = new Uint8Array(buffer.size * 8);
  const n = buffer.take(buffer.size, out, 0, nowMs);
  return Array.from({ length: n }, (_, i) => Number(new DataView(out.buffer).getBigUint64(i * 8)));
}

describe('PrefetchBuffer', () => {
  it('GIVEN IDs at most maxAgeMs old THEN hands them out, and drops the older ones (a gap)', () => {
    const buffer = new PrefetchBuffer(8, 10, 100, readTime);
    buffer.push(answer(1_000_000, 1_000_001, 1_050_000, 1_100_000), 4); // times 1000, 1000, 1050, 1100
    assert.deepEqual(takeAll(buffer, 1150), [1_050_000, 1_100_000]); // 1050 is exactly 100 ms old
    assert.equal(buffer.droppedTooOld, 2);
  });

  it('GIVEN the buffer ages while held THEN takeOne skips what became too old', () => {
    const buffer = new PrefetchBuffer(8, 10, 100, readTime);
    buffer.push(answer(1_000_000, 1_000_500, 1_200_000), 3);
    assert.equal(buffer.takeOne(1000), 1_000_000n);
    assert.equal(buffer.takeOne(1250), 1_200_000n); // 1_000_500 is 250 ms old now
    assert.equal(buffer.takeOne(1250), undefined);
  });

  it('GIVEN an answer that sorts at or below the highest accepted THEN drops that part (failover to a clock behind)', () => {
    const buffer = new PrefetchBuffer(8, 10, 100, readTime);
    buffer.push(answer(5_000, 5_001), 2);
    assert.equal(buffer.push(answer(4_000, 5_001, 5_002), 3), 3);
    assert.deepEqual(takeAll(buffer, 5), [5_000, 5_001, 5_002]);
    assert.equal(buffer.droppedOutOfOrder, 2);
    // Emptied and cleared, it still remembers what it handed out.
    buffer.clear();
    buffer.push(answer(5_002, 5_003), 2);
    assert.deepEqual(takeAll(buffer, 5), [5_003]);
  });

  it('GIVEN more than the room left THEN takes what fits and says how much of the answer it used', () => {
    const buffer = new PrefetchBuffer(8, 3, 100, readTime);
    assert.equal(buffer.push(answer(1, 2, 3, 4, 5), 5), 3);
    assert.equal(buffer.free, 0);
    assert.equal(buffer.takeOne(0), 1n);
    assert.equal(buffer.push(answer(4, 5), 2), 1); // wraps around the ring
    assert.deepEqual(takeAll(buffer, 0), [2, 3, 4]);
  });

  it('PROPERTY: whatever the answers and hand-out times, IDs leave strictly increasing, once, never older than maxAgeMs', () => {
    const step = fc.oneof(
      fc.record({ push: fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 30 }), base: fc.integer({ min: 0, max: 200_000 }) }),
      fc.record({ take: fc.integer({ min: 1, max: 40 }), later: fc.integer({ min: 0, max: 60 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 100 }), fc.array(step, { maxLength: 60 }), (capacity, maxAgeMs, steps) => {
        const buffer = new PrefetchBuffer(8, capacity, maxAgeMs, readTime);
        let nowMs = 0;
        let last = -1;
        for (const s of steps) {
          if ('push' in s) {
            let id = s.base;
            const ids = s.push.map((gap) => (id += gap));
            buffer.push(answer(...ids), ids.length);
          } else {
            nowMs += s.later;
            const out = new Uint8Array(s.take * 8);
            const n = buffer.take(s.take, out, 0, nowMs);
            for (let i = 0; i < n; i++) {
              const id = Number(new DataView(out.buffer).getBigUint64(i * 8));
              assert.ok(id > last, `${id} after ${last}`);
              assert.ok(Math.floor(id / 1000) >= nowMs - maxAgeMs, `${id} older than ${maxAgeMs} ms at ${nowMs}`);
              last = id;
            }
          }
        }
      }),
    );
  });
});
