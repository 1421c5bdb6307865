import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { ManualClock } from '../../src/clock/ManualClock.js';
import { FlakeryError } from '../../src/errors.js';
import { decode } from '../../src/id/decode.js';
import type { ServerConfig, ServerSettings } from '../../src/server/ServerConfig.js';
import { resolveServerConfig } from '../../src/server/resolveServerConfig.js';
import { startIdNode } from '../../src/server/startIdNode.js';
import { RedisServer } from '../support/RedisServer.js';
import { RawClient, countFrame } from './rawClient.js';

const setting = (value: string) => ({ value, from: 'test' });

function snowflake(extra: ServerSettings, clock?: ManualClock): ServerConfig {
  const config = resolveServerConfig({ layout: setting('snowflake'), listen: setting('127.0.0.1:0'), ...extra });
  return clock ? { ...config, generator: { ...config.generator, clock } } : config;
}

/** One ID over TCP from `port`, as 8 bytes. */
async function oneId(port: number): Promise<Uint8Array> {
  const client = await RawClient.connect(port);
  try {
    client.write(countFrame(1));
    return await client.read(8);
  } finally {
    client.socket.destroy();
  }
}

const isCode = (code: string) => (e: unknown) => e instanceof FlakeryError && e.code === code;

describe('startIdNode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flakery-node-'));
  let redis: RedisServer;
  before(async () => {
    redis = await RedisServer.start();
  });
  after(async () => {
    await redis?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GIVEN a failing health check or a clock far behind THEN the node health says why', async () => {
    const config = resolveServerConfig({ listen: setting('127.0.0.1:0'), hidType: setting('host') });
    const clock = new ManualClock(Date.now());
    let leaseHeld = true;
    const node = await startIdNode(
      { ...config, generator: { ...config.generator, clock } },
      { healthChecks: [() => (leaseHeld ? { ok: true } : { ok: false, code: 'ERR_LEASE_LOST', reason: 'lease lost in test' })] },
    );
    try {
      assert.deepEqual(node.health(), { ok: true });
      leaseHeld = false;
      assert.deepEqual(node.health(), { ok: false, code: 'ERR_LEASE_LOST', reason: 'lease lost in test' });
      leaseHeld = true;
      node.generator.next();
      clock.advance(-1000);
      const health = node.health();
      assert.equal(health.ok, false);
      assert.equal(!health.ok && health.code, 'ERR_CLOCK_BACKWARDS');
    } finally {
      await node.close();
    }
  });

  it('GIVEN --state-file and a Redis worker id THEN it serves the leased id, keeps the mark, and refuses a restart with the clock set back', async () => {
    const stateFile = join(dir, 'redis-node.state');
    const settings = { workerIdFrom: setting(redis.url), workerIdKeyPrefix: setting('node-restart:'), workerIdTtl: setting('300ms'), stateFile: setting(stateFile) };
    const waits: string[] = [];
    const first = await startIdNode(snowflake(settings), { onStartWait: ({ reason }) => waits.push(reason) });
    let workerId: number;
    try {
      workerId = first.guards.lease!.workerId;
      assert.match(waits.join(), /earlier holder of worker id/, 'a fresh lease waits one TTL, as the CLI does');
      const id = decode(await oneId(Number(first.info.tcp!.split(':').pop())), { layout: 'snowflake' });
      assert.equal(id.workerId, workerId);
      assert.equal(first.info.node.workerId, workerId);
      assert.ok(first.info.notes?.some((note) => note.startsWith(`worker id ${workerId} from`)));
      assert.ok(existsSync(stateFile) && statSync(stateFile).size > 0, 'the high-water mark is written');
    } finally {
      await first.close();
    }

    const clock = new ManualClock(Date.now() - 60_000); // NTP stepped back a minute while it was down
    await assert.rejects(
      startIdNode(snowflake({ ...settings, maxStartWait: setting('5s') }, clock)),
      (e: unknown) => isCode('ERR_START_WAIT_EXCEEDED')(e) && /--max-start-wait|test/.test((e as Error).message),
    );
    // The refusal gave back what it took: with the right clock the node starts on the same state file.
    const again = await startIdNode(snowflake(settings));
    try {
      assert.ok(again.guards.highWaterMark?.restored, 'the mark of the first run is restored');
    } finally {
      await again.close();
    }
  });

  it('GIVEN every Redis worker id held by others THEN the start is refused and nothing listens', async () => {
    const prefix = 'node-full:';
    const other = new Redis(redis.url);
    try {
      const pipeline = other.pipeline();
      for (let id = 0; id < 1024; id++) pipeline.set(`${prefix}${id}`, 'another-node', 'PX', 60_000);
      await pipeline.exec();
      await assert.rejects(startIdNode(snowflake({ workerIdFrom: setting(redis.url), workerIdKeyPrefix: setting(prefix) })), isCode('ERR_WORKER_ID'));
    } finally {
      other.disconnect();
    }
  });

  it('GIVEN a worker id in use by another node on this host THEN the second start is refused and the first keeps serving', async () => {
    const first = await startIdNode(snowflake({ machineId: setting('914'), stateFile: setting(join(dir, 'a.state')) }));
    try {
      await assert.rejects(startIdNode(snowflake({ machineId: setting('914'), stateFile: setting(join(dir, 'b.state')) })), isCode('ERR_WORKER_ID_IN_USE'));
      const id = decode(await oneId(Number(first.info.tcp!.split(':').pop())), { layout: 'snowflake' });
      assert.equal(id.workerId, 914);
    } finally {
      await first.close();
    }
  });

  it('GIVEN a signal already aborted THEN it rejects with the abort before taking the worker id or listening', async () => {
    const stop = new AbortController();
    stop.abort();
    const config = snowflake({ machineId: setting('915') });
    await assert.rejects(startIdNode(config, { signal: stop.signal }), { name: 'AbortError' });
    const node = await startIdNode(config); // the worker id was never taken, so it is free
    await node.close();
  });

  it('GIVEN a config that still holds the placeholder worker id (its lease dropped) THEN it is refused, never served as worker id 0', async () => {
    const config = snowflake({ workerIdFrom: setting(redis.url), workerIdKeyPrefix: setting('node-placeholder:') });
    await assert.rejects(startIdNode({ ...config, workerId: undefined }), (e: unknown) => isCode('ERR_WORKER_ID')(e) && /placeholder|no worker id/.test((e as Error).message));
    await assert.rejects(startIdNode({ ...config, workerId: { source: 'config' } }), isCode('ERR_WORKER_ID'));
  });
});
