import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadServerTls } from '../../../src/net/loadServerTls.js';
import { type TestCertificate, makeSelfSignedCert } from '../../support/selfSignedCert.js';
import { type HttpTestServer, get, rawRequest, startHttpServer } from './httpTestServer.js';

const TOKEN = 'https-token-71';

describe('HttpIdServer over TLS (https)', () => {
  let cert: TestCertificate;
  let ctx: HttpTestServer;
  before(async () => {
    cert = await makeSelfSignedCert();
    ctx = await startHttpServer({ tls: loadServerTls({ cert: cert.certFile, key: cert.keyFile }), authToken: TOKEN });
  });
  after(async () => {
    await ctx?.stop();
    await cert?.remove();
  });

  it('GIVEN TLS options THEN the server says https', () => {
    assert.equal(ctx.server.scheme, 'https');
    assert.equal(ctx.server.url(), `https://127.0.0.1:${ctx.port}`);
  });

  it('GIVEN a client that trusts the certificate THEN IDs over https, with auth', async () => {
    const reply = await get(`${ctx.base}/v1/ids?count=3`, { ca: cert.cert, headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(reply.status, 200);
    assert.equal(reply.json().ids.length, 3);
    assert.equal((await get(`${ctx.base}/v1/ids`, { ca: cert.cert })).status, 401);
    assert.equal((await get(`https://localhost:${ctx.port}/healthz`, { ca: cert.cert })).status, 200);
  });

  it('GIVEN a client without the CA THEN the handshake fails: no request is answered', async () => {
    await assert.rejects(get(`${ctx.base}/healthz`), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });

  it('GIVEN plain HTTP to the TLS port THEN no HTTP answer, and the server keeps serving', async () => {
    const text = await rawRequest(ctx.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.ok(!text.startsWith('HTTP/1.1 200'));
    assert.equal((await get(`${ctx.base}/healthz`, { ca: cert.cert })).status, 200);
  });
});
