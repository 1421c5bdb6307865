import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FlakeryError } from '../../src/errors.js';
import { startWaitMs } from '../../src/state/startWait.js';

const T0 = 1_700_000_000_000;

describe('startWaitMs', () => {
  const rows: Array<{ title: string; restored: number; now: number; max: number; expected: number }> = [
    { title: 'nothing restored', restored: 0, now: T0, max: 0, expected: 0 },
    { title: 'clock well past the mark', restored: T0 - 10_000, now: T0, max: 0, expected: 0 },
    { title: 'clock one past the mark', restored: T0 - 1, now: T0, max: 0, expected: 0 },
    { title: 'clock exactly at the mark', restored: T0, now: T0, max: 5, expected: 1 },
    { title: 'clock behind by less than the limit', restored: T0 + 799, now: T0, max: 1000, expected: 800 },
    { title: 'clock behind by exactly the limit', restored: T0 + 999, now: T0, max: 1000, expected: 1000 },
  ];
  for (const { title, restored, now, max, expected } of rows) {
    test(`GIVEN ${title} THEN wait ${expected} ms`, () => {
      assert.equal(startWaitMs(restored, now, max), expected);
    });
  }

  test('GIVEN a clock far behind the mark THEN ERR_START_WAIT_EXCEEDED names both times and the limit', () => {
    assert.throws(
      () => startWaitMs(T0 + 60_000, T0, 2000, 'state file /var/lib/flakery/state'),
      (err: unknown) =>
        err instanceof FlakeryError &&
        err.code === 'ERR_START_WAIT_EXCEEDED' &&
        err.message.includes('60001 ms behind') &&
        err.message.includes(new Date(T0 + 60_000).toISOString()) &&
        err.message.includes(new Date(T0).toISOString()) &&
        err.message.includes('/var/lib/flakery/state') &&
        err.message.includes('2000 ms'),
    );
  });
});
