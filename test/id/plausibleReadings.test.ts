import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/clock/ManualClock.js';
import { plausibleReadings } from '../../src/id/plausibleReadings.js';
import { createGenerator, epochs } from '../../src/index.js';

describe('plausibleReadings', () => {
  it('GIVEN a snowflake ID made now THEN snowflake with its default epoch reads it best, and overt does not', () => {
    const now = Date.now();
    const bytes = createGenerator({ layout: 'snowflake', machineId: 1, clock: new ManualClock(now) }).nextBytes(1);
    const readings = plausibleReadings(() => bytes, now, now - 1000, now + 1000);
    assert.deepEqual(new Set(readings.map((reading) => reading.layout.name)), new Set(['snowflake']));
    const [best] = readings;
    assert.equal(best?.epoch, 'twitter');
    assert.equal(best?.unixMs, now);
  });

  it('GIVEN a zero time field THEN no reading', () => {
    assert.deepEqual(plausibleReadings(() => new Uint8Array(16), 0, 0, epochs.overtone * 2), []);
  });
});
