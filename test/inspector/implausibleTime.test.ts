import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { epochs } from '../../src/layouts/epochs.js';
import { formatAge, implausibleTime } from '../../src/inspector/implausibleTime.js';

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
const DAY = 86_400_000;

describe('implausibleTime (the decode warning of the inspector page)', () => {
  it('GIVEN a time a while ago and not in the future THEN no warning', () => {
    assert.equal(implausibleTime(NOW - 5 * DAY, epochs.twitter, NOW), undefined);
    assert.equal(implausibleTime(NOW, epochs.overtone, NOW), undefined);
  });

  it('GIVEN a time more than a day ahead THEN "in the future"', () => {
    assert.match(implausibleTime(NOW + 2 * DAY, epochs.twitter, NOW)!, /in the future/);
  });

  it('GIVEN a time within a day of the epoch (an ID of another layout) THEN "within a day of the epoch"', () => {
    assert.match(implausibleTime(epochs.overtone + 1000, epochs.overtone, NOW)!, /within a day of the epoch/);
  });
});

describe('formatAge', () => {
  it('says how long ago in at most two units, or "in" for the future', () => {
    assert.equal(formatAge(NOW - 3 * DAY - 4 * 3_600_000 - 5_000, NOW), '3 d 4 h ago');
    assert.equal(formatAge(NOW - 12_500, NOW), '12 s ago');
    assert.equal(formatAge(NOW, NOW), '0 s ago');
    assert.equal(formatAge(NOW + 2 * 3_600_000, NOW), 'in 2 h');
  });
});
