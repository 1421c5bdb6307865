import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { EARLIEST_PLAUSIBLE_UNIX_MS, PLAUSIBLE_AHEAD_MS, implausibleTime } from '../../src/id/implausibleTime.js';
import { epochs } from '../../src/layouts/epochs.js';

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);

describe('implausibleTime (the rule of flakery decode and the inspector page)', () => {
  it('GIVEN a table of times THEN each reads as expected', () => {
    const rows: [string, number, number, ReturnType<typeof implausibleTime>][] = [
      ['a minute ago', NOW - 60_000, epochs.twitter, undefined],
      ['the epoch itself', epochs.overtone, epochs.overtone, 'epoch'],
      ['a ms after the epoch', epochs.overtone + 1, epochs.overtone, undefined],
      ['1999 under the Unix epoch', Date.UTC(1999, 11, 31), epochs.unix, 'before-2000'],
      ['2000-01-01 exactly', EARLIEST_PLAUSIBLE_UNIX_MS, epochs.unix, undefined],
      ['a year ahead exactly', NOW + PLAUSIBLE_AHEAD_MS, epochs.twitter, undefined],
      ['a year and a ms ahead', NOW + PLAUSIBLE_AHEAD_MS + 1, epochs.twitter, 'future'],
    ];
    for (const [title, unixMs, epochMs, expected] of rows) assert.equal(implausibleTime(unixMs, epochMs, NOW), expected, title);
  });

  it('GIVEN any time between 2000 and a year ahead, not at the epoch THEN it is plausible', () => {
    fc.assert(
      fc.property(fc.integer({ min: EARLIEST_PLAUSIBLE_UNIX_MS, max: NOW + PLAUSIBLE_AHEAD_MS }), (unixMs) => {
        assert.equal(implausibleTime(unixMs, epochs.unix, NOW), undefined);
      }),
    );
  });
});
