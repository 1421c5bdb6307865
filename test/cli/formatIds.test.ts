import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { bigIntToBytes, formatId } from '../../src/index.js';
import { idLineWriter } from '../../src/cli/formatIds.js';
import type { IdFormat } from '../../src/id/IdFormat.js';

/** What the fast writer must agree with: BigInt and `formatId`, one line per ID. */
function expected(values: readonly bigint[], size: number, format: IdFormat): string {
  return values.map((value) => `${formatId(value, size, format)}\n`).join('');
}

/** IDs of every magnitude: a random bit length, then a value of at most that many bits. */
function anyId(size: number): fc.Arbitrary<bigint> {
  return fc.integer({ min: 0, max: size * 8 }).chain((bits) => fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n }));
}

/**
 * Writes through the fast path, with the IDs and the text both in views that start inside
 * their memory, and the text from index 2: offsets must be honoured everywhere.
 */
function actual(values: readonly bigint[], size: number, format: IdFormat): string {
  const writer = idLineWriter(format, size);
  const ids = new Uint8Array(values.length * size + 5).subarray(5);
  ids.set(concat(values, size));
  const out = new Uint8Array(5 + values.length * writer.maxLineLength).subarray(3);
  const end = writer.write(ids, values.length, out, 2);
  assert.ok(end - 2 <= values.length * writer.maxLineLength, 'stays within maxLineLength per ID');
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

describe('idLineWriter', () => {
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
    assert.equal(idLineWriter('decimal', 8).maxLineLength, `${2n ** 64n - 1n}\n`.length);
    assert.equal(idLineWriter('decimal', 16).maxLineLength, `${2n ** 128n - 1n}\n`.length);
    assert.equal(idLineWriter('hex', 8).maxLineLength, 17);
    assert.equal(idLineWriter('uuid', 16).maxLineLength, 37);
  });
});
