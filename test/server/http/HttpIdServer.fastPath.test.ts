import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../../src/clock/ManualClock.js';
import { createGenerator } from '../../../src/createGenerator.js';
import { HttpIdServer } from '../../../src/server/http/HttpIdServer.js';
import { IdService } from '../../../src/server/IdService.js';
import { MetricsObserver } from '../../../src/server/metrics/MetricsObserver.js';
import { turnsUntil } from '../rawClient.js';
import { START_MS, get, servedBy } from './httpTestServer.js';

/**
 * The quick path of `GET /v1/ids` (small requests whose IDs the current millisecond has, answered
 * before node:http sees them): the same answers, order and reports as the general path, and when
 * the millisecond lacks the IDs, node:http's general path answers instead. A snowflake generator
 * (4,096 IDs per ms) on a clock that moves only when told to, so a test can spend a millisecond's
 * sequence. A keep-alive agent per test: without one node's client sends `Connection: close`,
 * which the quick path leaves to node:http, and a connection node:http took over stays with it.
 */
describe('HttpIdServer: small GET /v1/ids answered at once', () => {
  let clock: ManualClock;
  let metrics: MetricsObserver;
  let server: HttpIdServer;
  let base: string;
  let agent: Agent;
  beforeEach(() => (agent = new Agent({ keepAlive: true, maxSockets: 1 })));
  afterEach(() => agent.destroy());

  before(async () => {
    clock = new ManualClock(START_MS);
    metrics = new MetricsObserver();
    const generator = createGenerator({ layout: 'snowflake', machineId: 1, clock });
    const service = new IdService({ generator, observer: metrics });
    server = new HttpIdServer({ service, metrics, observer: metrics, authToken: 'sesame' });
    const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${port}`;
  });
  after(() => server.close({ timeoutMs: 1000 }));

  const auth = { Authorization: 'Bearer sesame' };
  const ok = (): number => metrics.snapshot().requests.http.ok;
  const idsOf = (body: string): bigint[] => (JSON.parse(body) as { ids: string[] }).ids.map(BigInt);

  it('GIVEN the IDs are there now THEN 200 with the usual headers and body, counted as ok', async () => {
    const before = ok();
    const reply = await get(`${base}/v1/ids?count=3`, { headers: auth, agent });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(reply.headers['cache-control'], 'no-store');
    assert.equal(Number(reply.headers['content-length']), Buffer.byteLength(reply.body));
    assert.match(reply.body, /^\{"ids":\["[0-9]+","[0-9]+","[0-9]+"\]\}\n$/);
    const ids = idsOf(reply.body);
    assert.ok(ids[0]! < ids[1]! && ids[1]! < ids[2]!);
    assert.deepEqual(servedBy(server), [{ servedBy: 'quick', quickAnswers: 1 }]);
    await turnsUntil(() => ok() === before + 1);
  });

  it('GIVEN Accept: text/plain THEN one ID per line on the fast path too', async () => {
    const reply = await get(`${base}/v1/ids`, { headers: { ...auth, Accept: 'text/plain' }, agent });
    assert.equal(reply.headers['content-type'], 'text/plain; charset=utf-8');
    assert.match(reply.body, /^[0-9]+\n$/);
  });

  it('GIVEN no token or a wrong one THEN 401 as on the general path, and no ID is spent', async () => {
    const issued = metrics.snapshot().idsIssued;
    const tries: Record<string, string>[] = [{}, { Authorization: 'Bearer sesamE' }];
    for (const headers of tries) {
      const reply = await get(`${base}/v1/ids`, { headers, agent });
      assert.equal(reply.status, 401);
      assert.equal(reply.json().error.code, 'ERR_AUTH_FAILED');
    }
    assert.equal(metrics.snapshot().idsIssued, issued);
  });

  it('GIVEN a count over the maximum or a malformed one THEN the general path answers it with its errors', async () => {
    assert.equal((await get(`${base}/v1/ids?count=100001`, { headers: auth, agent })).status, 413);
    assert.equal((await get(`${base}/v1/ids?count=0`, { headers: auth, agent })).status, 400);
    assert.equal((await get(`${base}/v1/ids?count=1x`, { headers: auth, agent })).status, 400);
  });

  it('GIVEN the millisecond has only part of the IDs THEN node:http answers from the next millisecond; the part drawn is a gap', async () => {
    clock.advance(1);
    for (let i = 0; i < 4; i++) assert.equal((await get(`${base}/v1/ids?count=1000`, { headers: auth, agent })).status, 200);
    const issuedBefore = metrics.snapshot().idsIssued;
    const last = idsOf((await get(`${base}/v1/ids?count=95`, { headers: auth, agent })).body).at(-1)!; // 1 left now
    const pending = get(`${base}/v1/ids?count=200`, { headers: auth, agent });
    await turnsUntil(() => metrics.snapshot().idsIssued === issuedBefore + 96); // the 1 available, drawn and never sent
    assert.equal(metrics.snapshot().sequenceExhausted >= 1, true);
    clock.advance(1);
    const reply = await pending;
    assert.equal(reply.status, 200);
    const ids = idsOf(reply.body);
    assert.equal(ids.length, 200);
    assert.ok(ids[0]! > last + 1n, 'the ID drawn by the quick path is not sent');
    assert.equal(metrics.snapshot().idsIssued, issuedBefore + 296);
    // (the earlier tests' connections may not be closed on the server's side yet)
    assert.ok(server.connectionStates().some((state) => state.servedBy === 'node:http' && state.quickAnswers === 5));
    for (let i = 1; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!, `ID ${i} is not greater than ID ${i - 1}`);
  });

  it('GIVEN the clock a little behind (none of the IDs now) THEN the request waits it out and answers 200', async () => {
    const [last] = idsOf((await get(`${base}/v1/ids`, { headers: auth, agent })).body);
    clock.advance(-3);
    const pending = get(`${base}/v1/ids?count=2`, { headers: auth, agent });
    await turnsUntil(() => metrics.snapshot().clockRegressions >= 1);
    clock.advance(4);
    const reply = await pending;
    assert.equal(reply.status, 200);
    const ids = idsOf(reply.body);
    assert.equal(ids.length, 2);
    assert.ok(ids[0]! > last! && ids[1]! > ids[0]!);
  });

  it('GIVEN the clock far behind THEN 503 with Retry-After, as on the general path', async () => {
    clock.advance(-10_000);
    const reply = await get(`${base}/v1/ids`, { headers: auth, agent });
    assert.equal(reply.status, 503);
    assert.equal(reply.json().error.code, 'ERR_CLOCK_BACKWARDS');
    assert.equal(reply.headers['retry-after'], '10');
    assert.equal(reply.headers['cache-control'], 'no-store');
    clock.advance(10_001);
  });
});
