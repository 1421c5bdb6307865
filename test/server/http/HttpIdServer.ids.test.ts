import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { decode } from '../../../src/id/decode.js';
import { HARDWARE_ID, type HttpTestServer, get, startHttpServer } from './httpTestServer.js';

function assertIncreasing(ids: readonly bigint[]): void {
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!, `ID ${i} is not greater than ID ${i - 1}`);
}

describe('GET /v1/ids', () => {
  let ctx: HttpTestServer;
  before(async () => (ctx = await startHttpServer({ maxCount: 5000 })));
  after(() => ctx.stop());

  it('GIVEN no parameters THEN one decimal ID as a string in JSON, from this server', async () => {
    const reply = await get(`${ctx.base}/v1/ids`);
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(reply.headers['cache-control'], 'no-store');
    assert.equal(Number(reply.headers['content-length']), Buffer.byteLength(reply.body));
    const { ids } = reply.json();
    assert.equal(ids.length, 1);
    assert.equal(typeof ids[0], 'string');
    assert.match(ids[0], /^[0-9]+$/);
    const fields = decode(ids[0], { layout: 'overt', format: 'decimal' });
    assert.equal(fields.hardwareId, HARDWARE_ID);
    assert.equal(fields.processId, 7);
  });

  it('GIVEN count and format=hex THEN that many increasing 32-digit hex IDs', async () => {
    const { ids } = (await get(`${ctx.base}/v1/ids?count=5&format=hex`)).json();
    assert.equal(ids.length, 5);
    for (const id of ids) assert.match(id, /^[0-9a-f]{32}$/);
    assertIncreasing(ids.map((id: string) => BigInt(`0x${id}`)));
  });

  it('GIVEN format=uuid THEN 8-4-4-4-12 IDs', async () => {
    const { ids } = (await get(`${ctx.base}/v1/ids?format=uuid&count=2`)).json();
    for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  for (const accept of ['text/plain', 'application/json;q=0.5, text/plain', 'text/*']) {
    it(`GIVEN Accept: ${accept} THEN one ID per line`, async () => {
      const reply = await get(`${ctx.base}/v1/ids?count=3`, { headers: { Accept: accept } });
      assert.equal(reply.status, 200);
      assert.equal(reply.headers['content-type'], 'text/plain; charset=utf-8');
      const lines = reply.body.split('\n');
      assert.equal(lines.pop(), '');
      assert.equal(lines.length, 3);
      assertIncreasing(lines.map(BigInt));
    });
  }

  for (const accept of ['*/*', 'application/json', 'text/plain;q=0.5, application/json', 'text/html']) {
    it(`GIVEN Accept: ${accept} THEN JSON`, async () => {
      const reply = await get(`${ctx.base}/v1/ids`, { headers: { Accept: accept } });
      assert.equal(reply.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(reply.json().ids.length, 1);
    });
  }

  it('GIVEN a count above the buffered size THEN the answer streams (chunked) and is whole, valid JSON', async () => {
    const reply = await get(`${ctx.base}/v1/ids?count=5000`);
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['transfer-encoding'], 'chunked');
    const ids = reply.json().ids.map(BigInt);
    assert.equal(ids.length, 5000);
    assert.equal(new Set(ids).size, 5000);
    assertIncreasing(ids);
  });

  it('GIVEN a streamed text answer THEN every line is an ID', async () => {
    const reply = await get(`${ctx.base}/v1/ids?count=3000&format=hex`, { headers: { Accept: 'text/plain' } });
    const lines = reply.body.trimEnd().split('\n');
    assert.equal(lines.length, 3000);
    assertIncreasing(lines.map((hex) => BigInt(`0x${hex}`)));
  });

  it('GIVEN requests one after another on one keep-alive connection THEN IDs increase across them', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const ids: bigint[] = [];
      const sockets = new Set<unknown>();
      agent.on('free', (socket) => sockets.add(socket));
      for (let i = 0; i < 5; i++) {
        const reply = await get(`${ctx.base}/v1/ids?count=2`, { agent });
        assert.equal(reply.headers.connection, 'keep-alive');
        ids.push(...reply.json().ids.map(BigInt));
      }
      assert.equal(sockets.size, 1);
      assertIncreasing(ids);
    } finally {
      agent.destroy();
    }
  });

  it('GIVEN many concurrent requests THEN every ID is distinct', async () => {
    const replies = await Promise.all(Array.from({ length: 20 }, () => get(`${ctx.base}/v1/ids?count=50`)));
    const all = replies.flatMap((reply) => reply.json().ids as string[]);
    assert.equal(new Set(all).size, 1000);
  });

  const badQueries: [string, RegExp][] = [
    ['count=0', /count must be an integer from 1 to 5000; got 0/],
    ['count=abc', /got "abc"/],
    ['count=-1', /count must be an integer/],
    ['count=1.5', /count must be an integer/],
    ['count=', /count must be an integer/],
    ['format=base64', /format must be one of decimal, hex, uuid; got "base64"/],
    ['cout=5', /unknown query parameter "cout"; allowed: count, format/],
    ['count=1&count=2', /count given more than once/],
  ];
  for (const [query, message] of badQueries) {
    it(`GIVEN ?${query} THEN 400 ERR_BAD_REQUEST naming the problem`, async () => {
      const reply = await get(`${ctx.base}/v1/ids?${query}`);
      assert.equal(reply.status, 400);
      assert.equal(reply.headers['content-type'], 'application/json; charset=utf-8');
      const { error } = reply.json();
      assert.equal(error.code, 'ERR_BAD_REQUEST');
      assert.match(error.message, message);
    });
  }

  for (const count of ['5001', '99999999999999999999999']) {
    it(`GIVEN count=${count.slice(0, 8)}… above the maximum THEN 413 ERR_COUNT_TOO_LARGE`, async () => {
      const reply = await get(`${ctx.base}/v1/ids?count=${count}`);
      assert.equal(reply.status, 413);
      assert.equal(reply.json().error.code, 'ERR_COUNT_TOO_LARGE');
      assert.match(reply.json().error.message, /at most 5000/);
    });
  }
});

describe('GET /v1/ids on a snowflake server', () => {
  let ctx: HttpTestServer;
  before(async () => (ctx = await startHttpServer({ generator: { layout: 'snowflake', machineId: 9, hardwareId: undefined, processId: undefined } })));
  after(() => ctx.stop());

  it('GIVEN format=uuid THEN 400: an 8-byte ID has no UUID form', async () => {
    const reply = await get(`${ctx.base}/v1/ids?format=uuid`);
    assert.equal(reply.status, 400);
    assert.match(reply.json().error.message, /uuid needs a 16-byte layout; this server's layout snowflake has 8-byte IDs/);
  });

  it('GIVEN format=hex THEN 16-digit IDs of worker 9', async () => {
    const { ids } = (await get(`${ctx.base}/v1/ids?format=hex&count=2`)).json();
    for (const id of ids) {
      assert.match(id, /^[0-9a-f]{16}$/);
      assert.equal(decode(id, { layout: 'snowflake', format: 'hex' }).workerId, 9);
    }
  });
});
