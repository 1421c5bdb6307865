import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ClockError } from '../../../src/errors.js';
import { LeaseGate } from '../../../src/machine/workerId/LeaseGate.js';

const T0 = 1_700_000_000_000;

/** A gate driven by a hand-set monotonic clock: valid until mono 1000, may issue T0..T0+900. */
function gate() {
  const mono = { now: 0 };
  const g = new LeaseGate(7, () => mono.now, 1000, T0 + 900, T0);
  return { g, mono };
}

describe('LeaseGate', () => {
  test('GIVEN a fresh holding THEN it admits within the validity and the deadlines', () => {
    const { g } = gate();
    g.admit(T0);
    g.admit(T0 + 900);
    assert.equal(g.maxAdmittedUnixMs, T0 + 900);
    assert.equal(g.validForMs(), 1000);
  });

  test('GIVEN the monotonic clock reaches the validity THEN it refuses with ERR_LEASE_LOST naming the reason', () => {
    const { g, mono } = gate();
    mono.now = 999.5;
    g.admit(T0 + 1);
    assert.equal(g.validForMs(), 1, 'rounded up: 0 only once it refuses');
    mono.now = 1000;
    g.noteFailure('renewing its lease failed: ECONNREFUSED');
    assert.equal(g.validForMs(), 0);
    assert.throws(() => g.admit(T0 + 2), {
      code: 'ERR_LEASE_LOST',
      message: /worker id 7 may no longer be held: renewing its lease failed: ECONNREFUSED/,
    });
    g.extend(1500, T0 + 1400);
    g.admit(T0 + 1400);
  });

  test('GIVEN a time past the promised deadline THEN it refuses, even while valid', () => {
    const { g } = gate();
    assert.throws(() => g.admit(T0 + 901), { code: 'ERR_LEASE_LOST', message: /past the lease's deadline/ });
  });

  test('GIVEN a time before notBefore THEN ClockError with the remaining ms', () => {
    const { g } = gate();
    assert.throws(
      () => g.admit(T0 - 25),
      (err: unknown) => err instanceof ClockError && err.code === 'ERR_WAITING_FOR_START' && err.remainingMs === 25,
    );
    g.extend(1000, T0 + 900, T0 + 100);
    assert.throws(() => g.admit(T0 + 50), { code: 'ERR_WAITING_FOR_START' });
    g.extend(1000, T0 + 900, T0 + 10); // notBefore never moves back
    assert.equal(g.notBeforeUnixMs, T0 + 100);
  });

  test('GIVEN suspend THEN it refuses until extended; GIVEN revoke THEN for good', () => {
    const { g } = gate();
    g.suspend('its lease expired in Redis');
    assert.throws(() => g.admit(T0 + 1), { code: 'ERR_LEASE_LOST', message: /expired in Redis/ });
    g.extend(1000, T0 + 900);
    g.admit(T0 + 1);
    g.revoke('the lease was released');
    g.extend(2000, T0 + 1900);
    assert.throws(() => g.admit(T0 + 2), { code: 'ERR_LEASE_LOST', message: /released/ });
    assert.equal(g.revoked, true);
    assert.equal(g.validForMs(), 0);
  });
});
