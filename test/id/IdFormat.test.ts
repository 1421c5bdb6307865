import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FlakeryError, InvalidIdError, InvalidOptionError, bigIntToBytes, bytesToBigInt, formatId, parseId } from '../../src/index.js';

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
    ['18446744073709551616', 8, /too large for an 8-byte ID/],
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

describe('ID format errors of the public API', () => {
  const isInvalid = (code: string, pattern: RegExp) => (error: unknown) =>
    error instanceof FlakeryError && error.code === code && pattern.test(error.message);

  it('GIVEN parseId without a byte length THEN an InvalidOptionError that names byteLength and says what to pass', () => {
    assert.throws(() => (parseId as (text: string) => bigint)('abc'), isInvalid('ERR_INVALID_OPTION', /byteLength .*8 .*16/));
    assert.throws(() => parseId('abc', 0), isInvalid('ERR_INVALID_OPTION', /byteLength/));
    assert.throws(() => parseId('12', 8, 'octal' as never), isInvalid('ERR_INVALID_OPTION', /format must be one of auto, decimal, hex, uuid/));
  });

  it('GIVEN text that is no ID THEN InvalidIdError with code ERR_INVALID_ID, never a bare RangeError or TypeError', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(8, 16), fc.constantFrom('auto', 'decimal', 'hex', 'uuid') as fc.Arbitrary<'auto'>, (text, size, format) => {
        try {
          parseId(text, size, format);
        } catch (error) {
          assert.ok(error instanceof InvalidIdError, `${String(error)}`);
          assert.equal(error.code, 'ERR_INVALID_ID');
        }
      }),
    );
    assert.throws(() => parseId(undefined as never, 8), isInvalid('ERR_INVALID_ID', /must be a string/));
  });

  it('GIVEN an ID too large THEN the message reads "an 8-byte ID"', () => {
    assert.throws(() => parseId((2n ** 64n).toString(), 8), isInvalid('ERR_INVALID_ID', /too large for an 8-byte ID/));
  });

  it('GIVEN formatId with the format where the byte length goes THEN it names byteLength, not "hex bytes"', () => {
    assert.throws(() => (formatId as unknown as (id: bigint, format: string) => string)(5n, 'hex'), (error: unknown) => {
      assert.ok(error instanceof InvalidOptionError);
      assert.equal(error.option, 'byteLength');
      assert.doesNotMatch(error.message, /hex bytes/);
      assert.match(error.message, /formatId\(id, byteLength, format\)/);
      return true;
    });
  });

  it('GIVEN formatId with a bad format, a negative ID or one too wide THEN a coded error that says so', () => {
    assert.throws(() => formatId(5n, 8, 'octal' as never), isInvalid('ERR_INVALID_OPTION', /format must be one of decimal, hex, uuid/));
    assert.throws(() => formatId(-1n, 8, 'hex'), isInvalid('ERR_INVALID_ID', /-1 is not an ID/));
    assert.throws(() => formatId(2n ** 64n, 8, 'decimal'), isInvalid('ERR_INVALID_ID', /too large for an 8-byte ID/));
    assert.throws(() => formatId(5 as never, 8, 'hex'), isInvalid('ERR_INVALID_ID', /must be a bigint/));
    assert.throws(() => formatId(5n, 8, 'uuid'), isInvalid('ERR_INVALID_ID', /uuid format needs a 16-byte layout; this one has 8 bytes: use decimal or hex/));
  });
});
