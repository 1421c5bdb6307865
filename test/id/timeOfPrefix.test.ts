import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { timeOfPrefix } from '../../src/id/timeOfPrefix.js';
import { layouts } from '../../src/layouts/registry.js';
import type { Layout } from '../../src/layouts/Layout.js';

const builtIn = Object.values(layouts) as Layout<unknown>[];

describe('timeOfPrefix', () => {
  it('GIVEN any bytes and any prefix length THEN a time it gives is the whole ID’s, and 8 bytes always settle a built-in layout', () => {
    fc.assert(
      fc.property(fc.constantFrom(...builtIn), fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.nat(16), (layout, bytes, length) => {
        const id = bytes.subarray(0, layout.byteLength);
        const whole = layout.read(id, 0).elapsedMs;
        const prefix = timeOfPrefix(layout, id, 0, Math.min(length, layout.byteLength));
        if (prefix !== undefined) assert.equal(prefix, whole);
        if (length >= 8) assert.equal(prefix, whole, 'the time field of every built-in layout lies in its first 8 bytes');
      }),
    );
  });

  it('GIVEN fewer bytes than the time field THEN undefined', () => {
    assert.equal(timeOfPrefix(layouts.overt as Layout<unknown>, new Uint8Array([1, 2, 3]), 0, 3), undefined);
  });
});

