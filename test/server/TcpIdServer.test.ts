import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock, createGenerator, epochs } from '../../src/index.js';
import { HID, startServer } from './startServer.js';
import { RawClient, assertBytesIncreasing, assertStrictlyIncreasing, authFrame, countFrame, idsOf, turnsUntil } from './rawClient.js';

const TOKEN = 's3cret-token';

describe('TcpIdServer: authentication', () => {
  let ctx: Awaited<ReturnType<typeof startServer>>;
  before(async () => (ctx = await startServer({ authToken: TOKEN })));
  after(() => ctx.stop());

  it('GIVEN the right token THEN answers', async () => {
    const client = await RawClient.connect(ctx.port);
    client.write([...authFrame(TOKEN), ...countFrame(2)]);
    assertStrictlyIncreasing(idsOf(await client.read(32), 16));
    client.destroy();
  });

  for (const [name, bytes] of [
    ['a wrong token', [...authFrame('s3cret-tokem'), ...countFrame(1)]],
    ['a token of the wrong length', [...authFrame('s3cret'), ...countFrame(1)]],
    ['no auth header', countFrame(1)],
  ] as const) {
    it(`GIVEN ${name} THEN closes the connection without sending a byte`, async () => {
      const client = await RawClient.connect(ctx.port);
      client.write([...bytes]);
      assert.equal((await client.readUntilClose()).length, 0);
    });
  }

  it('GIVEN half an auth frame and silence THEN closes after the auth timeout, no byte sent', async () => {
    const { port, stop } = await startServer({ authToken: TOKEN, authTimeoutMs: 50 });
    try {
      const client = await RawClient.connect(port);
      client.write(authFrame(TOKEN).slice(0, 6));
      assert.equal((await client.readUntilClose()).length, 0);
    } finally {
      await stop();
    }
  });
});

describe('TcpIdServer: protocol errors close the connection', () => {
  let ctx: Awaited<ReturnType<typeof startServer>>;
  before(async () => (ctx = await startServer({ maxCount: 1000 })));
  after(() => ctx.stop());

  for (const [name, bytes, expectedBytes] of [
    ['a count of 0', countFrame(0), 0],
    ['a count above maxCount', countFrame(1001), 0],
    ['a second auth header', [...authFrame('x'), ...countFrame(1), ...authFrame('x')], 16],
    ['an auth header after a request', [...countFrame(1), ...authFrame('x')], 16],
  ] as const) {
    it(`GIVEN ${name} THEN closes, having answered only what came before`, async () => {
      const client = await RawClient.connect(ctx.port);
      client.write([...bytes]);
      assert.equal((await client.readUntilClose()).length, expectedBytes);
    });
  }

  it('GIVEN a truncated frame and the end of input THEN closes without answering it', async () => {
    const client = await RawClient.connect(ctx.port);
    client.write([0, 0]);
    client.socket.end();
    assert.equal((await client.readUntilClose()).length, 0);
  });

  it('GIVEN requests and the end of input THEN answers them all, then closes', async () => {
    const client = await RawClient.connect(ctx.port);
    client.write([...countFrame(3), ...countFrame(2)]);
    client.socket.end();
    const bytes = await client.readUntilClose();
    assert.equal(bytes.length, 5 * 16);
    assertStrictlyIncreasing(idsOf(bytes, 16));
  });

  it('reports each refusal to the observer', async () => {
    await ctx.observer.until(() => ctx.observer.requests.some((r) => r.outcome === 'too_large'));
    const outcomes = new Set(ctx.observer.requests.map((r) => r.outcome));
    for (const outcome of ['bad_request', 'too_large', 'ok']) assert.ok(outcomes.has(outcome as never), outcome);
  });
});

describe('TcpIdServer: answers', () => {
  let ctx: Awaited<ReturnType<typeof startServer>>;
  before(async () => (ctx = await startServer()));
  after(() => ctx.stop());

  it('GIVEN no token configured THEN accepts one auth header and ignores it', async () => {
    const client = await RawClient.connect(ctx.port);
    client.write([...authFrame('anything'), ...countFrame(1)]);
    assert.equal((await client.read(16)).length, 16);
    client.destroy();
  });

  // The original closes the connection above 65,535 IDs; these must be answered in full.
  for (const count of [65_536, 1_000_000]) {
    it(`GIVEN a request for ${count.toLocaleString('en')} IDs THEN answers all of them, increasing`, async () => {
      const client = await RawClient.connect(ctx.port);
      client.write(countFrame(count));
      const bytes = await client.read(count * 16);
      assertBytesIncreasing(bytes, 16);
      client.destroy();
    });
  }

  it('GIVEN pipelined requests in one write THEN answers them in order, increasing across requests', async () => {
    const client = await RawClient.connect(ctx.port);
    const counts = [3, 1, 2000, 7, 1];
    client.write(counts.flatMap(countFrame));
    const total = counts.reduce((a, b) => a + b, 0);
    const bytes = await client.read(total * 16);
    assertBytesIncreasing(bytes, 16);
    client.destroy();
  });

  it('GIVEN requests that arrive one byte at a time THEN answers them', async () => {
    const client = await RawClient.connect(ctx.port);
    for (const byte of [...countFrame(2), ...countFrame(1)]) {
      client.write([byte]);
      await new Promise((resolve) => setImmediate(resolve));
    }
    assertStrictlyIncreasing(idsOf(await client.read(48), 16));
    client.destroy();
  });
});

describe('TcpIdServer: uniqueness within one millisecond', () => {
  it('GIVEN two requests in the same millisecond (two connections and pipelined) THEN no ID repeats', async () => {
    // The original restarted the sequence at 0 for every request within a millisecond.
    const clock = new ManualClock(epochs.overtone + 1_000_000); // never moves
    const { port, stop } = await startServer({ service: createGenerator({ hardwareId: HID, clock }) });
    try {
      const a = await RawClient.connect(port);
      const b = await RawClient.connect(port);
      a.write([...countFrame(1), ...countFrame(1)]);
      const fromA = idsOf(await a.read(32), 16);
      b.write(countFrame(5));
      const fromB = idsOf(await b.read(80), 16);
      const all = [...fromA, ...fromB];
      assert.equal(new Set(all).size, all.length);
      assertStrictlyIncreasing(all);
      a.destroy();
      b.destroy();
    } finally {
      await stop();
    }
  });
});

describe('TcpIdServer: a clock that steps back', () => {
  it('GIVEN a small step back THEN the answer waits for the clock; a large one THEN closes the connection', async () => {
    const T = epochs.overtone + 5_000_000;
    const clock = new ManualClock(T);
    const { port, observer, stop } = await startServer({ service: createGenerator({ hardwareId: HID, clock }) });
    try {
      const client = await RawClient.connect(port);
      client.write(countFrame(1));
      const [first] = idsOf(await client.read(16), 16);

      clock.set(T - 3); // within the default 5 ms: waited out
      client.write(countFrame(1));
      await turnsUntil(() => observer.behind.length > 0);
      assert.equal(client.received, 16);
      clock.set(T + 1);
      const [second] = idsOf(await client.read(16), 16);
      assert.ok(second! > first!);

      clock.set(T - 1000); // far behind: refused
      client.write(countFrame(1));
      assert.equal((await client.readUntilClose()).length, 0);
      assert.ok(observer.requests.some((r) => r.outcome === 'clock_behind'));
    } finally {
      await stop();
    }
  });
});
