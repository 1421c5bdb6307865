import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ManualClock } from '../../src/clock/ManualClock.js';
import { FlakeryError, InvalidOptionError } from '../../src/errors.js';
import { decode } from '../../src/id/decode.js';
import { IdService } from '../../src/server/IdService.js';
import { NodeGuards } from '../../src/server/NodeGuards.js';
import type { ServerConfig, ServerSettings } from '../../src/server/ServerConfig.js';
import { resolveServerConfig } from '../../src/server/resolveServerConfig.js';
import { Redis } from 'ioredis';
import { createLogger } from '../../src/server/logging/createLogger.js';
import { LoggingObserver } from '../../src/server/logging/LoggingObserver.js';
import { MetricsObserver } from '../../src/server/metrics/MetricsObserver.js';
import { fanOutObserver } from '../../src/server/observers/fanOutObserver.js';
import { silentObserver, type WorkerIdEvent } from '../../src/server/ServerObserver.js';
import { RedisServer } from '../support/RedisServer.js';

const setting = (value: string) => ({ value, from: 'test' });

function snowflakeConfig(extra: ServerSettings, clock?: ManualClock): ServerConfig {
  const config = resolveServerConfig({ layout: setting('snowflake'), listen: setting('127.0.0.1:0'), ...extra });
  return clock ? { ...config, generator: { ...config.generator, clock } } : config;
}

describe('NodeGuards', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flakery-guards-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('GIVEN a restart with the clock set back THEN the new generator starts past every ID issued before', async () => {
    const stateFile = join(dir, 'restart.state');
    const clock = new ManualClock(Date.now());
    const first = await NodeGuards.open(snowflakeConfig({ machineId: setting('11'), stateFile: setting(stateFile) }, clock));
    const config = snowflakeConfig({ machineId: setting('11') }, clock);
    const before = first.createGenerator(config.generator).nextBatch(4000);
    await first.close();

    clock.advance(-400); // NTP stepped back while the node was down; within --max-start-wait
    const second = await NodeGuards.open(snowflakeConfig({ machineId: setting('11'), stateFile: setting(stateFile) }, clock));
    const generator = second.createGenerator(config.generator);
    assert.throws(() => generator.next(), (e: unknown) => e instanceof FlakeryError && e.code === 'ERR_WAITING_FOR_START');
    clock.advance(2000); // past the mark written ahead of use
    const after = generator.nextBatch(10);
    assert.ok(after[0]! > before.at(-1)!, 'the first ID after the restart sorts after the last one before it');
    await second.close();
  });

  it('GIVEN the clock is further behind the mark than --max-start-wait THEN start fails clearly', async () => {
    const stateFile = join(dir, 'far.state');
    const clock = new ManualClock(Date.now());
    const first = await NodeGuards.open(snowflakeConfig({ machineId: setting('12'), stateFile: setting(stateFile) }, clock));
    first.createGenerator(snowflakeConfig({ machineId: setting('12') }, clock).generator).next();
    await first.close();
    clock.advance(-60_000);
    await assert.rejects(
      NodeGuards.open(snowflakeConfig({ machineId: setting('12'), stateFile: setting(stateFile), maxStartWait: setting('5s') }, clock)),
      (e: unknown) => e instanceof FlakeryError && e.code === 'ERR_START_WAIT_EXCEEDED' && /--max-start-wait/.test(e.message),
    );
  });

  it('GIVEN two servers on one host with the same worker id THEN the second refuses until the first is gone', async () => {
    const first = await NodeGuards.open(snowflakeConfig({ machineId: setting('913') }));
    await assert.rejects(
      NodeGuards.open(snowflakeConfig({ machineId: setting('913') })),
      (e: unknown) => e instanceof FlakeryError && e.code === 'ERR_WORKER_ID_IN_USE',
    );
    await first.close();
    const again = await NodeGuards.open(snowflakeConfig({ machineId: setting('913') }));
    await again.close();
  });

  it('GIVEN --worker-id-from env:NAME THEN the generator uses that worker id', async () => {
    process.env.FLAKERY_TEST_WORKER_ID = '517';
    try {
      const config = snowflakeConfig({ workerIdFrom: setting('env:FLAKERY_TEST_WORKER_ID') });
      const guards = await NodeGuards.open(config);
      assert.equal(decode(guards.createGenerator(config.generator).next(), { layout: 'snowflake' }).workerId, 517);
      assert.deepEqual(guards.describe(), ['worker id 517 from env:FLAKERY_TEST_WORKER_ID']);
      await guards.close();
    } finally {
      delete process.env.FLAKERY_TEST_WORKER_ID;
    }
  });

  it('GIVEN a worker id source and a machine id THEN the settings are refused as contradictory', () => {
    assert.throws(
      () => snowflakeConfig({ workerIdFrom: setting('hostname-ordinal'), machineId: { value: '3', from: '--machine-id' } }),
      (e: unknown) => e instanceof InvalidOptionError && e.option === '--machine-id' && /cannot be combined/.test(e.message),
    );
    assert.throws(
      () => resolveServerConfig({ layout: setting('overt'), hidType: setting('host'), workerIdFrom: { value: 'env:X', from: '--worker-id-from' } }),
      (e: unknown) => e instanceof InvalidOptionError && e.option === '--worker-id-from' && /does not apply to the overt layout/.test(e.message),
    );
  });

  describe('with a Redis lease', () => {
    let redis: RedisServer;
    before(async () => {
      redis = await RedisServer.start();
    });
    after(async () => {
      await redis?.dispose();
    });

    it('GIVEN a lease Redis has no record of THEN the node waits one TTL before its first ID, whatever --max-start-wait', async () => {
      const config = snowflakeConfig({
        workerIdFrom: setting(redis.url),
        workerIdKeyPrefix: setting('guards-fresh:'),
        workerIdTtl: setting('300ms'),
        maxStartWait: setting('0'), // the TTL wait is no clock fault: it is not capped
      });
      const guards = await NodeGuards.open(config);
      try {
        assert.ok(guards.startWaitMs > 0 && guards.startWaitMs <= 300, `waits ${guards.startWaitMs} ms`);
        assert.match(guards.startWaitReason, /^for any earlier holder of worker id \d+ to stop \(Redis has no record/);
        assert.equal(guards.notBeforeUnixMs, guards.lease!.notBeforeUnixMs);
        assert.throws(() => guards.createGenerator(config.generator).next(), { code: 'ERR_WAITING_FOR_START' });
      } finally {
        await guards.close();
      }
    });

    it('GIVEN the lease is lost, held again and moved THEN each event is logged with the worker id, and metrics and health follow', async () => {
      const keyPrefix = 'guards-events:';
      const config = snowflakeConfig({ workerIdFrom: setting(redis.url), workerIdKeyPrefix: setting(keyPrefix), workerIdTtl: setting('300ms') });
      const guards = await NodeGuards.open(config);
      const lines: Record<string, any>[] = [];
      const events: WorkerIdEvent[] = [];
      let eventSeen: () => void = () => {};
      const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
      const metrics = new MetricsObserver();
      const recorder = { ...silentObserver, workerIdChanged: (event: WorkerIdEvent) => (events.push(event), eventSeen()) };
      const next = (kind: WorkerIdEvent['kind']) =>
        new Promise<void>((resolve) => {
          eventSeen = () => events.at(-1)?.kind === kind && resolve();
        });
      const service = new IdService({ generator: guards.createGenerator(config.generator) });
      guards.attach(service, config.generator, fanOutObserver(recorder, new LoggingObserver(logger), metrics));
      const first = guards.lease!.workerId;
      const client = new Redis(redis.url);
      try {
        assert.equal(guards.healthDetails().workerId, first);
        assert.match(metrics.render(), new RegExp(`^flakery_worker_id ${first}$`, 'm'));

        const regained = next('regained');
        await client.del(`${keyPrefix}${first}`); // the lease vanished; its tombstone is still there
        await regained;
        const changed = next('changed');
        await client.set(`${keyPrefix}${first}`, 'another-node {}', 'PX', 10_000); // another node took the id
        await changed;
        const second = guards.lease!.workerId;
        assert.notEqual(second, first);
        assert.deepEqual(guards.healthDetails().workerId, second);
        assert.match(metrics.render(), new RegExp(`^flakery_worker_id ${second}$`, 'm'));
        assert.match(metrics.render(), /^flakery_worker_id_events_total\{event="lost"\} 2$/m);
      } finally {
        client.disconnect();
        await guards.close();
      }
      assert.deepEqual(
        events.map(({ kind, workerId, previousWorkerId, state }) => ({ kind, workerId, previousWorkerId, state })),
        [
          { kind: 'acquired', workerId: first, previousWorkerId: undefined, state: 'held' },
          { kind: 'lost', workerId: first, previousWorkerId: undefined, state: 'lost' },
          { kind: 'regained', workerId: first, previousWorkerId: undefined, state: 'held' },
          { kind: 'lost', workerId: first, previousWorkerId: undefined, state: 'lost' },
          { kind: 'changed', workerId: guards.lease!.workerId, previousWorkerId: first, state: 'held' },
          { kind: 'released', workerId: guards.lease!.workerId, previousWorkerId: undefined, state: 'released' },
        ],
      );
      assert.deepEqual(
        lines.map((line) => [line.event, line.level, line.workerId]),
        events.map((event) => [
          `worker_id_${event.kind}`,
          { acquired: 'info', lost: 'error', regained: 'warn', changed: 'warn', released: 'info' }[event.kind],
          event.workerId,
        ]),
      );
      assert.match(lines[4]!.msg, new RegExp(`^worker id changed from ${first} to ${events[4]!.workerId}`));
      assert.match(lines[1]!.msg, new RegExp(`^worker id ${first} lost`));
    });

    it('GIVEN the lease moves to another worker id THEN the service switches generators and IDs keep increasing', async () => {
      const config = snowflakeConfig({ workerIdFrom: setting(redis.url), workerIdKeyPrefix: setting('guards-test:'), workerIdTtl: setting('300ms') });
      const guards = await NodeGuards.open(config);
      await sleep(guards.startWaitMs + 1); // as the server does before it listens
      assert.deepEqual(guards.health(), { ok: true });
      const service = new IdService({ generator: guards.createGenerator(config.generator) });
      guards.attach(service, config.generator);
      const firstId = decode(service.generator.next(), { layout: 'snowflake' }).workerId;
      assert.equal(firstId, guards.lease!.workerId);

      const previous = service.generator.next();
      const otherId = (firstId + 1) % 1024;
      guards.lease!.emit('changed', { previousWorkerId: firstId, workerId: otherId, gate: { admit() {} }, notBeforeUnixMs: 0 });
      // The new generator starts in the next millisecond at the earliest; the service waits for it.
      let next = 0n;
      await service.issue(1, (bytes) => {
        next = new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0);
      });
      assert.equal(decode(next, { layout: 'snowflake' }).workerId, otherId);
      assert.ok(next > previous);
      await guards.close();
    });
  });
});
