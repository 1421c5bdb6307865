import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { RawClient, assertBytesIncreasing, assertStrictlyIncreasing, countFrame, idsOf, turnsUntil } from './rawClient.js';
import { startServer } from './startServer.js';

describe('TcpIdServer: limits and shutdown', () => {
  it('GIVEN a reader that does not read a large answer THEN the server holds at most a bounded number of bytes', async () => {
    const { server, port, observer, stop } = await startServer();
    try {
      const client = await RawClient.connect(port);
      client.socket.pause();
      client.write(countFrame(1_000_000));
      await turnsUntil(() => server.connectionStates()[0]?.waitingForDrain === true);
      const state = server.connectionStates()[0]!;
      // One chunk (1024 IDs = 16 KiB) past the socket's 16 KiB high-water mark at most.
      assert.ok(state.bufferedBytes <= 64 * 1024, `server buffers ${state.bufferedBytes} bytes`);
      assert.ok(observer.issued < 1_000_000, 'the server must stop making IDs while nobody reads');
      const issuedWhileStalled = observer.issued;
      for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
      assert.equal(observer.issued, issuedWhileStalled);

      client.socket.resume();
      assertBytesIncreasing(await client.read(1_000_000 * 16), 16);
      client.destroy();
    } finally {
      await stop();
    }
  });

  it('GIVEN a huge answer streaming on one connection THEN single-ID requests on another are answered meanwhile', async () => {
    const { port, stop } = await startServer({ maxCount: 2_000_000 });
    try {
      const big = await RawClient.connect(port);
      const small = await RawClient.connect(port);
      big.write(countFrame(2_000_000));
      await turnsUntil(() => big.received > 0);
      const receivedByBigAtEachAnswer: number[] = [];
      for (let i = 0; i < 10; i++) {
        small.write(countFrame(1));
        await small.read(16);
        receivedByBigAtEachAnswer.push(big.received);
      }
      // All ten round trips finished while the big answer was still arriving.
      assert.ok(receivedByBigAtEachAnswer.at(-1)! < 2_000_000 * 16, 'the small requests waited for the big answer');
      assertBytesIncreasing(await big.read(2_000_000 * 16), 16);
      big.destroy();
      small.destroy();
    } finally {
      await stop();
    }
  });

  it('GIVEN a connection idle for longer than idleTimeoutMs THEN closes it', async () => {
    const { port, stop } = await startServer({ idleTimeoutMs: 50 });
    try {
      const client = await RawClient.connect(port);
      client.write(countFrame(1));
      await client.read(16);
      assert.equal((await client.readUntilClose()).length, 0);
    } finally {
      await stop();
    }
  });

  it('GIVEN maxConnections open THEN closes further connections at once, and accepts again when one closes', async () => {
    const { server, port, observer, stop } = await startServer({ maxConnections: 2 });
    try {
      const a = await RawClient.connect(port);
      const b = await RawClient.connect(port);
      await observer.until(() => server.connectionCount === 2);
      const c = await RawClient.connect(port);
      c.write(countFrame(1));
      assert.equal((await c.readUntilClose()).length, 0);

      a.destroy();
      await observer.until(() => server.connectionCount === 1);
      const d = await RawClient.connect(port);
      d.write(countFrame(1));
      assert.equal((await d.read(16)).length, 16);
      b.write(countFrame(1));
      assert.equal((await b.read(16)).length, 16);
      b.destroy();
      d.destroy();
    } finally {
      await stop();
    }
  });

  it('GIVEN close() while a request streams THEN refuses new connections, finishes the answer, then closes', async () => {
    const { server, port, stop } = await startServer();
    try {
      const client = await RawClient.connect(port);
      const idle = await RawClient.connect(port);
      client.socket.pause();
      client.write(countFrame(1_000_000));
      await turnsUntil(() => server.connectionStates().some((state) => state.waitingForDrain));

      let closed = false;
      const closing = server.close().then(() => (closed = true));
      await idle.closed; // an idle connection closes at once
      await assert.rejects(
        new Promise((resolve, reject) => connect({ host: '127.0.0.1', port }).once('connect', resolve).once('error', reject)),
        { code: 'ECONNREFUSED' },
      );
      assert.equal(closed, false);

      client.socket.resume();
      const bytes = await client.readUntilClose();
      assert.equal(bytes.length, 1_000_000 * 16);
      assertBytesIncreasing(bytes, 16);
      await closing;
    } finally {
      await stop();
    }
  });
});

describe('TcpIdServer: closing after answers', () => {
  it('GIVEN answered requests, then a refused frame and more unread input THEN the answers still all arrive before the close', async () => {
    const { port, observer, stop } = await startServer({ maxCount: 1000 });
    try {
      const socket = connect({ host: '127.0.0.1', port });
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.pause(); // read nothing until the server has refused the frame
      const received: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => received.push(chunk));
      socket.on('error', () => {});
      const closed = new Promise((resolve) => socket.once('close', resolve));
      // 135 IDs, then a count above the maximum, then input the server will never read.
      socket.write(Buffer.from([...countFrame(135), ...countFrame(5000), ...new Uint8Array(256 * 1024).fill(7)]));
      await turnsUntil(() => observer.requests.some((request) => request.outcome === 'too_large'));
      socket.resume();
      await closed;
      const bytes = Buffer.concat(received);
      assert.equal(bytes.length, 135 * 16, 'every byte of the answer before the refused frame');
      assertStrictlyIncreasing(idsOf(bytes, 16));
    } finally {
      await stop();
    }
  });
});
