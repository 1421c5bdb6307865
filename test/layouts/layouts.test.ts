import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type Layout, bytesToBigInt, layouts } from '../../src/index.js';

const nodeArbitrary = {
  snowflake: fc.record({ workerId: fc.integer({ min: 0, max: 1023 }) }),
  overt: fc.record({ hardwareId: fc.uint8Array({ minLength: 6, maxLength: 6 }), processId: fc.integer({ min: 0, max: 65535 }) }),
  overt53: fc.record({ hardwareId: fc.uint8Array({ minLength: 6, maxLength: 6 }), processId: fc.integer({ min: 0, max: 65535 }) }),
  uuidv7: fc.record({ hardwareId: fc.uint8Array({ minLength: 6, maxLength: 6 }), processId: fc.integer({ min: 0, max: 16383 }) }),
};

function fieldsArbitrary(layout: Layout<unknown>) {
  return fc.record({
    elapsedMs: fc.integer({ min: 0, max: 2 ** layout.timeBits - 1 }),
    sequence: fc.integer({ min: 0, max: 2 ** layout.sequenceBits - 1 }),
  });
}

function write(layout: Layout<unknown>, node: unknown, elapsedMs: number, sequence: number, count = 1): Uint8Array {
  const bytes = new Uint8Array(layout.byteLength * count);
  layout.encoder(node).writeRun(new DataView(bytes.buffer), 0, elapsedMs, sequence, count);
  return bytes;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

for (const [name, layout] of Object.entries(layouts) as [keyof typeof layouts, Layout<unknown>][]) {
  describe(`${name} layout`, () => {
    it('reads back the fields it writes, for every field value', () => {
      fc.assert(
        fc.property(nodeArbitrary[name], fieldsArbitrary(layout), (node, { elapsedMs, sequence }) => {
          const bytes = write(layout, node, elapsedMs, sequence);
          assert.equal(layout.check?.(bytes, 0), undefined);
          const read = layout.read(bytes, 0);
          assert.deepEqual({ ...read, node: { ...(read.node as object) } }, { elapsedMs, sequence, node: { ...node } });
        }),
      );
    });

    it('writes the same ID as bytes and as a bigint', () => {
      fc.assert(
        fc.property(nodeArbitrary[name], fieldsArbitrary(layout), (node, { elapsedMs, sequence }) => {
          const bytes = write(layout, node, elapsedMs, sequence);
          assert.equal(bytesToBigInt(bytes), layout.encoder(node).toBigInt(elapsedMs, sequence));
        }),
      );
    });

    it('orders IDs by time, then sequence, as bytes and as integers', () => {
      fc.assert(
        fc.property(nodeArbitrary[name], fieldsArbitrary(layout), fieldsArbitrary(layout), (node, a, b) => {
          const expected = Math.sign(a.elapsedMs - b.elapsedMs || a.sequence - b.sequence);
          const encoder = layout.encoder(node);
          assert.equal(Math.sign(compareBytes(write(layout, node, a.elapsedMs, a.sequence), write(layout, node, b.elapsedMs, b.sequence))), expected);
          const [x, y] = [encoder.toBigInt(a.elapsedMs, a.sequence), encoder.toBigInt(b.elapsedMs, b.sequence)];
          assert.equal(x < y ? -1 : x > y ? 1 : 0, expected);
        }),
      );
    });

    it('writes a run as consecutive sequences of one millisecond', () => {
      fc.assert(
        fc.property(nodeArbitrary[name], fieldsArbitrary(layout), fc.integer({ min: 1, max: 50 }), (node, { elapsedMs, sequence }, count) => {
          const first = Math.min(sequence, 2 ** layout.sequenceBits - count);
          const run = write(layout, node, elapsedMs, first, count);
          for (let i = 0; i < count; i++) {
            const single = write(layout, node, elapsedMs, first + i);
            assert.deepEqual(run.subarray(i * layout.byteLength, (i + 1) * layout.byteLength), single);
          }
        }),
      );
    });
  });
}

describe('layout checks', () => {
  it('a snowflake ID with the sign bit set is refused', () => {
    const bytes = new Uint8Array(8).fill(0xff);
    assert.match(layouts.snowflake.check(bytes, 0) ?? '', /sign bit/);
  });

  it('an overt53 ID with any of its upper 11 bits set is refused', () => {
    for (const [byte, value] of [[0, 0x01], [1, 0x20], [1, 0x80]] as const) {
      const bytes = new Uint8Array(16);
      bytes[byte] = value;
      assert.match(layouts.overt53.check(bytes, 0) ?? '', /upper 11 bits/);
    }
    const ok = new Uint8Array(16);
    ok[1] = 0x1f;
    assert.equal(layouts.overt53.check(ok, 0), undefined);
  });
});
