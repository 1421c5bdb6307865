import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InvalidIdError, InvalidOptionError, createDecoder, createGenerator, decode, epochs } from '../../src/index.js';

describe('decode', () => {
  it('defaults to the overt layout and its epoch', () => {
    const fields = decode('004370f1c3f5000020823cfde6f1b3b5');
    assert.equal(fields.layout, 'overt');
    assert.equal(fields.unixMs, 1772886501365);
    assert.equal(fields.hardwareId, '20823cfde6f1');
  });

  it('reads a UUID-form ID of a 16-byte layout', () => {
    const id = createGenerator({ layout: 'overt53', hardwareId: 'aabbccddeeff', processId: 9 }).next();
    const hex = id.toString(16).padStart(32, '0');
    const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    const fields = decode(uuid, { layout: 'overt53' });
    assert.equal(fields.id, id.toString());
    assert.equal(fields.processId, 9);
    assert.ok(Math.abs(fields.unixMs - Date.now()) < 60_000);
  });

  it('refuses IDs the layout cannot hold', () => {
    assert.throws(() => decode(2n ** 63n, { layout: 'snowflake' }), (e: unknown) => e instanceof InvalidIdError && /sign bit/.test(e.message));
    assert.throws(() => decode(new Uint8Array(7), { layout: 'snowflake' }), /expected 8 bytes, got 7/);
    assert.throws(() => decode(1n << 120n, { layout: 'overt53' }), /upper 11 bits/);
  });

  it('refuses an unknown layout or epoch, naming the option', () => {
    assert.throws(() => decode(1n, { layout: 'nope' as never }), (e: unknown) => e instanceof InvalidOptionError && e.option === 'layout');
    assert.throws(() => decode(1n, { epoch: 'nope' as never }), (e: unknown) => e instanceof InvalidOptionError && e.option === 'epoch');
  });

  it('decodes with a named epoch', () => {
    const fields = decode(0n, { layout: 'snowflake', epoch: 'discord' });
    assert.equal(fields.unixMs, epochs.discord);
    assert.equal(fields.time, '2015-01-01T00:00:00.000Z');
  });

  it('createDecoder refuses a bad layout or epoch when made, not per ID', () => {
    assert.throws(() => createDecoder({ layout: 'nope' as never }), (e: unknown) => e instanceof InvalidOptionError && e.option === 'layout');
    assert.throws(() => createDecoder({ epoch: 'nope' as never }), (e: unknown) => e instanceof InvalidOptionError && e.option === 'epoch');
  });

  it('createDecoder agrees with decode for any ID of any layout, epoch and form', () => {
    const layouts = [
      { layout: 'snowflake', bytes: 8, top: 63n },
      { layout: 'overt', bytes: 16, top: 128n },
      { layout: 'overt53', bytes: 16, top: 117n },
    ] as const;
    fc.assert(
      fc.property(fc.constantFrom(...layouts), fc.bigInt({ min: 0n, max: 2n ** 128n - 1n }), fc.constantFrom<'twitter' | 'discord' | number>('twitter', 'discord', 1_500_000_000_000), fc.boolean(), (spec, raw, epoch, asText) => {
        const id = raw % 2n ** spec.top;
        const options = { layout: spec.layout, epoch } as const;
        const input = asText ? id.toString() : id;
        assert.deepEqual(createDecoder(options)(input), decode(input, options));
      }),
    );
  });

  it('createDecoder refuses an ID it cannot read, as decode does', () => {
    const read = createDecoder({ layout: 'snowflake' });
    assert.throws(() => read(2n ** 63n), InvalidIdError);
    assert.throws(() => read('not an id'), InvalidIdError);
    assert.equal(read(1n).sequence, 1);
  });
});
