import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decode } from '../../../src/id/decode.js';
import { START_MS, type HttpTestServer, get, rawRequest, startHttpServer } from './httpTestServer.js';

describe('HttpIdServer: routes and methods', () => {
  let ctx: HttpTestServer;
  before(async () => (ctx = await startHttpServer()));
  after(() => ctx.stop());

  for (const path of ['/', '/v1', '/v1/ids/', '/v1/ids/1/2', '/v2/ids', '/healthz/', '/favicon.ico']) {
    it(`GIVEN GET ${path} THEN 404 ERR_NOT_FOUND as JSON`, async () => {
      const reply = await get(`${ctx.base}${path}`);
      assert.equal(reply.status, 404);
      assert.equal(reply.json().error.code, 'ERR_NOT_FOUND');
    });
  }

  for (const [method, path, allow] of [
    ['POST', '/v1/ids', 'GET'],
    ['HEAD', '/v1/ids', 'GET'],
    ['PUT', '/v1/ids/123', 'GET, HEAD'],
    ['DELETE', '/healthz', 'GET, HEAD'],
    ['OPTIONS', '/metrics', 'GET, HEAD'],
  ] as const) {
    it(`GIVEN ${method} ${path} THEN 405 with Allow: ${allow}`, async () => {
      const reply = await get(`${ctx.base}${path}`, { method });
      assert.equal(reply.status, 405);
      assert.equal(reply.headers.allow, allow);
      if (method !== 'HEAD') assert.equal(reply.json().error.code, 'ERR_METHOD_NOT_ALLOWED');
    });
  }

  it('GIVEN HEAD /healthz THEN 200 without a body', async () => {
    const reply = await get(`${ctx.base}/healthz`, { method: 'HEAD' });
    assert.equal(reply.status, 200);
    assert.equal(reply.body, '');
  });

  it('GIVEN an absolute-form request target THEN it is served like the path', async () => {
    const text = await rawRequest(ctx.port, 'GET http://example.test/healthz HTTP/1.1\r\nHost: example.test\r\nConnection: close\r\n\r\n');
    assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
  });
});

describe('GET /v1/ids/{id}', () => {
  let ctx: HttpTestServer;
  before(async () => (ctx = await startHttpServer()));
  after(() => ctx.stop());

  it('GIVEN an ID this server issued THEN its fields, as flakery decode prints them', async () => {
    const [id] = (await get(`${ctx.base}/v1/ids`)).json().ids as string[];
    const reply = await get(`${ctx.base}/v1/ids/${id}`);
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['content-type'], 'application/json; charset=utf-8');
    const fields = reply.json();
    assert.deepEqual(fields, decode(id!, { layout: 'overt' }));
    assert.equal(fields.layout, 'overt');
    assert.equal(fields.id, id);
    assert.ok(fields.unixMs >= START_MS && fields.unixMs < START_MS + 60_000);
    assert.equal(fields.hardwareId, 'aabbccddeeff');
    assert.equal(fields.processId, 7);
  });

  it('GIVEN the same ID as hex, as UUID, and percent-encoded THEN the same fields', async () => {
    const { ids } = (await get(`${ctx.base}/v1/ids?format=uuid`)).json();
    const uuid = ids[0] as string;
    const hex = uuid.replace(/-/g, '');
    const expected = (await get(`${ctx.base}/v1/ids/${uuid}`)).json();
    assert.deepEqual((await get(`${ctx.base}/v1/ids/${hex}?format=hex`)).json(), expected);
    assert.deepEqual((await get(`${ctx.base}/v1/ids/${encodeURIComponent(uuid).replace(/-/g, '%2D')}`)).json(), expected);
    assert.equal(expected.id, BigInt(`0x${hex}`).toString());
  });

  for (const [name, path, code] of [
    ['letters', '/v1/ids/not-an-id', 'ERR_INVALID_ID'],
    ['a number too large for 128 bits', `/v1/ids/${'9'.repeat(40)}`, 'ERR_INVALID_ID'],
    ['an overlong ID', `/v1/ids/${'1'.repeat(101)}`, 'ERR_INVALID_ID'],
    ['broken percent-encoding', '/v1/ids/%E0%A4%A', 'ERR_INVALID_ID'],
    ['an unknown format', '/v1/ids/123?format=base32', 'ERR_BAD_REQUEST'],
  ] as const) {
    it(`GIVEN ${name} THEN 400 ${code}`, async () => {
      const reply = await get(`${ctx.base}${path}`);
      assert.equal(reply.status, 400);
      assert.equal(reply.json().error.code, code);
    });
  }
});

describe('HttpIdServer: bounded requests and bad input', () => {
  let ctx: HttpTestServer;
  before(async () => (ctx = await startHttpServer({ maxHeaderBytes: 2048, maxBodyBytes: 16 })));
  after(() => ctx.stop());

  it('GIVEN a declared body over the limit THEN 413 ERR_REQUEST_TOO_LARGE and the connection closes', async () => {
    const reply = await get(`${ctx.base}/v1/ids`, { body: 'x'.repeat(100), headers: { 'Content-Length': '100' } });
    assert.equal(reply.status, 413);
    assert.equal(reply.headers.connection, 'close');
    assert.equal(reply.json().error.code, 'ERR_REQUEST_TOO_LARGE');
  });

  it('GIVEN a small body THEN it is ignored and the request is answered', async () => {
    const reply = await get(`${ctx.base}/v1/ids`, { body: 'hello', headers: { 'Content-Length': '5' } });
    assert.equal(reply.status, 200);
  });

  it('GIVEN a chunked body that grows past the limit THEN the connection is cut', async () => {
    const chunk = `${(64).toString(16)}\r\n${'y'.repeat(64)}\r\n`;
    const text = await rawRequest(
      ctx.port,
      `GET /healthz?x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${chunk.repeat(1000)}0\r\n\r\n`,
    );
    // Either nothing (cut before the answer) or the answer followed by the cut; never a hang.
    assert.ok(text === '' || text.startsWith('HTTP/1.1 '), text.slice(0, 40));
  });

  it('GIVEN headers over the limit THEN 431 as JSON and the connection closes', async () => {
    const text = await rawRequest(ctx.port, `GET /v1/ids HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(4096)}\r\n\r\n`);
    assert.match(text, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    assert.match(text, /Connection: close/);
    assert.equal(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)).error.code, 'ERR_REQUEST_TOO_LARGE');
  });

  it('GIVEN a URL over the limit THEN 431', async () => {
    const text = await rawRequest(ctx.port, `GET /v1/ids?count=1&${'a'.repeat(4096)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    assert.match(text, /^HTTP\/1\.1 431 /);
  });

  for (const [name, bytes] of [
    ['garbage', 'HELLO\r\n\r\n'],
    ['a bad header line', 'GET /healthz HTTP/1.1\r\nNo colon here\r\n\r\n'],
    ['binary', Buffer.from([0, 1, 2, 3, 255, 254, 13, 10, 13, 10])],
    ['a request target that is not a path', 'GET healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
  ] as const) {
    it(`GIVEN ${name} THEN 400 as JSON, and the server keeps serving`, async () => {
      const text = await rawRequest(ctx.port, bytes);
      assert.match(text, /^HTTP\/1\.1 400 Bad Request\r\n/);
      assert.match(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)).error.code, /^ERR_BAD_REQUEST$/);
      assert.equal((await get(`${ctx.base}/healthz`)).status, 200);
    });
  }

  it('GIVEN a client that disconnects mid-stream THEN the server stops and keeps serving others', async () => {
    const big = await startHttpServer({ maxCount: 1_000_000 });
    try {
      await new Promise<void>((resolve, reject) => {
        import('node:http').then(({ get: httpGet }) => {
          const req = httpGet(`${big.base}/v1/ids?count=1000000`, (res) => {
            res.once('data', () => {
              req.destroy();
              resolve();
            });
          });
          req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
        }, reject);
      });
      assert.equal((await get(`${big.base}/v1/ids?count=2`)).json().ids.length, 2);
    } finally {
      await big.stop();
    }
    const issued = big.metrics.snapshot().idsIssued;
    assert.ok(issued < 1_000_000, `issued ${issued}: the stream did not stop`);
    assert.equal(big.metrics.snapshot().requests.http.aborted, 1);
  });
});
