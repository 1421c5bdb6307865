import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InvalidIdError, bigIntToBytes, bytesToBigInt, formatId, parseId } from '../../src/index.js';

const id64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const id128 = fc.bigInt({ min: 0n, max: 2n ** 128n - 1n });

describe('ID formats', () => {
  it('reads back every format it writes', () => {
    fc.assert(
      fc.property(id128, (id) => {
        for (const format of ['decimal', 'hex', 'uuid'] as const) {
          assert.equal(parseId(formatId(id, 16, format), 16, format), id);
        }
        assert.equal(parseId(formatId(id, 16, 'hex'), 16), id);
        assert.equal(parseId(formatId(id, 16, 'uuid'), 16), id);
      }),
    );
    fc.assert(
      fc.property(id64, (id) => {
        assert.equal(parseId(formatId(id, 8, 'decimal'), 8, 'decimal'), id);
        assert.equal(parseId(formatId(id, 8, 'hex'), 8), id);
      }),
    );
  });

  it('writes hex at full width, so hex strings sort like the IDs', () => {
    fc.assert(
      fc.property(id64, id64, (a, b) => {
        const [x, y] = [formatId(a, 8, 'hex'), formatId(b, 8, 'hex')];
        assert.equal(x.length, 16);
        assert.equal(Math.sign(x.localeCompare(y)), a < b ? -1 : a > b ? 1 : 0);
      }),
    );
  });

  it('writes UUID form as 8-4-4-4-12', () => {
    assert.equal(formatId(0x004370f1c3f5000020823cfde6f1b3b5n, 16, 'uuid'), '004370f1-c3f5-0000-2082-3cfde6f1b3b5');
  });

  it('reads decimal unless the text is hex-shaped', () => {
    assert.equal(parseId('1234', 8), 1234n);
    assert.equal(parseId('0x1234', 8), 0x1234n);
    assert.equal(parseId('ab', 8), 0xabn);
    assert.equal(parseId('1105459920185474', 8), 0x1105459920185474n); // 16 digits: hex, as --format hex writes
    assert.equal(parseId('1105459920185474', 8, 'decimal'), 1105459920185474n);
    assert.equal(parseId('  42\n', 8), 42n);
  });

  const bad: [string, number, RegExp][] = [
    ['', 8, /not an ID/],
    ['12z', 8, /not an ID/],
    ['-5', 8, /not an ID/],
    ['18446744073709551616', 8, /too large for a 8-byte ID/],
    ['004370f1-c3f5-0000-2082-3cfde6f1b3b5', 8, /is a UUID, but this layout's IDs have 8 bytes/],
    ['0x1ffffffffffffffff', 8, /too large/],
  ];
  for (const [text, size, message] of bad) {
    it(`refuses ${JSON.stringify(text)} for ${size}-byte IDs`, () => {
      assert.throws(() => parseId(text, size), (e: unknown) => e instanceof InvalidIdError && e.code === 'ERR_INVALID_ID' && message.test(e.message));
    });
  }

  it('refuses the uuid format for 8-byte layouts', () => {
    assert.throws(() => formatId(1n, 8, 'uuid'), InvalidIdError);
  });

  it('converts between bigints and big-endian bytes', () => {
    fc.assert(
      fc.property(id128, (id) => {
        const bytes = bigIntToBytes(id, 16);
        assert.equal(bytes.length, 16);
        assert.equal(bytesToBigInt(bytes), id);
        assert.equal(Buffer.from(bytes).toString('hex'), id.toString(16).padStart(32, '0'));
      }),
    );
    assert.throws(() => bigIntToBytes(2n ** 64n, 8), InvalidIdError);
    assert.throws(() => bigIntToBytes(-1n, 8), InvalidIdError);
  });
});
