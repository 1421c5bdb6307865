import assert from 'node:assert/strict';
import { type Server, type Socket, createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import { createClient } from '../../src/client/createClient.js';
import { FlakeryError, createGenerator, decode } from '../../src/index.js';
import { TcpIdServer } from '../../src/server/TcpIdServer.js';
import { HID, startServer } from '../server/startServer.js';
import { OriginalLikeServer } from '../support/OriginalLikeServer.js';

/** Servers and clients a test opened; closed in after(). */
const cleanups: (() => Promise<unknown> | unknown)[] = [];
after(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function idServer(options: Parameters<typeof startServer>[0] = {}) {
  const ctx = await startServer(options);
  cleanups.push(ctx.stop);
  return { ...ctx, address: `127.0.0.1:${ctx.port}` };
}

/** A port nothing listens on: bound once, then released. */
async function deadAddress(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `127.0.0.1:${port}`;
}

/** A TCP server that does what `onRequest` says with each connection; tracks its sockets. */
async function fakeServer(onConnection: (socket: Socket) => void) {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return `127.0.0.1:${(server.address() as { port: number }).port}`;
}

function client(options: Parameters<typeof createClient>[0]) {
  const c = createClient(options);
  cleanups.push(() => c.close());
  return c;
}

function processIdOf(id: bigint): number {
  return Number(id & 0xffffn);
}

describe('IdClient', () => {
  it('GIVEN the first server is down THEN uses the next one', async () => {
    const live = await idServer();
    const c = client({ servers: [await deadAddress(), live.address] });
    const ids = await c.nextBatch(3);
    assert.equal(ids.length, 3);
    assert.equal(live.observer.opened, 1);
  });

  it('GIVEN the first server dies in the middle of an answer THEN gets the whole answer from the next', async () => {
    let requests = 0;
    const dying = await fakeServer((socket) => {
      socket.once('data', () => {
        requests++;
        socket.write(new Uint8Array(16 * 5)); // 5 of the 10 IDs, then gone
        setImmediate(() => socket.destroy());
      });
    });
    const live = await idServer();
    const c = client({ servers: [dying, live.address] });
    const ids = await c.nextBatch(10);
    assert.equal(requests, 1);
    assert.equal(ids.length, 10);
    assert.ok(ids.every((id) => id !== 0n), 'none of the half answer may be used');
    for (let i = 1; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!);
  });

  it('GIVEN a server that never answers THEN times the request out and moves on', async () => {
    const silent = await fakeServer(() => {});
    const live = await idServer();
    const c = client({ servers: [silent, live.address], requestTimeoutMs: 50 });
    assert.equal((await c.nextBatch(2)).length, 2);
  });

  it('GIVEN the wrong token for the first server THEN it closes and the next server answers', async () => {
    const strict = await idServer({ authToken: 'right' });
    const open = await idServer();
    const c = client({ servers: [{ address: strict.address, authToken: 'wrong' }, open.address] });
    assert.equal((await c.nextBatch(2)).length, 2);
    assert.equal(open.observer.opened, 1);
  });

  it('GIVEN no server can answer THEN fails with ERR_NO_SERVER_AVAILABLE naming each, the cause attached', async () => {
    const silent = await fakeServer(() => {});
    const dead = await deadAddress();
    const c = client({ servers: [dead, silent], requestTimeoutMs: 30 });
    await assert.rejects(c.next(), (error: unknown) => {
      assert.ok(error instanceof FlakeryError);
      assert.equal(error.code, 'ERR_NO_SERVER_AVAILABLE');
      assert.match(error.message, new RegExp(dead.replace(/\./g, '\\.')));
      assert.equal((error.cause as FlakeryError).code, 'ERR_REQUEST_TIMEOUT');
      return true;
    });
  });

  it('GIVEN a connection that never completes (a TLS handshake nobody answers) THEN ERR_CONNECT_TIMEOUT', async () => {
    const silent = await fakeServer(() => {});
    const c = client({ servers: [silent], tls: {}, connectTimeoutMs: 50 });
    await assert.rejects(c.next(), (error: unknown) => {
      assert.ok(error instanceof FlakeryError && error.code === 'ERR_NO_SERVER_AVAILABLE');
      assert.equal((error.cause as FlakeryError).code, 'ERR_CONNECT_TIMEOUT');
      return true;
    });
  });

  it('pipelines concurrent requests on one connection and keeps it between calls', async () => {
    const live = await idServer();
    const c = client({ servers: [live.address] });
    const results = await Promise.all(Array.from({ length: 50 }, () => c.next()));
    await c.nextBatch(5);
    assert.equal(new Set(results).size, 50);
    assert.equal(live.observer.opened, 1);
    assert.equal(live.observer.requests.filter((r) => r.outcome === 'ok').length, 51);
  });

  it('GIVEN a lost connection THEN the next request starts from the top of the list again', async () => {
    const primaryAddress = await deadAddress();
    const secondary = await idServer({ service: createGenerator({ hardwareId: HID, processId: 2 }) });
    const c = client({ servers: [primaryAddress, secondary.address] });
    assert.equal(processIdOf(await c.next()), 2);
    assert.equal(processIdOf(await c.next()), 2); // stays on the secondary while it works

    // The primary comes back, then the secondary goes away.
    const primary = new TcpIdServer({ service: createGenerator({ hardwareId: HID, processId: 1 }) });
    const [host, port] = primaryAddress.split(':');
    await primary.listen({ host: host!, port: Number(port) });
    cleanups.push(() => primary.close({ timeoutMs: 1000 }));
    await secondary.server.close();
    assert.equal(processIdOf(await c.next()), 1);
  });

  it('splits batches above maxCountPerRequest into requests the server accepts', async () => {
    const small = await idServer({ maxCount: 100 });
    const c = client({ servers: [small.address], maxCountPerRequest: 100 });
    const ids = await c.nextBatch(1050);
    assert.equal(ids.length, 1050);
    for (let i = 1; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!);
    assert.equal(small.observer.requests.length, 11);
  });

  it('GIVEN a server that closes above 4,095 IDs per request, as the original does for snowflake THEN a snowflake client splits by default', async () => {
    const original = await OriginalLikeServer.start(createGenerator({ layout: 'snowflake', machineId: 5 }));
    cleanups.push(() => original.close());
    const c = client({ servers: [original.address], layout: 'snowflake' });
    const ids = await c.nextBatch(10_000);
    assert.equal(ids.length, 10_000);
    for (let i = 1; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!);
    assert.deepEqual(original.requests, [4095, 4095, 1810]);
  });

  it('GIVEN the wrong token THEN ERR_AUTH_REFUSED says the token was probably refused, and never shows it', async () => {
    const strict = await idServer({ authToken: 'right-token' });
    const c = client({ servers: [{ address: strict.address, authToken: 'wrong-token' }] });
    await assert.rejects(c.nextBatch(2), (error: unknown) => {
      assert.ok(error instanceof FlakeryError);
      assert.equal(error.code, 'ERR_AUTH_REFUSED', error.message);
      assert.match(error.message, /after the auth token.*probably wrong/);
      assert.doesNotMatch(error.message, /wrong-token|right-token/);
      return true;
    });
  });

  it('GIVEN no token for a server that requires one THEN ERR_AUTH_REFUSED says it is probably missing', async () => {
    const strict = await idServer({ authToken: 'right-token' });
    const c = client({ servers: [strict.address] });
    await assert.rejects(c.next(), (error: unknown) => {
      assert.ok(error instanceof FlakeryError);
      assert.equal(error.code, 'ERR_AUTH_REFUSED', error.message);
      assert.match(error.message, /no auth token.*probably requires one/);
      return true;
    });
  });

  it('GIVEN a server that cannot issue now (its lease lost) THEN the refusal names that cause and the server\'s /healthz too', async () => {
    const leaseLost = { admit: () => { throw new FlakeryError('ERR_LEASE_LOST', 'lease lost'); } };
    const cannotIssue = await idServer({ service: createGenerator({ hardwareId: HID, gates: [leaseLost] }) });
    const c = client({ servers: [cannotIssue.address] });
    await assert.rejects(c.next(), (error: unknown) => {
      assert.ok(error instanceof FlakeryError);
      assert.equal(error.code, 'ERR_AUTH_REFUSED', error.message);
      assert.match(error.message, /cannot issue IDs now \(a lost worker-id lease, a clock behind: its \/healthz says which\)/);
      return true;
    });
  });

  it('GIVEN a server that answered once and then closes THEN ERR_CONNECTION_LOST as before, not an auth refusal', async () => {
    let answered = false;
    const once = await fakeServer((socket) => {
      socket.on('data', () => {
        if (answered) return void socket.destroy();
        answered = true;
        socket.write(createGenerator({ hardwareId: HID }).nextBytes(1));
      });
    });
    const c = client({ servers: [{ address: once, authToken: 'token' }] });
    await c.next();
    await assert.rejects(c.next(), (error: unknown) => {
      assert.equal((error as FlakeryError).code, 'ERR_NO_SERVER_AVAILABLE');
      assert.equal(((error as FlakeryError).cause as FlakeryError).code, 'ERR_CONNECTION_LOST');
      return true;
    });
  });

  it('GIVEN a server whose answer repeats an ID or goes backwards THEN ERR_IDS_OUT_OF_ORDER and no ID reaches the caller', async () => {
    const generator = createGenerator({ hardwareId: HID });
    const reversed = (count: number): Uint8Array => {
      const ids = generator.nextBytes(count);
      const out = new Uint8Array(ids.length);
      for (let i = 0; i < count; i++) out.set(ids.subarray(i * 16, i * 16 + 16), (count - 1 - i) * 16);
      return out;
    };
    const repeated = (count: number): Uint8Array => {
      const ids = generator.nextBytes(count);
      ids.copyWithin(16, 0, 16);
      return ids;
    };
    for (const answer of [reversed, repeated]) {
      const address = await fakeServer((socket) => socket.on('data', (frame) => socket.write(answer(frame.readUInt32BE(frame.length - 4)))));
      await assert.rejects(client({ servers: [address] }).nextBatch(3), (error: unknown) => {
        assert.equal((error as FlakeryError).code, 'ERR_IDS_OUT_OF_ORDER', (error as Error).message);
        assert.match((error as Error).message, new RegExp(address));
        return true;
      });
    }
  });

  it('GIVEN a server whose second answer on a connection starts below its first THEN ERR_IDS_OUT_OF_ORDER', async () => {
    const first = createGenerator({ hardwareId: HID }).nextBytes(1);
    // The same ID each time: the second answer does not go above the first.
    const address = await fakeServer((socket) => socket.on('data', () => socket.write(first)));
    const c = client({ servers: [address] });
    await c.next();
    await assert.rejects(c.next(), (error: unknown) => {
      assert.equal((error as FlakeryError).code, 'ERR_IDS_OUT_OF_ORDER', (error as Error).message);
      return true;
    });
  });

  it('GIVEN close() with requests waiting THEN they reject with ERR_CLIENT_CLOSED', async () => {
    const silent = await fakeServer(() => {});
    const c = createClient({ servers: [silent] });
    const waiting = c.next();
    await new Promise((resolve) => setTimeout(resolve, 0)); // let it connect and send
    await c.close();
    await assert.rejects(waiting, { code: 'ERR_CLIENT_CLOSED' });
    await assert.rejects(c.nextBatch(1), { code: 'ERR_CLIENT_CLOSED' });
  });

  it('decodes: the IDs are the server layout’s', async () => {
    const live = await idServer();
    const c = client({ servers: [live.address] });
    const id = await c.next();
    const fields = decode(id, { layout: 'overt' });
    assert.ok(Math.abs(fields.unixMs - Date.now()) < 60_000);
  });

  it('validates its options eagerly, naming the option', () => {
    assert.throws(() => createClient({ servers: [] }), { code: 'ERR_INVALID_OPTION', option: 'servers' });
    assert.throws(() => createClient({ servers: ['nohost'] }), { option: 'servers[0]' });
    assert.throws(() => createClient({ servers: ['a:1'], connectTimeoutMs: 0 }), { option: 'connectTimeoutMs' });
    assert.throws(() => createClient({ servers: [{ address: 'a:1', authToken: 'x'.repeat(256) }] }), (error: unknown) => {
      assert.ok(error instanceof FlakeryError);
      assert.ok(!error.message.includes('xxxx'), 'the token must not appear in the message');
      return true;
    });
    assert.throws(() => createClient({ servers: ['a:1'], layout: 'snowflake', idSize: 16 }), { option: 'idSize' });
    assert.equal(createClient({ servers: ['a:1'], layout: 'snowflake' }).idSize, 8);
  });
});
