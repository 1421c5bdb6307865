import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RawHttpConnection } from './rawHttp.js';
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
