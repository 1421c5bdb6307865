import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createGenerator } from '../../../src/createGenerator.js';
import { HttpIdServer, type HttpIdServerOptions } from '../../../src/server/http/HttpIdServer.js';
import { assertStrictlyIncreasing, turnsUntil } from '../rawClient.js';
import { RecordingObserver } from '../recordingObserver.js';
import { type HttpTestServer, servedBy, startHttpServer } from './httpTestServer.js';
import { type RawResponse, RawHttpConnection, header, idsOfBody, requestText } from './rawHttp.js';

/**
 * The quick path in front of node:http (QuickIdsFront, FrontConnection), over raw sockets: what
 * it answers is what node:http answers, requests it does not take are served by node:http on
 * the same connection, in order, and connections are counted, limited and closed as before.
 * `connectionStates()` says which side served a connection and how many answers were quick.
 */
async function withServer(options: Partial<HttpIdServerOptions>, test: (ctx: HttpTestServer) => Promise<void>): Promise<void> {
  const ctx = await startHttpServer(options);
  try {
    await test(ctx);
  } finally {
    await ctx.stop();
  }
}

const IMF_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$/;

/** Status line and headers equal but for Date's value and Content-Length (which must match each body). */
function assertSameAnswer(quick: RawResponse, general: RawResponse): void {
  assert.equal(quick.statusLine, general.statusLine);
  assert.deepEqual(
    quick.headers.map(([name]) => name),
    general.headers.map(([name]) => name),
  );
  const comparable = (response: RawResponse) => response.headers.filter(([name]) => name !== 'Date' && name !== 'Content-Length');
  assert.deepEqual(comparable(quick), comparable(general));
  for (const response of [quick, general]) {
    assert.match(header(response, 'date') ?? '', IMF_DATE);
    assert.equal(Number(header(response, 'content-length')), Buffer.byteLength(response.body));
  }
}

const quick = (count = 1, headers: string[] = []): string => requestText(count === 1 ? '/v1/ids' : `/v1/ids?count=${count}`, headers);

describe('quick path: the same answers as node:http', () => {
  for (const [name, headers, body] of [
    ['JSON', [], /^\{"ids":\["\d+","\d+","\d+"\]\}\n$/],
    ['text/plain', ['Accept: text/plain'], /^\d+\n\d+\n\d+\n$/],
  ] as const) {
    it(`GIVEN ${name} THEN byte for byte node:http's answer but for Date`, () =>
      withServer({}, async (ctx) => {
        const first = await RawHttpConnection.connect(ctx.port);
        await first.write(quick(3, [...headers]));
        const [fromQuick] = await first.responses(1);
        assert.deepEqual(servedBy(ctx.server), [{ servedBy: 'quick', quickAnswers: 1 }]);
        // The same request after a /healthz on one connection is node:http's to answer.
        const second = await RawHttpConnection.connect(ctx.port);
        await second.write(requestText('/healthz') + quick(3, [...headers]));
        const [health, fromNode] = await second.responses(2);
        assert.equal(health!.status, 200);
        assert.deepEqual(servedBy(ctx.server)[1], { servedBy: 'node:http', quickAnswers: 0 });
        assertSameAnswer(fromQuick!, fromNode!);
        assert.match(fromQuick!.body, body);
        assert.match(fromNode!.body, body);
        assert.deepEqual(
          fromQuick!.headers.filter(([name]) => name !== 'Date' && name !== 'Content-Length'),
          [
            ['Cache-Control', 'no-store'],
            ['Content-Type', name === 'JSON' ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8'],
            ['Connection', 'keep-alive'],
            ['Keep-Alive', 'timeout=65'],
          ],
        );
        first.destroy();
        second.destroy();
      }));
  }
});

describe('quick path: pipelining and hand-off to node:http', () => {
  it('GIVEN several quick requests in one write THEN answers in order, increasing, all quick', () =>
    withServer({}, async (ctx) => {
      const connection = await RawHttpConnection.connect(ctx.port);
      await connection.write(quick(1) + quick(2) + quick(1, ['Accept: text/plain']) + quick(5));
      const answers = await connection.responses(4);
      assert.deepEqual(answers.map((answer) => idsOfBody(answer.body).length), [1, 2, 1, 5]);
      assertStrictlyIncreasing(answers.flatMap((answer) => idsOfBody(answer.body)));
      assert.deepEqual(servedBy(ctx.server), [{ servedBy: 'quick', quickAnswers: 4 }]);
      connection.destroy();
    }));

  it('GIVEN a quick request with Proxy-Connection: close, then another, in one write THEN the first is answered and the connection closes, as node:http does', () =>
    withServer({}, async (ctx) => {
      const connection = await RawHttpConnection.connect(ctx.port);
      try {
        await connection.write(quick(2, ['Proxy-Connection: close']) + quick(3));
        await assert.rejects(connection.responses(2), /closed after 1 of 2 responses/);
      } finally {
        connection.destroy();
      }
    }));

  // [name, request, its status, whether the connection stays open after it]
  const others: [string, string, number, boolean][] = [
    ['/healthz', requestText('/healthz'), 200, true],
    ['a 404', requestText('/nope'), 404, true],
    ['a POST', requestText('/v1/ids', ['Content-Length: 0'], 'POST /v1/ids HTTP/1.1'), 405, true],
    ['a format', requestText('/v1/ids?count=2&format=hex'), 200, true],
    ['a chunked body', `${requestText('/healthz', ['Transfer-Encoding: chunked']).slice(0, -2)}\r\n3\r\nabc\r\n0\r\n\r\n`, 200, true],
    ['Connection: close', quick(2, ['Connection: close']), 200, false],
    ['HTTP/1.0', requestText('/v1/ids', [], 'GET /v1/ids HTTP/1.0'), 200, false],
    ['no Host', 'GET /v1/ids HTTP/1.1\r\nAccept: */*\r\n\r\n', 400, false],
  ];
  for (const [name, request, status, keepsOpen] of others) {
    it(`GIVEN quick, then ${name}, then quick, in one write THEN each answered in order by its path`, () =>
      withServer({}, async (ctx) => {
        const connection = await RawHttpConnection.connect(ctx.port);
        // Bytes after a request that closes the connection are a parse error to node:http.
        await connection.write(quick(2) + request + (keepsOpen ? quick(3) : ''));
        const answers = await connection.responses(keepsOpen ? 3 : 2);
        assert.deepEqual(
          answers.map((answer) => answer.status),
          [200, status, 200].slice(0, answers.length),
        );
        assert.equal(idsOfBody(answers[0]!.body).length, 2);
        if (keepsOpen) assert.equal(idsOfBody(answers[2]!.body).length, 3);
        const ids = answers.filter((answer) => header(answer, 'content-type') === 'application/json; charset=utf-8' && answer.body.startsWith('{"ids"'));
        if (name !== 'a format') assertStrictlyIncreasing(ids.flatMap((answer) => idsOfBody(answer.body)));
        if (keepsOpen) {
          assert.deepEqual(servedBy(ctx.server), [{ servedBy: 'node:http', quickAnswers: 1 }]);
          connection.destroy();
        } else {
          assert.equal(await connection.untilClosed(), '');
        }
      }));
  }

  it('GIVEN a hand-off THEN later quick requests on the connection are node:http\'s, with increasing IDs', () =>
    withServer({}, async (ctx) => {
      const connection = await RawHttpConnection.connect(ctx.port);
      await connection.write(quick(1));
      const [first] = await connection.responses(1);
      await connection.write(requestText('/healthz'));
      await connection.responses(1);
      await connection.write(quick(1));
      const [second] = await connection.responses(1);
      assert.ok(idsOfBody(second!.body)[0]! > idsOfBody(first!.body)[0]!);
      assert.deepEqual(servedBy(ctx.server), [{ servedBy: 'node:http', quickAnswers: 1 }]);
      connection.destroy();
    }));

  it('GIVEN a head split across two writes, after a quick answer THEN node:http reads the pushed-back part and answers', () =>
    withServer({}, async (ctx) => {
      const connection = await RawHttpConnection.connect(ctx.port);
      await connection.write(quick(1));
      await connection.responses(1);
      const request = quick(4, ['Accept: text/plain']);
      await connection.write(request.slice(0, 17));
      // A partial head is handed off at once: then the rest surely arrives in a later read.
      await turnsUntil(() => ctx.server.connectionStates()[0]?.servedBy === 'node:http');
      await connection.write(request.slice(17));
      const [answer] = await connection.responses(1);
      assert.equal(answer!.status, 200);
      assert.equal(idsOfBody(answer!.body).length, 4);
      assert.deepEqual(servedBy(ctx.server), [{ servedBy: 'node:http', quickAnswers: 1 }]);
      connection.destroy();
    }));

  it('GIVEN a client that pipelines big answers without reading THEN the rest goes to node:http, all answered in order', () =>
    withServer({}, async (ctx) => {
      const connection = await RawHttpConnection.connect(ctx.port);
      await connection.write(quick(1024).repeat(40)); // answers of ~42 KB each
      const answers = await connection.responses(40);
      assert.ok(answers.every((answer) => answer.status === 200 && idsOfBody(answer.body).length === 1024));
      assertStrictlyIncreasing(answers.flatMap((answer) => idsOfBody(answer.body)));
      const [state] = ctx.server.connectionStates();
      assert.equal(state?.servedBy, 'node:http');
      assert.ok(state.quickAnswers >= 1 && state.quickAnswers < 40, `${state.quickAnswers} quick answers`);
      connection.destroy();
    }));

  it('GIVEN a client that half-closes after its requests THEN it gets the answers, then the end', () =>
    withServer({}, async (ctx) => {
      const connection = await RawHttpConnection.connect(ctx.port);
      connection.socket.end(quick(1) + quick(2));
      const answers = await connection.responses(2);
      assert.deepEqual(answers.map((answer) => idsOfBody(answer.body).length), [1, 2]);
      assert.equal(await connection.untilClosed(), '');
    }));
});

describe('quick path: auth', () => {
  const TOKEN = 'front-token-9';
  for (const [name, headers] of [
    ['no token', []],
    ['a wrong token', [`Authorization: Bearer ${TOKEN}x`]],
    ['another scheme', [`Authorization: Basic ${TOKEN}`]],
  ] as const) {
    it(`GIVEN ${name} THEN 401 from node:http, and no ID spent`, () =>
      withServer({ authToken: TOKEN }, async (ctx) => {
        const connection = await RawHttpConnection.connect(ctx.port);
        await connection.write(quick(1, [...headers]));
        const [answer] = await connection.responses(1);
        assert.equal(answer!.status, 401);
        assert.equal(JSON.parse(answer!.body).error.code, 'ERR_AUTH_FAILED');
        assert.equal(header(answer!, 'www-authenticate'), 'Bearer realm="flakery"');
        assert.deepEqual(servedBy(ctx.server), [{ servedBy: 'node:http', quickAnswers: 0 }]);
        assert.equal(ctx.metrics.snapshot().idsIssued, 0);
        connection.destroy();
      }));
  }

  it('GIVEN the right token (any case of Bearer) THEN the quick path answers 200', () =>
    withServer({ authToken: TOKEN }, async (ctx) => {
      const connection = await RawHttpConnection.connect(ctx.port);
      await connection.write(quick(2, [`Authorization: Bearer ${TOKEN}`]) + quick(1, [`authorization: bEaReR ${TOKEN}`]));
      const answers = await connection.responses(2);
      assert.deepEqual(answers.map((answer) => answer.status), [200, 200]);
      assert.deepEqual(servedBy(ctx.server), [{ servedBy: 'quick', quickAnswers: 2 }]);
      connection.destroy();
    }));
});

describe('quick path: connections', () => {
  it('GIVEN a connection handed off THEN it is counted opened and closed once, and quick answers are reported', async () => {
    const recorder = new RecordingObserver();
    await withServer({ observer: recorder }, async (server) => {
      const connection = await RawHttpConnection.connect(server.port);
      await connection.write(quick(3) + requestText('/healthz') + quick(1));
      await connection.responses(3);
      connection.destroy();
      await recorder.until(() => recorder.closed === 1 && recorder.requests.length === 3);
      assert.equal(recorder.opened, 1);
      assert.deepEqual(recorder.requests, [
        { listener: 'http', outcome: 'ok', ids: 3 },
        { listener: 'http', outcome: 'ok', ids: 0 },
        { listener: 'http', outcome: 'ok', ids: 1 },
      ]);
    });
  });

  it('GIVEN maxConnections 2 THEN a third connection is refused until one closes', () =>
    withServer({ maxConnections: 2 }, async (ctx) => {
      const [a, b] = [await RawHttpConnection.connect(ctx.port), await RawHttpConnection.connect(ctx.port)];
      await a.write(quick(1));
      await b.write(quick(1));
      await Promise.all([a.responses(1), b.responses(1)]);
      const refused = await RawHttpConnection.connect(ctx.port);
      assert.equal(await refused.untilClosed(), '');
      a.destroy();
      await turnsUntil(() => ctx.server.connectionStates().length === 1);
      const c = await RawHttpConnection.connect(ctx.port);
      await c.write(quick(1));
      assert.equal((await c.responses(1))[0]!.status, 200);
      b.destroy();
      c.destroy();
    }));

  it('GIVEN an idle connection on the quick path THEN it is closed after keepAliveTimeoutMs', () =>
    withServer({ keepAliveTimeoutMs: 50 }, async (ctx) => {
      const connection = await RawHttpConnection.connect(ctx.port);
      await connection.write(quick(1));
      const [answer] = await connection.responses(1);
      assert.equal(header(answer!, 'keep-alive'), 'timeout=0'); // as node:http rounds 50 ms
      assert.equal(await connection.untilClosed(), '');
    }));

  it('GIVEN idle quick connections, an idle handed-off one and one mid-head THEN close() ends them all and resolves', async () => {
    const ctx = await startHttpServer({});
    const idleQuick = [await RawHttpConnection.connect(ctx.port), await RawHttpConnection.connect(ctx.port)];
    for (const connection of idleQuick) {
      await connection.write(quick(1));
      await connection.responses(1);
    }
    const idleHandedOff = await RawHttpConnection.connect(ctx.port);
    await idleHandedOff.write(requestText('/healthz'));
    await idleHandedOff.responses(1);
    const midHead = await RawHttpConnection.connect(ctx.port);
    await midHead.write('GET /healthz HTTP/1.1\r\nHo');
    await turnsUntil(() => ctx.server.connectionStates().filter((state) => state.servedBy === 'node:http').length === 2);
    let ended = 0;
    for (const connection of idleQuick) connection.socket.once('end', () => ended++);
    await ctx.server.close({ timeoutMs: 200 });
    await Promise.all([...idleQuick, idleHandedOff, midHead].map((connection) => connection.closed));
    assert.equal(ended, 2, 'the quick connections were ended with a FIN, not reset');
    assert.deepEqual(servedBy(ctx.server), []);
    await assert.rejects(RawHttpConnection.connect(ctx.port), { code: 'ECONNREFUSED' });
  });

  it('GIVEN a server that never listened THEN close() resolves', async () => {
    const server = new HttpIdServer({ service: createGenerator({ layout: 'snowflake', machineId: 3 }) });
    await server.close();
    assert.equal(server.address(), undefined);
  });
});
