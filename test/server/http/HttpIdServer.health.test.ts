import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../../src/clock/ManualClock.js';
import { createGenerator } from '../../../src/createGenerator.js';
import type { HealthStatus } from '../../../src/server/http/HealthSource.js';
import { HttpIdServer } from '../../../src/server/http/HttpIdServer.js';
import { IdService } from '../../../src/server/IdService.js';
import { fanOutObserver } from '../../../src/server/observers/fanOutObserver.js';
import { silentObserver } from '../../../src/server/ServerObserver.js';
import { RecordingObserver } from '../recordingObserver.js';
import { START_MS, type HttpTestServer, get, startHttpServer } from './httpTestServer.js';

describe('HttpIdServer: health while the clock steps back', () => {
  let ctx: HttpTestServer;
  before(async () => (ctx = await startHttpServer()));
  after(() => ctx.stop());

  it('GIVEN a working clock THEN /healthz is 200 {"status":"ok"}', async () => {
    const reply = await get(`${ctx.base}/healthz`);
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.json(), { status: 'ok' });
  });

  it('GIVEN the clock steps 10 s behind the last ID THEN 503 with a reason and Retry-After; 200 once it catches up', async () => {
    const [id] = (await get(`${ctx.base}/v1/ids`)).json().ids;
    const lastMs = (await get(`${ctx.base}/v1/ids/${id}`)).json().unixMs as number;
    ctx.clock.set(lastMs - 10_000); // an NTP step back

    const health = await get(`${ctx.base}/healthz`);
    assert.equal(health.status, 503);
    assert.equal(health.headers['retry-after'], '10');
    const body = health.json();
    assert.equal(body.status, 'unavailable');
    assert.equal(body.error.code, 'ERR_CLOCK_BACKWARDS');
    assert.match(body.error.message, /clock moved backwards/);
    assert.ok(body.retryAfterMs > 9_000 && body.retryAfterMs <= 10_000, String(body.retryAfterMs));

    const ids = await get(`${ctx.base}/v1/ids?count=3`);
    assert.equal(ids.status, 503);
    assert.equal(ids.json().error.code, 'ERR_CLOCK_BACKWARDS');
    assert.ok(['9', '10'].includes(String(ids.headers['retry-after'])), String(ids.headers['retry-after']));

    ctx.clock.set(lastMs + 1); // caught up
    assert.equal((await get(`${ctx.base}/healthz`)).status, 200);
    const after = await get(`${ctx.base}/v1/ids`);
    assert.equal(after.status, 200);
    assert.ok(BigInt(after.json().ids[0]) > BigInt(id));
  });

  it('GIVEN a step back no larger than the clock wait THEN healthy: requests wait it out', async () => {
    const [id] = (await get(`${ctx.base}/v1/ids`)).json().ids;
    const lastMs = (await get(`${ctx.base}/v1/ids/${id}`)).json().unixMs as number;
    ctx.clock.set(lastMs - 2);
    assert.equal((await get(`${ctx.base}/healthz`)).status, 200);
    const reply = await get(`${ctx.base}/v1/ids`);
    assert.equal(reply.status, 200);
    assert.ok(BigInt(reply.json().ids[0]) > BigInt(id));
  });
});

describe('HttpIdServer: health sources', () => {
  let ctx: HttpTestServer;
  let lease: HealthStatus = { ok: true };
  before(async () => (ctx = await startHttpServer({ health: () => lease })));
  after(() => ctx.stop());

  it('GIVEN an added source that fails (lease lost) THEN 503 with its code, no Retry-After; 200 when it recovers', async () => {
    lease = { ok: false, code: 'ERR_LEASE_LOST', reason: 'worker id lease lost: renewal failed' };
    const reply = await get(`${ctx.base}/healthz`);
    assert.equal(reply.status, 503);
    assert.equal(reply.headers['retry-after'], undefined);
    assert.deepEqual(reply.json(), { status: 'unavailable', error: { code: 'ERR_LEASE_LOST', message: 'worker id lease lost: renewal failed' } });
    lease = { ok: true };
    assert.equal((await get(`${ctx.base}/healthz`)).status, 200);
  });

  it('GIVEN a source that throws THEN 503, and the server keeps serving', async () => {
    const broken = await startHttpServer({
      health: [
        () => ({ ok: true }),
        () => {
          throw new Error('probe failed');
        },
      ],
    });
    try {
      const reply = await get(`${broken.base}/healthz`);
      assert.equal(reply.status, 503);
      assert.equal(reply.json().error.code, 'ERR_INTERNAL');
      assert.equal((await get(`${broken.base}/v1/ids`)).status, 200);
    } finally {
      await broken.stop();
    }
  });
});

describe('HttpIdServer: waiting for -waitfor', () => {
  let ctx: HttpTestServer;
  before(async () => (ctx = await startHttpServer({ generator: { waitFor: START_MS + 30_000 } })));
  after(() => ctx.stop());

  it('GIVEN a start time 30 s ahead THEN /healthz and /v1/ids are 503 ERR_WAITING_FOR_START with Retry-After 30; then 200', async () => {
    const health = await get(`${ctx.base}/healthz`);
    assert.equal(health.status, 503);
    assert.equal(health.json().error.code, 'ERR_WAITING_FOR_START');
    assert.equal(health.headers['retry-after'], '30');
    const ids = await get(`${ctx.base}/v1/ids`);
    assert.equal(ids.status, 503);
    assert.equal(ids.json().error.code, 'ERR_WAITING_FOR_START');
    ctx.clock.set(START_MS + 30_000);
    assert.equal((await get(`${ctx.base}/healthz`)).status, 200);
    const fields = (await get(`${ctx.base}/v1/ids/${(await get(`${ctx.base}/v1/ids`)).json().ids[0]}`)).json();
    assert.ok(fields.unixMs >= START_MS + 30_000);
  });
});

describe('HttpIdServer: the clock steps back in the middle of a streamed answer', () => {
  it('GIVEN a step back after the first chunk THEN the connection is cut (incomplete body) and counted as clock_behind', async () => {
    const clock = new ManualClock(START_MS, { autoAdvanceMs: 1 });
    const recorder = new RecordingObserver();
    let stepped = false;
    const stepBackOnce = {
      ...silentObserver,
      idsIssued: () => {
        if (!stepped) clock.advance(-60_000); // after the first chunk is made, before the second
        stepped = true;
      },
    };
    const service = new IdService({
      generator: createGenerator({ layout: 'overt', hardwareId: 'aabbccddeeff', clock }),
      chunkIds: 1000,
      observer: fanOutObserver(recorder, stepBackOnce),
    });
    const server = new HttpIdServer({ service, observer: recorder });
    const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
    try {
      await assert.rejects(get(`http://127.0.0.1:${port}/v1/ids?count=5000`), (error: NodeJS.ErrnoException) => {
        assert.match(String(error.code ?? error.message), /ECONNRESET|aborted/);
        return true;
      });
      await recorder.until(() => recorder.requests.length === 1);
      assert.equal(recorder.requests[0]?.outcome, 'clock_behind');
      assert.equal(recorder.behind.length, 1);
      assert.equal(recorder.issued, 1000);
    } finally {
      await server.close({ timeoutMs: 1000 });
    }
  });
});
