import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setTimeout } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { ClockError, FlakeryError } from '../../../src/errors.js';
import {
  RedisWorkerIdSource,
  type RedisWorkerIdOptions,
} from '../../../src/machine/workerId/RedisWorkerIdSource.js';
import type { WorkerIdLease, WorkerIdLeaseEvents } from '../../../src/machine/workerId/WorkerIdLease.js';
import { RedisServer } from '../../support/RedisServer.js';
import { TcpProxy } from '../../support/TcpProxy.js';

/** Short timings so the whole file runs in a few seconds: the gate closes 80 ms before expiry. */
const fast: RedisWorkerIdOptions = { ttlMs: 400, renewIntervalMs: 120, safetyMarginMs: 80, connectTimeoutMs: 2000 };

let redis: RedisServer;
let client: Redis;
let subscriber: Redis;
const leases: WorkerIdLease[] = [];
let prefixes = 0;
const freshPrefix = () => `test:${process.pid}:${prefixes++}:`;

before(async () => {
  redis = await RedisServer.start();
  client = new Redis(redis.url);
  client.on('error', () => undefined); // it reconnects by itself after the restart test
  // Expiry events let the tests wait for Redis to drop a lease instead of sleeping.
  await client.config('SET', 'notify-keyspace-events', 'Ex');
  subscriber = new Redis(redis.url);
  subscriber.on('error', () => undefined);
  await subscriber.subscribe('__keyevent@0__:expired');
});

after(async () => {
  await Promise.all(leases.map((lease) => lease.release()));
  client.disconnect();
  subscriber.disconnect();
  await redis.dispose();
});

async function acquire(options: RedisWorkerIdOptions, url = redis.url): Promise<WorkerIdLease> {
  const lease = await new RedisWorkerIdSource(url, { ...fast, ...options }).acquire();
  leases.push(lease);
  return lease;
}

function expired(key: string): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (_channel: string, message: string) => {
      if (message !== key) return;
      subscriber.off('message', onMessage);
      resolve();
    };
    subscriber.on('message', onMessage);
  });
}

describe('RedisWorkerIdSource', () => {
  test('GIVEN 20 holders racing THEN each gets a distinct id, recorded in Redis with its owner', async () => {
    const keyPrefix = freshPrefix();
    // All start from the same preferred id, the worst case for contention.
    const racers = await Promise.all(Array.from({ length: 20 }, () => acquire({ keyPrefix, preferredWorkerId: 5 })));
    const ids = racers.map((lease) => lease.workerId);
    assert.equal(new Set(ids).size, 20, `ids ${ids.join(',')}`);
    for (const lease of racers) {
      assert.ok(lease.workerId >= 0 && lease.workerId <= 1023);
      // Redis has no record of a never-used id: the holder cannot tell it from a lost record.
      assert.ok(lease.notBeforeUnixMs > Date.now(), 'no record of a last holder: it waits one TTL');
      assert.throws(() => lease.gate.admit(Date.now()), { code: 'ERR_WAITING_FOR_START' });
      const value = await client.get(`${keyPrefix}${lease.workerId}`);
      assert.match(value ?? '', /^[0-9a-f]{32} \{"host":".*","pid":\d+,"issueUntilUnixMs":\d+\}$/);
    }
    await Promise.all(racers.map((lease) => lease.release()));
    assert.equal(await client.exists(...ids.map((id) => `${keyPrefix}${id}`)), 0, 'release deletes the leases');
  });

  test('GIVEN a holder cut off from Redis THEN its gate closes before the TTL runs out, another node takes the id after it, and the first moves to a new id', async () => {
    const keyPrefix = freshPrefix();
    const proxy = await TcpProxy.start(redis.port);
    const cutOff = await acquire({ keyPrefix }, `redis://127.0.0.1:${proxy.port}/0`);
    const id = cutOff.workerId;
    const key = `${keyPrefix}${id}`;
    await issueOnceAdmitted(cutOff.gate);

    const lost = once(cutOff, 'lost') as Promise<[FlakeryError]>;
    await proxy.cut();
    const [error] = await lost;
    assert.equal(error.code, 'ERR_LEASE_LOST');
    assert.ok((await client.pttl(key)) > 0, 'the gate closed while Redis still held the lease');
    assert.throws(() => cutOff.gate.admit(Date.now()), { code: 'ERR_LEASE_LOST' });
    assert.equal(cutOff.status().state, 'lost');

    await expired(key);
    const successor = await acquire({ keyPrefix, preferredWorkerId: id });
    assert.equal(successor.workerId, id);
    const promised = Number(await client.get(`${key}:until`));
    assert.ok(successor.notBeforeUnixMs > cutOff.status().issueUntilUnixMs!, 'the successor starts after the deadline');
    assert.ok(promised >= successor.notBeforeUnixMs, 'the tombstone now holds the successor deadline');

    // The network comes back: the first node finds its id taken and leases another one.
    const changed = once(cutOff, 'changed') as Promise<WorkerIdLeaseEvents['changed']>;
    const oldGate = cutOff.gate;
    await proxy.resume();
    const [info] = await changed;
    assert.equal(info.previousWorkerId, id);
    assert.notEqual(info.workerId, id);
    assert.equal(cutOff.workerId, info.workerId);
    assert.equal(cutOff.gate, info.gate);
    await issueOnceAdmitted(info.gate);
    assert.throws(() => oldGate.admit(Date.now()), { code: 'ERR_LEASE_LOST', message: /taken by another process/ });
    await cutOff.release();
    await proxy.cut();
  });

  test('GIVEN Redis restarts empty THEN the gate refuses while it is down and the same id is leased again when it is back', async () => {
    const keyPrefix = freshPrefix();
    const lease = await acquire({ keyPrefix });
    const id = lease.workerId;
    await issueOnceAdmitted(lease.gate);

    const lost = once(lease, 'lost');
    const regained = once(lease, 'regained') as Promise<WorkerIdLeaseEvents['regained']>;
    await redis.stop('SIGKILL');
    try {
      await lost;
      assert.throws(() => lease.gate.admit(Date.now()), {
        code: 'ERR_LEASE_LOST',
        message: /could not be renewed in time: not connected to Redis at redis:\/\/127\.0\.0\.1:\d+\/0 \(.*ECONNREFUSED/,
      });
      assert.match(lease.status().lastError ?? '', /ECONNREFUSED/);
    } finally {
      await redis.restart(); // whatever happened, the other tests need their Redis back
    }
    const [info] = await regained;
    assert.equal(info.workerId, id);
    assert.equal(lease.status().state, 'held');
    // Redis came back empty: nothing proves that no one else held the id meanwhile.
    assert.match(info.waitReason ?? '', /no record of the last holder/);
    assert.throws(() => lease.gate.admit(Date.now()), { code: 'ERR_WAITING_FOR_START' });
    await issueOnceAdmitted(lease.gate);
    // The test's own clients reconnect too (ioredis retries), and see the new lease.
    await client.config('SET', 'notify-keyspace-events', 'Ex');
    assert.ok((await client.pttl(`${keyPrefix}${id}`)) > 0);
    await lease.release();
  });

  test('GIVEN Redis loses its data while a holder issues THEN a new holder of the same id waits one TTL and issues only after the old one stopped', async () => {
    const keyPrefix = freshPrefix();
    // Renewals far apart, so the new claim lands before the old holder's next renewal.
    const timings = { keyPrefix, ttlMs: 1200, renewIntervalMs: 500, safetyMarginMs: 200 };
    const old = await acquire(timings);
    const id = old.workerId;
    await issueOnceAdmitted(old.gate);
    const oldIssuing = issueUntilRefused(old.gate);
    const moved = once(old, 'changed') as Promise<WorkerIdLeaseEvents['changed']>;

    await client.flushall(); // Redis without persistence restarted, or an operator's FLUSHALL
    const claimedAt = Date.now();
    const next = await acquire({ ...timings, preferredWorkerId: id });
    assert.equal(next.workerId, id, 'the lost data freed the id');
    assert.ok(next.notBeforeUnixMs >= claimedAt + timings.ttlMs, 'no tombstone: the claim waits one TTL');
    assert.match(next.status().waitReason ?? '', /no record of the last holder of worker id \d+ .* one lease TTL \(1200 ms\)/);

    const nextFirst = await issueOnceAdmitted(next.gate);
    const oldLast = await oldIssuing;
    assert.ok(nextFirst > oldLast, `the new holder issued at ${nextFirst}, after the old one stopped at ${oldLast}`);
    // The old holder did not take its id back from under the new one: it moved to another id.
    const [info] = await moved;
    assert.equal(info.previousWorkerId, id);
    assert.notEqual(info.workerId, id);
    assert.equal(next.status().state, 'held');
  });

  test('GIVEN a released id THEN the next holder may start at once after the last time actually used', async () => {
    const keyPrefix = freshPrefix();
    const first = await acquire({ keyPrefix });
    const used = await issueOnceAdmitted(first.gate);
    await first.release();
    assert.throws(() => first.gate.admit(Date.now()), { code: 'ERR_LEASE_LOST', message: /released/ });
    assert.equal(first.status().state, 'released');

    const second = await acquire({ keyPrefix, preferredWorkerId: first.workerId });
    assert.equal(second.workerId, first.workerId);
    assert.equal(second.notBeforeUnixMs, used + 1);
    await second.release();
  });

  test('GIVEN a previous holder whose clock ran a minute ahead THEN the next holder waits past its last ID', async () => {
    const keyPrefix = freshPrefix();
    const ahead = { now: () => Date.now() + 60_000 };
    const skewed = await acquire({ keyPrefix, clock: ahead });
    const used = await issueOnceAdmitted(skewed.gate, ahead.now);
    await skewed.release();

    const next = await acquire({ keyPrefix, preferredWorkerId: skewed.workerId });
    assert.equal(next.notBeforeUnixMs, used + 1);
    assert.throws(
      () => next.gate.admit(Date.now()),
      (err: unknown) => err instanceof ClockError && err.code === 'ERR_WAITING_FOR_START' && err.remainingMs > 59_000,
    );
    await next.release();
  });

  test('GIVEN all 1024 ids leased THEN acquire fails with a clear ERR_WORKER_ID', async () => {
    const keyPrefix = freshPrefix();
    const pipeline = client.pipeline();
    for (let id = 0; id < 1024; id += 1) pipeline.set(`${keyPrefix}${id}`, 'someone-else {}', 'PX', 10_000);
    await pipeline.exec();
    await assert.rejects(new RedisWorkerIdSource(redis.url, { ...fast, keyPrefix }).acquire(), (err: unknown) => {
      return (
        err instanceof FlakeryError &&
        err.code === 'ERR_WORKER_ID' &&
        /all 1024 worker ids \(0 to 1023\)/.test(err.message) &&
        err.message.includes(keyPrefix.slice(0, -1))
      );
    });
  });

  test('GIVEN nothing listens at the URL THEN acquire fails within the connect timeout, naming the URL but not the password', async () => {
    const port = await closedPort();
    const started = Date.now();
    await assert.rejects(
      new RedisWorkerIdSource(`redis://:hunter2@127.0.0.1:${port}/3`, { ...fast, connectTimeoutMs: 300 }).acquire(),
      (err: unknown) =>
        err instanceof FlakeryError &&
        err.code === 'ERR_WORKER_ID' &&
        err.message.includes(`redis://127.0.0.1:${port}/3`) &&
        err.message.includes('within 300 ms') &&
        /ECONNREFUSED/.test(err.message) &&
        !err.message.includes('hunter2'),
    );
    assert.ok(Date.now() - started < 5000, 'bounded by the connect timeout');
  });

  test('GIVEN a server that accepts but never answers THEN acquire fails within the connect timeout', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const { port } = silent.address() as { port: number };
    try {
      await assert.rejects(
        new RedisWorkerIdSource(`redis://127.0.0.1:${port}`, { ...fast, connectTimeoutMs: 300 }).acquire(),
        { code: 'ERR_WORKER_ID', message: /within 300 ms/ },
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});

/** Admits the current ms every millisecond until the gate refuses for good; the last time admitted. */
async function issueUntilRefused(gate: WorkerIdLease['gate']): Promise<number> {
  let last = -1;
  for (;;) {
    const now = Date.now();
    try {
      gate.admit(now);
    } catch (err) {
      assert.equal((err as FlakeryError).code, 'ERR_LEASE_LOST');
      return last;
    }
    last = now;
    await setTimeout(1);
  }
}

/** Tries the current ms every millisecond until the gate admits one; that time. */
async function issueOnceAdmitted(gate: WorkerIdLease['gate'], clock = Date.now): Promise<number> {
  for (;;) {
    const now = clock();
    try {
      gate.admit(now);
      return now;
    } catch (err) {
      if (!(err instanceof ClockError)) throw err;
    }
    await setTimeout(1);
  }
}

async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}
