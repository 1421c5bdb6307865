import assert from 'node:assert/strict';
import { type Socket, connect } from 'node:net';
import { describe, it } from 'node:test';
import { turnsUntil } from '../rawClient.js';
import { get, startHttpServer } from './httpTestServer.js';

const MiB = 1024 * 1024;

/** Opens a connection, writes `text` and never reads an answer. */
function abuse(port: number, text: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.pause(); // reads nothing: answers pile up in the kernel, then in the server
      socket.write(text);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/**
 * Clients that pipeline requests and never read the answers (issue #9, item 4): node:http used
 * to start every request of a read at once, so each such connection made the server build
 * hundreds of answers (GBs for 50 connections). Now a connection's requests are served one at a
 * time, the next once the answer before it is written and the socket has drained: a client that
 * does not read holds about one answer.
 */
describe('HttpIdServer: pipelined requests never read', () => {
  it('GIVEN 10 connections pipelining 1,500 GET /v1/ids?count=1024 each, reading nothing THEN each holds about one answer, memory stays bounded, and /healthz is answered', async () => {
    const ctx = await startHttpServer();
    const abusers: Socket[] = [];
    try {
      const rssBefore = process.memoryUsage().rss;
      const requests = 'GET /v1/ids?count=1024 HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(1500);
      for (let i = 0; i < 10; i++) abusers.push(await abuse(ctx.port, requests));
      const health = await get(`${ctx.base}/healthz`);
      assert.equal(health.status, 200);

      // Every abuser is stalled on a client that does not read (or, before the fix, has MBs of answers queued).
      const stalled = (): boolean => {
        const states = ctx.server.connectionStates().filter((state) => state.servedBy === 'node:http');
        return states.length === 10 && states.every((state) => state.waitingForDrain || state.bufferedBytes > 4 * MiB);
      };
      await turnsUntil(stalled, 1_000_000);
      for (const state of ctx.server.connectionStates()) {
        // One answer (about 20 KB) and the socket's high-water mark: far below 1 MiB.
        assert.ok(state.bufferedBytes < MiB, `${state.bufferedBytes} bytes of answers buffered for one connection`);
        assert.ok(state.waitingRequests > 0, 'the rest of the requests wait, unanswered');
      }
      const growth = process.memoryUsage().rss - rssBefore;
      assert.ok(growth < 200 * MiB, `RSS grew by ${Math.round(growth / MiB)} MiB`);
      // A fresh client is still served while the abusers stay connected.
      assert.equal((await get(`${ctx.base}/v1/ids?count=2`)).json().ids.length, 2);
    } finally {
      for (const socket of abusers) socket.destroy();
      await ctx.stop();
    }
  });

  it('GIVEN a connection that keeps pipelining small GET /v1/ids?count=1, reading nothing THEN the server stops reading it: the requests waiting stay bounded, /healthz is answered', async () => {
    const ctx = await startHttpServer();
    const requests = Buffer.from('GET /v1/ids?count=1 HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(1000));
    // About three reads' worth of parsed requests; before the fix, every request the client sent waited.
    const bound = 5_000;
    let stalled = false;
    let abuser: Socket | undefined;
    try {
      abuser = await abuse(ctx.port, '');
      const socket = abuser;
      // Small answers never fill the socket's high-water mark, so node:http never paused on its own.
      const pump = (): void => {
        while (!socket.destroyed && socket.write(requests));
        stalled = true;
      };
      socket.on('drain', () => {
        stalled = false;
        pump();
      });
      pump();
      const waiting = (): number => ctx.server.connectionStates().reduce((n, state) => n + state.waitingRequests, 0);
      const readingPaused = (): boolean => ctx.server.connectionStates().every((state) => state.readingPaused);
      // Either requests pile up, or the server stops reading and the client's writes stall.
      await turnsUntil(() => waiting() > bound || (stalled && readingPaused()), 10_000_000);
      assert.ok(waiting() <= bound, `${waiting()} pipelined requests parsed and waiting on one connection that reads nothing`);
      assert.equal((await get(`${ctx.base}/healthz`)).status, 200);
    } finally {
      abuser?.destroy();
      await ctx.stop();
    }
  });
});
