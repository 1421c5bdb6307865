import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { bigIntToBytes, formatId, layouts } from '../../src/index.js';
import { type IdFraming, idTextWriter } from '../../src/id/IdTextWriter.js';
import type { IdFormat } from '../../src/id/IdFormat.js';

/** What the fast writer must agree with: BigInt and `formatId`, one line per ID. */
function expected(values: readonly bigint[], size: number, format: IdFormat, framing: IdFraming = { after: '\n' }): string {
  return values.map((value) => `${framing.before ?? ''}${formatId(value, size, format)}${framing.after ?? ''}`).join('');
}

/** IDs of every magnitude: a random bit length, then a value of at most that many bits. */
function anyId(size: number): fc.Arbitrary<bigint> {
  return fc.integer({ min: 0, max: size * 8 }).chain((bits) => fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n }));
}

/**
 * Writes through the fast path, with the IDs and the text both in views that start inside
 * their memory, and the text from index 2: offsets must be honoured everywhere.
 */
function actual(values: readonly bigint[], size: number, format: IdFormat, framing?: IdFraming): string {
  const writer = idTextWriter(format, size, framing);
  const ids = new Uint8Array(values.length * size + 5).subarray(5);
  ids.set(concat(values, size));
  const out = new Uint8Array(5 + values.length * writer.maxTextLength).subarray(3);
  const end = writer.write(ids, values.length, out, 2);
  assert.ok(end - 2 <= values.length * writer.maxTextLength, 'stays within maxTextLength per ID');
  return new TextDecoder().decode(out.subarray(2, end));
}

function concat(values: readonly bigint[], size: number): Uint8Array {
  const bytes = new Uint8Array(values.length * size);
  values.forEach((value, i) => bytes.set(bigIntToBytes(value, size), i * size));
  return bytes;
}

/** 0, 1, the top, and both sides of every power of 2 and of 10 that fits. */
function edges(size: number): bigint[] {
  const top = (1n << BigInt(size * 8)) - 1n;
  const values = new Set<bigint>([0n, 1n, top]);
  for (let bits = 1n; bits <= BigInt(size * 8); bits++) for (const d of [-1n, 0n, 1n]) values.add((1n << bits) + d);
  for (let power = 10n; power <= top; power *= 10n) for (const d of [-1n, 0n, 1n]) values.add(power + d);
  return [...values].filter((value) => value >= 0n && value <= top).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

describe('idTextWriter', () => {
  for (const size of [8, 16, 12]) {
    const formats: IdFormat[] = size === 16 ? ['decimal', 'hex', 'uuid'] : ['decimal', 'hex'];
    for (const format of formats) {
      it(`GIVEN ${size}-byte IDs WHEN written as ${format} THEN each line is what formatId writes, at edge values`, () => {
        const values = edges(size);
        assert.equal(actual(values, size, format), expected(values, size, format));
      });

      it(`GIVEN random ${size}-byte IDs WHEN written as ${format} THEN each line is what formatId writes`, () => {
        fc.assert(
          fc.property(fc.array(anyId(size), { minLength: 1, maxLength: 20 }), (values) => {
            assert.equal(actual(values, size, format), expected(values, size, format));
          }),
          { numRuns: 500 },
        );
      });
    }
  }

  it('GIVEN decimal for 8 and 16 bytes THEN the longest line is the top value plus a newline', () => {
    assert.equal(idTextWriter('decimal', 8).maxTextLength, `${2n ** 64n - 1n}\n`.length);
    assert.equal(idTextWriter('decimal', 16).maxTextLength, `${2n ** 128n - 1n}\n`.length);
    assert.equal(idTextWriter('hex', 8).maxTextLength, 17);
    assert.equal(idTextWriter('uuid', 16).maxTextLength, 37);
  });

  for (const layout of Object.values(layouts)) {
    const formats: IdFormat[] = layout.byteLength === 16 ? ['decimal', 'hex', 'uuid'] : ['decimal', 'hex'];
    for (const format of formats) {
      it(`GIVEN random ${layout.name} IDs WHEN written as ${format} inside a JSON array THEN each item is what formatId writes`, () => {
        const json: IdFraming = { before: ',"', after: '"' };
        fc.assert(
          fc.property(fc.array(anyId(layout.byteLength), { minLength: 1, maxLength: 20 }), (values) => {
            const text = actual(values, layout.byteLength, format, json);
            assert.equal(text, expected(values, layout.byteLength, format, json));
            assert.deepEqual(JSON.parse(`[${text.slice(1)}]`), values.map((value) => formatId(value, layout.byteLength, format)));
          }),
          { numRuns: 200 },
        );
      });
    }
  }
});
