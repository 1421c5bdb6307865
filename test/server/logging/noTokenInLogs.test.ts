import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IdClient } from '../../../src/client/IdClient.js';
import { createGenerator } from '../../../src/createGenerator.js';
import { HttpIdServer } from '../../../src/server/http/HttpIdServer.js';
import { IdService } from '../../../src/server/IdService.js';
import { createLogger } from '../../../src/server/logging/createLogger.js';
import { LoggingObserver } from '../../../src/server/logging/LoggingObserver.js';
import { logStart } from '../../../src/server/logging/startupBanner.js';
import { MetricsObserver } from '../../../src/server/metrics/MetricsObserver.js';
import { fanOutObserver } from '../../../src/server/observers/fanOutObserver.js';
import { TcpIdServer } from '../../../src/server/TcpIdServer.js';
import { LogCapture } from '../../support/LogCapture.js';
import { get } from '../http/httpTestServer.js';
import { RecordingObserver } from '../recordingObserver.js';

const TOKEN = 'Zq8-never-log-me-4471';

describe('logs never contain the token', () => {
  it('GIVEN a full run at trace level (start, good and failed auth on TCP and HTTP, errors) THEN no line has the token', async () => {
    const capture = new LogCapture();
    const logger = createLogger({ level: 'trace', destination: capture });
    const recorder = new RecordingObserver();
    const metrics = new MetricsObserver();
    const observer = fanOutObserver(metrics, new LoggingObserver(logger, { warnIntervalMs: 0 }), recorder);
    const service = new IdService({ generator: createGenerator({ layout: 'snowflake', machineId: 1 }), observer });
    const tcp = new TcpIdServer({ service, observer, authToken: TOKEN });
    const http = new HttpIdServer({ service, observer, metrics, logger, authToken: TOKEN });
    try {
      const tcpPort = (await tcp.listen({ host: '127.0.0.1', port: 0 })).port;
      const base = `http://127.0.0.1:${(await http.listen({ host: '127.0.0.1', port: 0 })).port}`;
      // What a careless start-up might log: the whole config, token included.
      logger.info({ event: 'config', config: { authToken: TOKEN, listen: `127.0.0.1:${tcpPort}` } }, 'configuration');
      logStart(
        { version: 'test', layout: 'snowflake', epochMs: 0, node: { workerId: 1 }, tcp: `127.0.0.1:${tcpPort}`, http: base, tls: false, authRequired: true },
        logger,
      );

      const good = new IdClient({ servers: [{ address: `127.0.0.1:${tcpPort}`, authToken: TOKEN }], layout: 'snowflake' });
      const bad = new IdClient({ servers: [{ address: `127.0.0.1:${tcpPort}`, authToken: `${TOKEN}x` }], layout: 'snowflake', requestTimeoutMs: 2000 });
      try {
        assert.equal((await good.nextBatch(3)).length, 3);
        await assert.rejects(bad.nextBatch(1));
      } finally {
        await Promise.all([good.close(), bad.close()]);
      }
      assert.equal((await get(`${base}/v1/ids`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status, 200);
      assert.equal((await get(`${base}/v1/ids`, { headers: { Authorization: `Bearer ${TOKEN.slice(1)}` } })).status, 401);
      assert.equal((await get(`${base}/metrics`, { headers: { Authorization: `Basic ${TOKEN}` } })).status, 401);
      assert.equal((await get(`${base}/v1/ids?count=0`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status, 400);
      await recorder.until(() => recorder.requests.filter((r) => r.outcome === 'auth_failed').length >= 3);
    } finally {
      await Promise.all([tcp.close({ timeoutMs: 1000 }), http.close({ timeoutMs: 1000 })]);
    }

    // The run was logged: failed auth on both listeners, the start, the redacted config.
    const failed = capture.events('request').filter((line) => line.outcome === 'auth_failed');
    assert.deepEqual(new Set(failed.map((line) => line.listener)), new Set(['tcp', 'http']));
    assert.equal(capture.events('started').length, 1);
    assert.equal((capture.events('config')[0]?.config as Record<string, unknown>).authToken, '[redacted]');
    assert.ok(capture.lines.length > 10);
    // The point of the test: grep every byte written for the token and its parts.
    for (const needle of [TOKEN, TOKEN.slice(1), 'never-log-me']) {
      assert.ok(!capture.all.includes(needle), `a log line contains ${needle}`);
    }
  });
});
