import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RawHttpConnection, requestText } from './rawHttp.js';
import { startHttpServer } from './httpTestServer.js';

/**
 * The connection timeouts hold within their documented figures (docs/http.md, "Limits"). The
 * bounds asserted are many times the configured figure: what they rule out is node:http's
 * default 30 s check interval, which let a 10 s headersTimeout fire after up to 40 s.
 */
describe('HttpIdServer: timeouts', () => {
  it('GIVEN headersTimeoutMs 1000 and a head never finished (slowloris) THEN the connection is closed within seconds, not after node:http\'s 30 s check', async () => {
    const ctx = await startHttpServer({ headersTimeoutMs: 1000 });
    try {
      const connection = await RawHttpConnection.connect(ctx.port);
      const startMs = Date.now();
      connection.socket.write('GET /v1/ids HTTP/1.1\r\nHost: x\r\n');
      await connection.closed;
      const elapsedMs = Date.now() - startMs;
      assert.ok(elapsedMs < 15_000, `closed after ${elapsedMs} ms`);
    } finally {
      await ctx.stop();
    }
  });
});

describe('HttpIdServer: connections that never authenticate', () => {
  const auth = 'Authorization: Bearer sesame';
  it('GIVEN a token and authTimeoutMs 200 THEN a connection with no authenticated request is closed long before keep-alive would, and one that authenticated stays', async () => {
    const ctx = await startHttpServer({ authToken: 'sesame', authTimeoutMs: 200, keepAliveTimeoutMs: 10_000 });
    try {
      const quick = await RawHttpConnection.connect(ctx.port);
      await quick.write(requestText('/v1/ids', [auth]));
      const viaNodeHttp = await RawHttpConnection.connect(ctx.port);
      await viaNodeHttp.write(requestText('/v1/ids?count=2&format=hex', [auth]));
      await Promise.all([quick.responses(1), viaNodeHttp.responses(1)]);
      const silent = await RawHttpConnection.connect(ctx.port);
      const wrongToken = await RawHttpConnection.connect(ctx.port);
      await wrongToken.write(requestText('/v1/ids', ['Authorization: Bearer sesamf']));
      assert.equal((await wrongToken.responses(1))[0]!.status, 401);
      const startMs = Date.now();
      await Promise.all([silent.closed, wrongToken.closed]);
      assert.ok(Date.now() - startMs < 8_000, 'closed by the auth timeout, not the keep-alive one');
      // Opened before the silent ones, past their deadline too: still served.
      await quick.write(requestText('/v1/ids', [auth]));
      await viaNodeHttp.write(requestText('/healthz'));
      assert.equal((await quick.responses(1))[0]!.status, 200);
      assert.equal((await viaNodeHttp.responses(1))[0]!.status, 200);
      quick.destroy();
      viaNodeHttp.destroy();
    } finally {
      await ctx.stop();
    }
  });
});
