import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { epochs } from '../../src/layouts/epochs.js';
import { formatAge, implausibleTimeWarning } from '../../src/inspector/implausibleTime.js';

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
const DAY = 86_400_000;

describe('implausibleTimeWarning (the decode warning of the inspector page)', () => {
  it('GIVEN a time a while ago and not in the future THEN no warning', () => {
    assert.equal(implausibleTimeWarning(NOW - 5 * DAY, epochs.twitter, NOW), undefined);
    assert.equal(implausibleTimeWarning(NOW, epochs.overtone, NOW), undefined);
  });

  it('GIVEN a time more than a year ahead THEN "in the future"', () => {
    assert.equal(implausibleTimeWarning(NOW + 300 * DAY, epochs.twitter, NOW), undefined);
    assert.match(implausibleTimeWarning(NOW + 400 * DAY, epochs.twitter, NOW)!, /more than a year in the future/);
  });

  it('GIVEN the epoch itself (an ID of a narrower layout) or a time before 2000 THEN it says so', () => {
    assert.match(implausibleTimeWarning(epochs.overtone, epochs.overtone, NOW)!, /the epoch itself/);
    assert.match(implausibleTimeWarning(Date.UTC(1999, 0, 1), epochs.unix, NOW)!, /before 2000/);
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
