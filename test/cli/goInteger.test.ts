import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { goInteger } from '../../src/cli/goInteger.js';

describe("goInteger: Go's strconv.ParseInt(s, 0, 64)", () => {
  for (const [text, expected] of [
    ['0', '0'],
    ['42', '42'],
    ['-1', '-1'],
    ['+7', '7'],
    ['010', '8'],
    ['0o17', '15'],
    ['0x1F', '31'],
    ['0X1f', '31'],
    ['0b101', '5'],
    ['1_000', '1000'],
    ['0x_ff', '255'],
    ['9223372036854775807', '9223372036854775807'],
    ['-9223372036854775808', '-9223372036854775808'],
  ] as const) {
    it(`reads ${text} as ${expected}`, () => assert.equal(goInteger(text), expected));
  }

  for (const text of ['', ' 1', '1 ', '08', '1__0', '_1', '1_', '0x', '1e3', '1.0', 'twelve', '9223372036854775808', '--1']) {
    it(`does not read ${JSON.stringify(text)}`, () => assert.equal(goInteger(text), undefined));
  }

  it('reads every int64 in decimal as itself', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (n) => goInteger(n.toString()) === n.toString()));
  });
});
