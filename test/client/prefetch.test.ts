import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/clock/ManualClock.js';
import { createClient } from '../../src/client/createClient.js';
import { FlakeryError, createGenerator, decode } from '../../src/index.js';
import { HID } from '../server/startServer.js';
import { clientTestKit } from './clientTestKit.js';

const kit = clientTestKit();
const client = kit.client;
const idServer = (generator = createGenerator({ hardwareId: HID })) => kit.server({ service: generator });

const timeOf = (id: bigint) => Date.parse(decode(id).time);

function isClosed(error: unknown): boolean {
  return error instanceof FlakeryError && error.code === 'ERR_CLIENT_CLOSED';
}

/** nextSync() as a list: its one ID, or none when the buffer is empty. */
function syncOrNothing(c: ReturnType<typeof createClient>): bigint[] {
  try {
    return [c.nextSync()];
  } catch (error) {
    if (error instanceof FlakeryError && error.code === 'ERR_PREFETCH_EMPTY') return [];
    throw error;
  }
}

describe('IdClient with prefetch', () => {
  it('GIVEN held IDs grow older than maxAgeMs on the client clock THEN they are dropped, and next() waits for fresh ones', async () => {
    const clock = new ManualClock(Date.now());
    const server = await idServer(createGenerator({ hardwareId: HID, clock }));
    const c = client({ servers: [server.address], clock, maxClockSkewMs: 0, prefetch: { ids: 100, maxAgeMs: 50 } });
    const first = await c.next();
    assert.equal(timeOf(first), clock.now());
    clock.advance(50); // exactly maxAgeMs old: still handed out
    assert.equal(timeOf(c.nextSync()), clock.now() - 50);
    clock.advance(1); // now older: every held ID is dropped
    assert.throws(() => c.nextSync(), (error: FlakeryError) => error.code === 'ERR_PREFETCH_EMPTY');
    const fresh = await c.next();
    assert.equal(timeOf(fresh), clock.now());
    const batch = await c.nextBatch(300); // more than the buffer holds: several refills
    assert.equal(new Set(batch).size, 300);
    for (const id of batch) assert.ok(timeOf(id) >= clock.now() - 50);
  });

  it('GIVEN failover from a server whose clock is ahead to one behind THEN hand-out stays strictly increasing (the failover waits)', async () => {
    const aheadMs = 300;
    const ahead = await idServer(createGenerator({ hardwareId: HID, clock: new ManualClock(Date.now() + aheadMs, { autoAdvanceMs: 0 }) }));
    const behind = await idServer(createGenerator({ hardwareId: '0242ac110003' }));
    const c = client({ servers: [ahead.address, behind.address], prefetch: { ids: 20, maxAgeMs: 1_000 } });
    const handedOut: bigint[] = [await c.next()];
    const lastFromAhead = handedOut[0]!;
    // The test means something: the server behind answers IDs below what the first one gave.
    const probe = client({ servers: [behind.address] });
    assert.ok((await probe.next()) < lastFromAhead);
    await ahead.stop();
    while (decode(handedOut.at(-1)!).hardwareId !== '0242ac110003') handedOut.push(await c.next());
    for (let i = 1; i < handedOut.length; i++) assert.ok(handedOut[i]! > handedOut[i - 1]!, `ID ${i} not above the one before`);
  });

  // Before: the answers were accepted, every ID dropped as too old as it was handed out, and the
  // refill asked again at once, forever: next() never settled and the server was asked nonstop.
  it('GIVEN a server whose clock is further behind the client\'s than maxAgeMs THEN next() fails with ERR_IDS_TOO_OLD saying so, not hangs', { timeout: 10_000 }, async () => {
    const server = await idServer();
    let aheadMs = 500;
    const clientClock = { now: () => Date.now() + aheadMs };
    const c = client({ servers: [server.address], clock: clientClock, maxClockSkewMs: 5_000, prefetch: { ids: 100, maxAgeMs: 100 } });
    await assert.rejects(c.next(), (error: unknown) => {
      assert.ok(error instanceof FlakeryError && error.code === 'ERR_IDS_TOO_OLD', String(error));
      assert.match(error.message, /prefetch\.maxAgeMs \(100 ms\)/);
      assert.match(error.message, /about \d+ ms behind this client's/);
      return true;
    });
    aheadMs = 0;
    assert.ok((await c.next()) > 0n, 'once the clocks agree it serves again');
  });

  it('GIVEN many callers racing while refills happen THEN every ID is handed out once, each batch increasing', async () => {
    const server = await idServer();
    const c = client({ servers: [server.address], prefetch: { ids: 64, maxAgeMs: 1_000 } });
    const calls: Promise<bigint[]>[] = [];
    for (let i = 0; i < 300; i++) {
      if (i % 3 === 0) calls.push(c.next().then((id) => [id]));
      else if (i % 3 === 1) calls.push(c.nextBatch(1 + (i % 97)));
      else calls.push(Promise.resolve(syncOrNothing(c)));
    }
    const batches = await Promise.all(calls);
    const all = batches.flat();
    assert.equal(new Set(all).size, all.length);
    for (const batch of batches) for (let i = 1; i < batch.length; i++) assert.ok(batch[i]! > batch[i - 1]!);
  });

  it('GIVEN close() while callers wait THEN each rejects with ERR_CLIENT_CLOSED and nothing is handed out afterwards', async () => {
    const server = await idServer();
    const c = createClient({ servers: [server.address], prefetch: { ids: 64 } });
    const got = await c.nextBatch(10);
    const waiting = Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? c.nextBatch(100) : c.next()));
    await c.close();
    const outcomes = await Promise.allSettled(waiting);
    for (const outcome of outcomes) assert.ok(outcome.status === 'rejected' && isClosed(outcome.reason), String(outcome.status));
    assert.throws(() => c.nextSync(), isClosed);
    await assert.rejects(c.next(), isClosed);
    await assert.rejects(c.nextBytes(1), isClosed);
    assert.equal(got.length, 10);
  });

  it('GIVEN bad prefetch options THEN InvalidOptionError names the option and its range', () => {
    const servers = ['127.0.0.1:1'];
    const invalid = (option: string, pattern: RegExp) => (error: FlakeryError) =>
      error.code === 'ERR_INVALID_OPTION' && (error as { option?: string }).option === option && pattern.test(error.message);
    assert.throws(() => createClient({ servers, prefetch: { ids: 0 } }), invalid('prefetch.ids', /from 1 to 1048576/));
    assert.throws(() => createClient({ servers, prefetch: { maxAgeMs: 1.5 } }), invalid('prefetch.maxAgeMs', /from 1 to 60000/));
    assert.throws(() => createClient({ servers, prefetch: 4096 as never }), invalid('prefetch', /an object/));
    assert.throws(() => createClient({ servers, idSize: 8, prefetch: {} }), invalid('prefetch', /needs layout/));
  });

  it('GIVEN no prefetch THEN nextSync() throws ERR_PREFETCH_EMPTY saying how to enable it', () => {
    const c = createClient({ servers: ['127.0.0.1:1'] });
    assert.throws(() => c.nextSync(), (error: FlakeryError) => error.code === 'ERR_PREFETCH_EMPTY' && /prefetch: \{ ids, maxAgeMs \}/.test(error.message));
  });
});
