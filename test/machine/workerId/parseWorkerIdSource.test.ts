import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidOptionError } from '../../../src/errors.js';
import { parseWorkerIdSource } from '../../../src/machine/workerId/parseWorkerIdSource.js';
import { RedisWorkerIdSource } from '../../../src/machine/workerId/RedisWorkerIdSource.js';
import { StaticWorkerIdSource } from '../../../src/machine/workerId/StaticWorkerIdSource.js';
import { workerIdFromEnv, workerIdFromHostname } from '../../../src/machine/workerId/staticWorkerIds.js';

function invalid(pattern: RegExp) {
  return (err: unknown) =>
    err instanceof InvalidOptionError &&
    err.code === 'ERR_INVALID_OPTION' &&
    err.option === '--worker-id-from' &&
    pattern.test(err.message);
}

describe('workerIdFromEnv', () => {
  const good: Array<[string, number]> = [['0', 0], ['7', 7], ['1023', 1023], ['0042', 42]];
  for (const [raw, expected] of good) {
    test(`GIVEN NODE_APP_INSTANCE=${raw} THEN ${expected}`, () => {
      assert.equal(workerIdFromEnv('NODE_APP_INSTANCE', { NODE_APP_INSTANCE: raw }), expected);
    });
  }

  const bad: Array<{ raw: string | undefined; problem: RegExp }> = [
    { raw: undefined, problem: /NODE_APP_INSTANCE .*is not set; it must hold an integer from 0 to 1023/ },
    { raw: '', problem: /is not set/ },
    { raw: '1024', problem: /NODE_APP_INSTANCE .*gives worker id 1024, outside the range 0 to 1023/ },
    { raw: '99999999999999999999', problem: /outside the range 0 to 1023/ },
    { raw: '-1', problem: /holds "-1", expected an integer from 0 to 1023/ },
    { raw: '1.5', problem: /holds "1.5"/ },
    { raw: ' 3', problem: /holds " 3"/ },
    { raw: '0x10', problem: /holds "0x10"/ },
    { raw: 'seven', problem: /holds "seven"/ },
  ];
  for (const { raw, problem } of bad) {
    test(`GIVEN NODE_APP_INSTANCE=${JSON.stringify(raw)} THEN InvalidOptionError, never masked into range`, () => {
      assert.throws(() => workerIdFromEnv('NODE_APP_INSTANCE', { NODE_APP_INSTANCE: raw }), invalid(problem));
    });
  }
});

describe('workerIdFromHostname', () => {
  const good: Array<[string, number]> = [
    ['ids-0', 0],
    ['ids-7', 7],
    ['flakery-ids-1023', 1023],
    ['ids-7.ids.default.svc.cluster.local', 7],
  ];
  for (const [hostname, expected] of good) {
    test(`GIVEN host ${hostname} THEN ${expected}`, () => {
      assert.equal(workerIdFromHostname(hostname), expected);
    });
  }

  const bad: Array<{ hostname: string; problem: RegExp }> = [
    { hostname: 'ids', problem: /"ids" .*does not end in "-N"/ },
    { hostname: 'ids7', problem: /does not end in "-N"/ },
    { hostname: 'ids-', problem: /does not end in "-N"/ },
    { hostname: 'web.example-4', problem: /does not end in "-N"/ },
    { hostname: 'ids-1024', problem: /gives worker id 1024, outside the range 0 to 1023/ },
  ];
  for (const { hostname, problem } of bad) {
    test(`GIVEN host ${hostname} THEN InvalidOptionError`, () => {
      assert.throws(() => workerIdFromHostname(hostname), invalid(problem));
    });
  }
});

describe('parseWorkerIdSource', () => {
  test('GIVEN env:NAME THEN a static source with that id', () => {
    const source = parseWorkerIdSource('env:NODE_APP_INSTANCE', { env: { NODE_APP_INSTANCE: '3' } });
    assert.ok(source instanceof StaticWorkerIdSource);
    assert.equal(source.workerId, 3);
    assert.equal(source.description, 'env:NODE_APP_INSTANCE');
  });

  test('GIVEN env:NAME with a bad value THEN it fails at parse time, naming the variable', () => {
    assert.throws(() => parseWorkerIdSource('env:WORKER', { env: { WORKER: '2048' } }), invalid(/WORKER .*2048/));
    assert.throws(() => parseWorkerIdSource('env:', { env: {} }), invalid(/env:NAME needs a variable name/));
  });

  test('GIVEN hostname-ordinal THEN the injected host name is read', () => {
    const source = parseWorkerIdSource('hostname-ordinal', { hostname: 'ids-12' });
    assert.ok(source instanceof StaticWorkerIdSource);
    assert.equal(source.workerId, 12);
  });

  test('GIVEN a redis URL THEN a Redis source that shows the URL without its password', () => {
    const source = parseWorkerIdSource('redis://user:secret@cache.internal:6380/2');
    assert.ok(source instanceof RedisWorkerIdSource);
    assert.equal(source.description, 'redis://cache.internal:6380/2');
  });

  test('GIVEN an unknown spec THEN the error lists the forms and hides credentials', () => {
    assert.throws(
      () => parseWorkerIdSource('http://user:secret@host/'),
      (err: unknown) =>
        invalid(/must be env:NAME, hostname-ordinal or redis:\/\/host:port\/db/)(err) &&
        !(err as Error).message.includes('secret'),
    );
  });

  test('GIVEN bad Redis lease timings THEN InvalidOptionError names them', () => {
    assert.throws(() => parseWorkerIdSource('redis://h', { redis: { ttlMs: 50 } }), {
      code: 'ERR_INVALID_OPTION',
      message: /ttlMs must be an integer from 100/,
    });
    assert.throws(() => parseWorkerIdSource('redis://h', { redis: { ttlMs: 1000, renewIntervalMs: 700, safetyMarginMs: 300 } }), {
      code: 'ERR_INVALID_OPTION',
      message: /renewIntervalMs \(700\) \+ safetyMarginMs \(300\) must be less than ttlMs \(1000\)/,
    });
    assert.throws(() => parseWorkerIdSource('redis://h', { redis: { preferredWorkerId: 1024 } }), {
      code: 'ERR_INVALID_OPTION',
      message: /preferredWorkerId must be an integer from 0 to 1023/,
    });
  });
});

describe('StaticWorkerIdSource', () => {
  test('GIVEN an acquired id THEN a second acquire on this host refuses, and release frees it and closes the gate', async () => {
    const namespace = `static-${process.pid}`;
    const source = new StaticWorkerIdSource(9, 'config', { lock: { namespace } });
    const lease = await source.acquire();
    assert.equal(lease.workerId, 9);
    assert.equal(lease.notBeforeUnixMs, 0);
    lease.gate.admit(Date.now());
    assert.deepEqual(lease.status(), { source: 'config', workerId: 9, state: 'held' });

    await assert.rejects(source.acquire(), { code: 'ERR_WORKER_ID_IN_USE' });
    await lease.release();
    assert.throws(() => lease.gate.admit(Date.now()), { code: 'ERR_LEASE_LOST' });
    assert.equal(lease.status().state, 'released');

    const again = await source.acquire();
    await again.release();
  });

  test('GIVEN lock: false THEN no host lock is taken', async () => {
    const source = new StaticWorkerIdSource(9, 'config', { lock: false });
    const [a, b] = await Promise.all([source.acquire(), source.acquire()]);
    await Promise.all([a.release(), b.release()]);
  });

  test('GIVEN an out-of-range machineId THEN InvalidOptionError', () => {
    assert.throws(() => new StaticWorkerIdSource(1024, 'config'), {
      code: 'ERR_INVALID_OPTION',
      message: /machineId must be an integer from 0 to 1023, got 1024/,
    });
  });
});
