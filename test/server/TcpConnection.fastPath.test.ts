import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock, createGenerator } from '../../src/index.js';
import { RawClient, assertBytesIncreasing, countFrame, turnsUntil } from './rawClient.js';
import { startServer } from './startServer.js';

/**
 * The synchronous path of TcpConnection (small requests the generator can answer at once) and
 * its corking of pipelined answers: the same answers, order, limits and reports as the
 * streaming path.
 */
describe('TcpConnection: small requests answered at once', () => {
  it('GIVEN many pipelined single-ID requests in one write THEN answers each, increasing, and reports each request', async () => {
    const { port, observer, stop } = await startServer();
    try {
      const client = await RawClient.connect(port);
      client.write(Array.from({ length: 500 }, () => countFrame(1)).flat());
      assertBytesIncreasing(await client.read(500 * 16), 16);
      await observer.until(() => observer.requests.length === 500);
      assert.ok(observer.requests.every((r) => r.outcome === 'ok' && r.ids === 1 && r.listener === 'tcp'));
      assert.equal(observer.issued, 500);
      client.destroy();
    } finally {
      await stop();
    }
  });

  it('GIVEN pipelined small requests and a reader that does not read THEN the server stops making IDs with a bounded buffer', async () => {
    const { server, port, observer, stop } = await startServer();
    try {
      const client = await RawClient.connect(port);
      client.socket.pause();
      const requests = 2000; // 1000 IDs each: 32 MB of answers if nothing held the server back
      client.write(Array.from({ length: requests }, () => countFrame(1000)).flat());
      await turnsUntil(() => server.connectionStates()[0]?.waitingForDrain === true);
      const state = server.connectionStates()[0]!;
      assert.ok(state.bufferedBytes <= 64 * 1024, `server buffers ${state.bufferedBytes} bytes`);
      const issuedWhileStalled = observer.issued;
      assert.ok(issuedWhileStalled < requests * 1000);
      for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
      assert.equal(observer.issued, issuedWhileStalled);

      client.socket.resume();
      assertBytesIncreasing(await client.read(requests * 1000 * 16), 16);
      client.destroy();
    } finally {
      await stop();
    }
  });

  it('GIVEN a request larger than what the millisecond has left THEN sends that part at once and the rest in the next millisecond', async () => {
    const clock = new ManualClock(Date.UTC(2024, 0, 1));
    const generator = createGenerator({ layout: 'snowflake', machineId: 1, clock });
    const { server, port, observer, stop } = await startServer({ service: generator });
    try {
      const client = await RawClient.connect(port);
      client.write([...countFrame(1000), ...countFrame(1000), ...countFrame(1000), ...countFrame(1000)]);
      await client.read(4000 * 8);
      client.write(countFrame(200)); // 96 left in this millisecond (4,096 per ms)
      await turnsUntil(() => client.received >= 4096 * 8 && server.connectionStates()[0]?.serving === true);
      assert.equal(client.received, 4096 * 8, 'only what the millisecond had');
      clock.advance(1);
      assertBytesIncreasing(await client.read(200 * 8), 8);
      await observer.until(() => observer.requests.length === 5);
      assert.deepEqual(observer.requests.at(-1), { listener: 'tcp', outcome: 'ok', ids: 200 });
      client.destroy();
    } finally {
      await stop();
    }
  });
});
