import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type HttpTestServer, get, startHttpServer } from './httpTestServer.js';

const TOKEN = 'http-t0ken-9d2c';

describe('HttpIdServer: bearer token', () => {
  let ctx: HttpTestServer;
  before(async () => (ctx = await startHttpServer({ authToken: TOKEN })));
  after(() => ctx.stop());

  const refused: [string, Record<string, string>][] = [
    ['no Authorization header', {}],
    ['a wrong token', { Authorization: 'Bearer http-t0ken-9d2d' }],
    ['a token one byte short', { Authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
    ['the token with a suffix', { Authorization: `Bearer ${TOKEN}x` }],
    ['another scheme', { Authorization: `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}` }],
    ['the token without a scheme', { Authorization: TOKEN }],
    ['an empty bearer', { Authorization: 'Bearer ' }],
  ];
  for (const path of ['/v1/ids', '/v1/ids/123', '/metrics']) {
    for (const [name, headers] of refused) {
      it(`GIVEN ${name} on ${path} THEN 401 ERR_AUTH_FAILED with WWW-Authenticate`, async () => {
        const reply = await get(`${ctx.base}${path}`, { headers });
        assert.equal(reply.status, 401);
        assert.equal(reply.headers['www-authenticate'], 'Bearer realm="flakery"');
        assert.equal(reply.json().error.code, 'ERR_AUTH_FAILED');
        assert.ok(!reply.body.includes(TOKEN));
      });
    }
  }

  for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
    it(`GIVEN "${scheme} <token>" THEN IDs`, async () => {
      const reply = await get(`${ctx.base}/v1/ids?count=2`, { headers: { Authorization: `${scheme} ${TOKEN}` } });
      assert.equal(reply.status, 200);
      assert.equal(reply.json().ids.length, 2);
    });
  }

  it('GIVEN the token THEN /metrics and decode answer too', async () => {
    const headers = { Authorization: `Bearer ${TOKEN}` };
    assert.equal((await get(`${ctx.base}/metrics`, { headers })).status, 200);
    assert.equal((await get(`${ctx.base}/v1/ids/123`, { headers })).status, 200);
  });

  it('GIVEN no token on /healthz THEN 200: load balancers probe without credentials', async () => {
    assert.equal((await get(`${ctx.base}/healthz`)).status, 200);
  });

  it('GIVEN failed attempts THEN they are counted as auth_failed', async () => {
    const before = ctx.metrics.snapshot().requests.http.auth_failed;
    await get(`${ctx.base}/v1/ids`);
    assert.equal(ctx.metrics.snapshot().requests.http.auth_failed, before + 1);
    assert.equal(ctx.server.requiresAuth, true);
  });
});
