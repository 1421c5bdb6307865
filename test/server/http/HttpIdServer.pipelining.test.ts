import assert from 'node:assert/strict';
import { type Socket, connect } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { describe, it } from 'node:test';
import { MAX_WAITING_REQUESTS } from '../../../src/server/http/OneRequestAtATime.js';
import { loadServerTls } from '../../../src/net/loadServerTls.js';
import { makeSelfSignedCert } from '../../support/selfSignedCert.js';
import { turnsUntil } from '../rawClient.js';
import { RecordingObserver } from '../recordingObserver.js';
import { type HttpTestServer, get, startHttpServer } from './httpTestServer.js';
import { RawHttpConnection, idsOfBody, requestText } from './rawHttp.js';

const MiB = 1024 * 1024;
const ABUSERS = 50;
/** 2,400 small pipelined requests (about 106 KB): more than one 64 KB read of them. */
const FLOOD = requestText('/v1/ids?count=1024').repeat(2400);

/** Connects (over TLS when `ca` is given), writes `text` and never reads (so it never sees a reset either). */
function abuse(port: number, text: string, ca?: Buffer): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const ready = (): void => {
      socket.pause(); // reads nothing: the answers pile up in the kernel, then in the server
      socket.off('error', reject).on('error', () => {}); // a reset from the server is the expected end
      socket.write(text);
      resolve(socket);
    };
    const socket: Socket = ca === undefined ? connect({ host: '127.0.0.1', port }, ready) : connectTls({ host: '127.0.0.1', port, ca, servername: 'localhost' }, ready);
    socket.once('error', reject);
  });
}

/**
 * Waits until every abuser is closed by the server or stalled on it (its next request waits for
 * the client to read); then each connection still open must hold at most the cap.
 */
async function settle(ctx: HttpTestServer, recorder: RecordingObserver, abusers: number): Promise<void> {
  const stalled = (): number => ctx.server.connectionStates().filter((state) => state.servedBy === 'node:http' && state.waitingForDrain).length;
  await turnsUntil(() => recorder.closed + stalled() >= abusers, 10_000_000);
  for (const state of ctx.server.connectionStates()) {
    assert.ok(state.waitingRequests <= MAX_WAITING_REQUESTS, `${state.waitingRequests} requests wait on one connection; the cap is ${MAX_WAITING_REQUESTS}`);
  }
}

/**
 * Clients that pipeline requests and never read the answers (issue #9, item 4). A connection's
 * requests are served one at a time and reading pauses while they wait, but node:http parses a
 * whole read (up to 64 KB, ~1,500 small requests) before the pause takes effect, so such a
 * client still cost ~4.4 MiB. The requests waiting on a connection are capped: one past the cap
 * closes the connection, which releases all of them. Over TLS a pause used to cut the
 * connection of a client that pipelined more than one TLS record (HPE_PAUSED).
 */
describe('HttpIdServer: pipelined requests never read', () => {
  it(`GIVEN ${ABUSERS} connections each pipelining 2,400 GET /v1/ids?count=1024, reading nothing THEN each is closed or holds at most the cap, RSS stays bounded, /healthz is answered`, async () => {
    const recorder = new RecordingObserver();
    const ctx = await startHttpServer({ observer: recorder });
    const abusers: Socket[] = [];
    try {
      const rssBefore = process.memoryUsage().rss;
      for (let i = 0; i < ABUSERS; i++) abusers.push(await abuse(ctx.port, FLOOD));
      await settle(ctx, recorder, ABUSERS);
      const growth = process.memoryUsage().rss - rssBefore;
      // Measured: ~250 MiB before the cap (2,299 requests waiting per connection), ~70 MiB with it
      // (the requests node:http parsed from each connection's last read, garbage once it is closed).
      assert.ok(growth < 150 * MiB, `RSS grew by ${Math.round(growth / MiB)} MiB for ${ABUSERS} connections`);
      const refused = recorder.requests.filter((request) => request.outcome === 'pipeline_full').length;
      assert.equal(refused, recorder.closed, 'each connection closed for the cap is counted as pipeline_full');
      assert.equal((await get(`${ctx.base}/healthz`)).status, 200);
    } finally {
      for (const socket of abusers) socket.destroy();
      await ctx.stop();
    }
  });

  it('GIVEN the same over TLS THEN each is closed or holds at most the cap, and /healthz is answered', async () => {
    const cert = await makeSelfSignedCert();
    const recorder = new RecordingObserver();
    const ctx = await startHttpServer({ tls: loadServerTls({ cert: cert.certFile, key: cert.keyFile }), observer: recorder });
    const abusers: Socket[] = [];
    try {
      for (let i = 0; i < 5; i++) abusers.push(await abuse(ctx.port, FLOOD, cert.cert));
      await settle(ctx, recorder, 5);
      assert.equal(recorder.requests.filter((request) => request.outcome === 'pipeline_full').length, recorder.closed);
      assert.equal((await get(`${ctx.base}/healthz`, { ca: cert.cert })).status, 200);
    } finally {
      for (const socket of abusers) socket.destroy();
      await ctx.stop();
      await cert.remove();
    }
  });

  it('GIVEN a connection that keeps pipelining small GET /v1/ids?count=1, reading nothing THEN the server stops reading it: the requests waiting stay bounded, /healthz is answered', async () => {
    const ctx = await startHttpServer();
    const requests = Buffer.from('GET /v1/ids?count=1 HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(1000));
    // Before the first fix, every request the client sent waited; now the connection is closed first.
    const bound = MAX_WAITING_REQUESTS;
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

  it('GIVEN a client that reads and pipelines fewer requests than the cap, past node:http THEN it gets every answer, in order, on one connection', async () => {
    const recorder = new RecordingObserver();
    const ctx = await startHttpServer({ observer: recorder });
    const connection = await RawHttpConnection.connect(ctx.port);
    try {
      // /healthz first: the quick path hands the connection, and the rest of the read, to node:http.
      await pipelineInOrder(connection, requestText('/healthz'), MAX_WAITING_REQUESTS - 1, []);
      assert.equal(ctx.server.connectionStates().length, 1, 'the connection stays open');
      assert.equal(recorder.requests.filter((request) => request.outcome !== 'ok').length, 0);
    } finally {
      connection.destroy();
      await ctx.stop();
    }
  });

  it('GIVEN a TLS client that reads and pipelines more than one TLS record of requests, past node:http THEN it gets every answer, in order', async () => {
    const cert = await makeSelfSignedCert();
    const ctx = await startHttpServer({ tls: loadServerTls({ cert: cert.certFile, key: cert.keyFile }) });
    const connection = await RawHttpConnection.connectTls(ctx.port, cert.cert);
    try {
      // A quick answer of 1,024 IDs fills the socket's buffer, so node:http pauses reading at once;
      // the padded requests after it span several TLS records (16 KB each).
      const padding = [`X-Pad: ${'a'.repeat(3000)}`];
      await pipelineInOrder(connection, requestText('/v1/ids?count=1024'), 20, padding);
      await pipelineInOrder(connection, requestText('/healthz'), 20, padding);
    } finally {
      connection.destroy();
      await ctx.stop();
      await cert.remove();
    }
  });
});

/** Writes `first` and `n` requests for 1…n IDs in one write; asserts every answer, in order. */
async function pipelineInOrder(connection: RawHttpConnection, first: string, n: number, headers: readonly string[]): Promise<void> {
  const counts = Array.from({ length: n }, (_, i) => i + 1);
  await connection.write(first + counts.map((count) => requestText(`/v1/ids?count=${count}`, headers)).join(''));
  const answers = await connection.responses(n + 1);
  assert.deepEqual(answers.map((answer) => answer.status), [200, ...counts.map(() => 200)]);
  assert.deepEqual(answers.slice(1).map((answer) => idsOfBody(answer.body).length), counts);
}
