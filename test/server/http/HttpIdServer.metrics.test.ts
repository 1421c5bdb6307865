import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { IdClient } from '../../../src/client/IdClient.js';
import { ManualClock } from '../../../src/clock/ManualClock.js';
import { createGenerator } from '../../../src/createGenerator.js';
import { HttpIdServer } from '../../../src/server/http/HttpIdServer.js';
import { IdService } from '../../../src/server/IdService.js';
import { PROMETHEUS_CONTENT_TYPE } from '../../../src/server/metrics/exposition.js';
import { MetricsObserver } from '../../../src/server/metrics/MetricsObserver.js';
import { fanOutObserver } from '../../../src/server/observers/fanOutObserver.js';
import { silentObserver } from '../../../src/server/ServerObserver.js';
import { TcpIdServer } from '../../../src/server/TcpIdServer.js';
import { parsePrometheusText, sampleValue } from '../../support/prometheusText.js';
import { RecordingObserver } from '../recordingObserver.js';
import { START_MS, get } from './httpTestServer.js';

/**
 * Both listeners over one IdService and one MetricsObserver, as `flakery serve` runs them. The
 * clock moves only when a request runs out of sequence (the observer advances it), so every
 * count below is exact.
 */
describe('metrics through the HTTP and TCP listeners', () => {
  const clock = new ManualClock(START_MS);
  const metrics = new MetricsObserver({ startUnixMs: START_MS });
  const recorder = new RecordingObserver();
  const advanceOnExhaustion = { ...silentObserver, sequenceExhausted: () => clock.advance(1) };
  const observer = fanOutObserver(metrics, recorder, advanceOnExhaustion);
  const service = new IdService({ generator: createGenerator({ layout: 'snowflake', machineId: 5, clock }), observer });
  const http = new HttpIdServer({ service, metrics, observer });
  const tcp = new TcpIdServer({ service, observer });
  let base: string;
  let tcpPort: number;

  before(async () => {
    base = `http://127.0.0.1:${(await http.listen({ host: '127.0.0.1', port: 0 })).port}`;
    tcpPort = (await tcp.listen({ host: '127.0.0.1', port: 0 })).port;
  });
  after(async () => {
    await Promise.all([http.close({ timeoutMs: 1000 }), tcp.close({ timeoutMs: 1000 })]);
  });

  async function scrape() {
    const reply = await get(`${base}/metrics`);
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['content-type'], PROMETHEUS_CONTENT_TYPE);
    return parsePrometheusText(reply.body);
  }

  it('GIVEN a fresh server THEN /metrics lists every family with HELP and TYPE, at zero', async () => {
    const families = await scrape();
    for (const [name, type] of [
      ['flakery_ids_issued_total', 'counter'],
      ['flakery_requests_total', 'counter'],
      ['flakery_request_duration_seconds', 'histogram'],
      ['flakery_open_connections', 'gauge'],
      ['flakery_sequence_exhausted_total', 'counter'],
      ['flakery_clock_regressions_total', 'counter'],
      ['flakery_last_issued_timestamp_seconds', 'gauge'],
    ]) {
      assert.equal(families.get(name!)?.type, type, name);
      assert.ok(families.get(name!)!.help.length > 0);
    }
    assert.equal(sampleValue(families, 'flakery_ids_issued_total'), 0);
    assert.equal(sampleValue(families, 'flakery_requests_total', { listener: 'http', outcome: 'ok' }), 0);
  });

  it('GIVEN IDs issued over HTTP THEN issued, requests, durations and the last time move', async () => {
    await get(`${base}/v1/ids?count=10`);
    const families = await scrape();
    assert.equal(sampleValue(families, 'flakery_ids_issued_total'), 10);
    // the first scrape and the ID request; this scrape is counted once it is sent
    assert.equal(sampleValue(families, 'flakery_requests_total', { listener: 'http', outcome: 'ok' }), 2);
    assert.equal(sampleValue(families, 'flakery_request_duration_seconds_count', { listener: 'http' }), 2);
    assert.equal(sampleValue(families, 'flakery_last_issued_timestamp_seconds'), START_MS / 1000);
  });

  it('GIVEN IDs issued over TCP THEN the same counters move, under listener="tcp"', async () => {
    // The server runs on a test clock far from now: the client's time check is off.
    const client = new IdClient({ servers: [`127.0.0.1:${tcpPort}`], layout: 'snowflake', maxClockSkewMs: 0 });
    try {
      assert.equal((await client.nextBatch(5)).length, 5);
      await recorder.until(() => recorder.requests.some((r) => r.listener === 'tcp'));
      const families = await scrape();
      assert.equal(sampleValue(families, 'flakery_ids_issued_total'), 15);
      assert.equal(sampleValue(families, 'flakery_requests_total', { listener: 'tcp', outcome: 'ok' }), 1);
      assert.equal(sampleValue(families, 'flakery_open_connections', { listener: 'tcp' }), 1);
    } finally {
      await client.close();
    }
    await recorder.until(() => metrics.snapshot().openConnections.tcp === 0);
  });

  it('GIVEN a request larger than one millisecond\'s sequence THEN sequence exhaustion is counted', async () => {
    const reply = await get(`${base}/v1/ids?count=10000`); // 4,096 per ms: two waits for the next one
    assert.equal(reply.json().ids.length, 10000);
    const families = await scrape();
    assert.equal(sampleValue(families, 'flakery_sequence_exhausted_total'), 2);
    assert.equal(sampleValue(families, 'flakery_ids_issued_total'), 10015);
    assert.equal(sampleValue(families, 'flakery_last_issued_timestamp_seconds'), (START_MS + 2) / 1000);
  });

  it('GIVEN the clock steps back THEN the regression and the refused request are counted', async () => {
    clock.advance(-60_000);
    assert.equal((await get(`${base}/v1/ids`)).status, 503);
    const families = await scrape();
    assert.equal(sampleValue(families, 'flakery_clock_regressions_total'), 1);
    assert.equal(sampleValue(families, 'flakery_requests_total', { listener: 'http', outcome: 'clock_behind' }), 1);
    clock.advance(60_000);
  });

  it('GIVEN a keep-alive connection THEN open_connections{listener="http"} counts it until it closes', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const openBefore = metrics.snapshot().openConnections.http;
    await get(`${base}/healthz`, { agent });
    assert.equal(metrics.snapshot().openConnections.http, openBefore + 1);
    agent.destroy();
    await recorder.until(() => metrics.snapshot().openConnections.http === openBefore);
  });

  it('GIVEN errors THEN each is counted under its outcome', async () => {
    await get(`${base}/nope`);
    await get(`${base}/v1/ids?count=0`);
    await get(`${base}/v1/ids?count=100001`);
    const families = await scrape();
    assert.equal(sampleValue(families, 'flakery_requests_total', { listener: 'http', outcome: 'not_found' }), 1);
    assert.equal(sampleValue(families, 'flakery_requests_total', { listener: 'http', outcome: 'bad_request' }), 1);
    assert.equal(sampleValue(families, 'flakery_requests_total', { listener: 'http', outcome: 'too_large' }), 1);
  });
});
