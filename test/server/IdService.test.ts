import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ClockError, ManualClock, bytesToBigInt, createGenerator, epochs } from '../../src/index.js';
import { IdService } from '../../src/server/IdService.js';
import { RecordingObserver } from './recordingObserver.js';

const T0 = epochs.twitter + 5_000_000;

function snowflakeService(clock: ManualClock, extra: { maxClockWaitMs?: number; chunkIds?: number; waitFor?: number } = {}) {
  const observer = new RecordingObserver();
  const generator = createGenerator({ layout: 'snowflake', machineId: 1, clock, ...(extra.waitFor ? { waitFor: extra.waitFor } : {}) });
  const service = new IdService({ generator, observer, maxClockWaitMs: extra.maxClockWaitMs, chunkIds: extra.chunkIds });
  return { service, observer, generator };
}

function ids(chunks: Uint8Array[], size = 8): bigint[] {
  const out: bigint[] = [];
  for (const chunk of chunks) for (let at = 0; at < chunk.length; at += size) out.push(bytesToBigInt(chunk, at, size));
  return out;
}

function assertIncreasing(values: bigint[]): void {
  for (let i = 1; i < values.length; i++) assert.ok(values[i]! > values[i - 1]!, `ID ${i} is not above ID ${i - 1}`);
}

/** Turns the event loop until `condition` holds (bounded, so a bug fails instead of hanging). */
async function turnsUntil(condition: () => boolean, maxTurns = 10_000): Promise<void> {
  for (let turn = 0; !condition(); turn++) {
    assert.ok(turn < maxTurns, 'condition never held');
    await nextTurn();
  }
}

describe('IdService', () => {
  it('GIVEN a count over several chunks THEN delivers exactly that many increasing IDs in chunks', async () => {
    const { service, observer } = snowflakeService(new ManualClock(T0, { autoAdvanceMs: 1 }), { chunkIds: 100 });
    const chunks: Uint8Array[] = [];
    const delivered = await service.issue(1050, (bytes, count) => {
      assert.equal(bytes.length, count * 8);
      assert.ok(count <= 100);
      chunks.push(bytes);
    });
    assert.equal(delivered, 1050);
    const all = ids(chunks);
    assert.equal(all.length, 1050);
    assertIncreasing(all);
    assert.equal(observer.issued, 1050);
  });

  it('GIVEN a large request THEN other work runs between its chunks', async () => {
    const { service } = snowflakeService(new ManualClock(T0, { autoAdvanceMs: 1 }), { chunkIds: 10 });
    let chunksWhenOtherWorkRan = -1;
    let chunks = 0;
    setImmediate(() => {
      chunksWhenOtherWorkRan = chunks;
    });
    await service.issue(200, () => {
      chunks++;
    });
    assert.equal(chunks, 20);
    assert.ok(chunksWhenOtherWorkRan > 0 && chunksWhenOtherWorkRan < 20, `other work ran after chunk ${chunksWhenOtherWorkRan}`);
  });

  it('GIVEN the millisecond is spent THEN waits for the next one without blocking, never repeating', async () => {
    const clock = new ManualClock(T0);
    const { service, observer } = snowflakeService(clock);
    const chunks: Uint8Array[] = [];
    let delivered = 0;
    let done = false;
    const request = service.issue(5000, (bytes, count) => {
      chunks.push(bytes);
      delivered += count;
    });
    void request.then(() => (done = true));
    await turnsUntil(() => delivered === 4096);
    for (let i = 0; i < 20; i++) await nextTurn(); // the event loop keeps turning: nothing blocks
    assert.equal(done, false);
    assert.equal(delivered, 4096);
    clock.advance(1);
    assert.equal(await request, 5000);
    const all = ids(chunks);
    assertIncreasing(all);
    assert.equal(new Set(all).size, 5000);
    assert.ok(observer.exhausted >= 1);
  });

  it('GIVEN a clock a few ms behind THEN waits it out; further behind THEN fails with ClockError', async () => {
    const clock = new ManualClock(T0);
    const { service, observer } = snowflakeService(clock, { maxClockWaitMs: 5 });
    const first = ids([await collect(service, 1)])[0]!;

    clock.set(T0 - 3);
    let done = false;
    const waiting = collect(service, 1).then((bytes) => ((done = true), bytes));
    for (let i = 0; i < 5; i++) await nextTurn();
    assert.equal(done, false);
    clock.set(T0 + 1);
    assert.ok(ids([await waiting])[0]! > first);

    clock.set(T0 - 100);
    await assert.rejects(collect(service, 1), (error: unknown) => {
      assert.ok(error instanceof ClockError);
      assert.equal(error.code, 'ERR_CLOCK_BACKWARDS');
      assert.equal(error.remainingMs, 101); // the last ID was at T0 + 1
      return true;
    });
    assert.ok(observer.behind.includes(101));
  });

  it('GIVEN a sink that returns a promise THEN makes nothing more until it settles', async () => {
    const { service } = snowflakeService(new ManualClock(T0, { autoAdvanceMs: 1 }), { chunkIds: 10 });
    let calls = 0;
    let release: () => void = () => {};
    const request = service.issue(30, () => {
      calls++;
      return new Promise<void>((resolve) => (release = resolve));
    });
    await turnsUntil(() => calls === 1);
    for (let i = 0; i < 20; i++) await nextTurn();
    assert.equal(calls, 1);
    release();
    await turnsUntil(() => calls === 2);
    release();
    await turnsUntil(() => calls === 3);
    release();
    assert.equal(await request, 30);
  });

  it('GIVEN a sink that returns false THEN stops and reports how many were delivered', async () => {
    const { service } = snowflakeService(new ManualClock(T0, { autoAdvanceMs: 1 }), { chunkIds: 10 });
    assert.equal(await service.issue(100, () => false), 10);
  });

  it('reports health: ok, clock behind, waiting for start', () => {
    const clock = new ManualClock(T0);
    const { service, generator } = snowflakeService(clock);
    assert.deepEqual(service.health(), { ok: true });
    generator.next();
    clock.set(T0 - 1000);
    const behind = service.health();
    assert.equal(behind.ok, false);
    assert.ok(!behind.ok && behind.code === 'ERR_CLOCK_BACKWARDS' && behind.retryAfterMs === 1000);

    const waiting = snowflakeService(new ManualClock(T0), { waitFor: T0 + 60_000 }).service.health();
    assert.ok(!waiting.ok && waiting.code === 'ERR_WAITING_FOR_START' && waiting.retryAfterMs === 60_000);
  });

  it('rejects bad options, naming them', () => {
    const generator = createGenerator({ layout: 'snowflake', machineId: 1 });
    assert.throws(() => new IdService({ generator, maxClockWaitMs: -1 }), /maxClockWaitMs/);
    assert.throws(() => new IdService({ generator, chunkIds: 0 }), /chunkIds/);
    assert.throws(() => new IdService({ generator: {} as never }), /generator/);
  });
});

async function collect(service: IdService, count: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  await service.issue(count, (bytes) => {
    chunks.push(bytes);
  });
  return Buffer.concat(chunks);
}
