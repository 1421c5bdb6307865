import assert from 'node:assert/strict';
import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type NativeLoadInput, type NativeLoadResult, nativeLoadBinary, runNativeLoad } from '../../../bench/load/NativeLoad.js';
import { createGenerator } from '../../../src/createGenerator.js';
import { TcpIdServer } from '../../../src/server/TcpIdServer.js';

/**
 * The native load generator is what the server benchmark's figures rest on, so it is checked
 * against real servers here: that it counts what it gets, and that its order and error checks
 * do fail when a server misbehaves.
 */
let binary: string;
let server: TcpIdServer;
let port: number;

const base: Omit<NativeLoadInput, 'port'> = {
  listener: 'tcp',
  host: '127.0.0.1',
  connections: 2,
  idsPerRequest: 3,
  idSize: 8,
  depth: 1,
  warmupMs: 50,
  durationMs: 300,
  spin: false,
};

function run(input: NativeLoadInput): Promise<NativeLoadResult & { edges: string[] }> {
  const edges: string[] = [];
  return runNativeLoad(binary, input, { onStart: () => edges.push('start'), onEnd: () => edges.push('end') }).then((result) => ({
    ...result,
    edges,
  }));
}

/** A raw server answering each 4-byte frame with `answer(count)`. */
async function rawServer(answer: (count: number, socket: Socket) => void): Promise<{ server: Server; port: number }> {
  const raw = createServer((socket) => {
    socket.on('error', () => {});
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4) {
        answer(pending.readUInt32BE(0), socket);
        pending = pending.subarray(4);
      }
    });
  });
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
  return { server: raw, port: (raw.address() as AddressInfo).port };
}

describe('native load generator (bench/load/native/loadgen.c)', () => {
  before(async () => {
    const compiled = nativeLoadBinary();
    assert.ok('path' in compiled, 'missing' in compiled ? compiled.missing : '');
    binary = compiled.path;
    server = new TcpIdServer({ service: createGenerator({ layout: 'snowflake', machineId: 9 }) });
    port = (await server.listen({ host: '127.0.0.1', port: 0 })).port;
  });
  after(() => server.close({ timeoutMs: 1000 }));

  it('GIVEN a Flakery server, closed loop THEN it reports answered requests, every ID in order, no errors', async () => {
    const result = await run({ ...base, port });
    assert.deepEqual(result.edges, ['start', 'end']);
    assert.ok(result.requests > 0);
    assert.equal(result.ids, result.requests * 3);
    assert.equal(result.violations, 0);
    assert.equal(result.errors, 0);
    assert.ok(result.idsChecked >= result.ids, 'IDs outside the window are checked too');
    assert.ok(result.p50Ms > 0 && result.p50Ms <= result.p99Ms && result.p99Ms <= result.maxMs + 0.001);
    assert.ok(result.windowMs >= 300, `window ${result.windowMs} ms: it never ends early`);
  });

  // A server that answers nothing until the window has ended: what the load generator sends
  // meanwhile is what its loop sends on its own, not what answers let it send.
  async function sentWhileUnanswered(input: Omit<NativeLoadInput, 'port'>): Promise<{ frames: number; result: NativeLoadResult }> {
    const held: { socket: Socket; count: number }[] = [];
    let frames = 0;
    let next = 1n;
    let answering = false;
    const answer = ({ socket, count }: { socket: Socket; count: number }) => {
      const out = Buffer.alloc(count * 8);
      for (let i = 0; i < count; i++) out.writeBigUInt64BE(next++, i * 8);
      socket.write(out);
    };
    const raw = await rawServer((count, socket) => {
      frames += 1;
      if (answering) answer({ socket, count });
      else held.push({ socket, count });
    });
    try {
      const result = await runNativeLoad(binary, { ...input, port: raw.port }, {
        onStart: () => {},
        onEnd: () => {
          answering = true;
          for (const request of held.splice(0)) answer(request);
        },
      });
      return { frames, result };
    } finally {
      raw.server.close();
    }
  }

  it('GIVEN no answers, closed loop THEN it keeps exactly depth requests in flight per connection', async () => {
    const { frames, result } = await sentWhileUnanswered({ ...base, connections: 2, depth: 3, idsPerRequest: 1 });
    assert.equal(frames, 2 * 3);
    assert.equal(result.violations, 0);
    assert.equal(result.errors, 0);
  });

  it('GIVEN no answers, open loop THEN it keeps sending on schedule until 64 are in flight per connection, and counts the rest as lost', async () => {
    const { frames, result } = await sentWhileUnanswered({ ...base, connections: 2, depth: 1, idsPerRequest: 1, ratePerSecond: 2000 });
    // Closed loop would stop at 2 × 1. Warm-up and window schedule 700 requests; however late the
    // loop runs, it sends every request that is due, so the 128 slots fill and the rest are lost.
    assert.equal(frames, 2 * 64);
    assert.ok(result.errors > 0, 'requests due while 64 are in flight are counted as errors');
    assert.equal(result.violations, 0);
  });

  it('GIVEN a server whose IDs go down THEN it counts order violations', async () => {
    let next = 1_000_000;
    const raw = await rawServer((count, socket) => {
      const out = Buffer.alloc(count * 8);
      for (let i = 0; i < count; i++) out.writeBigUInt64BE(BigInt(next--), i * 8);
      socket.write(out);
    });
    try {
      const result = await run({ ...base, port: raw.port, connections: 1 });
      assert.ok(result.requests > 0);
      assert.ok(result.violations > 0);
    } finally {
      raw.server.close();
    }
  });

  it('GIVEN a server that hangs up THEN it counts errors', async () => {
    const raw = await rawServer((_count, socket) => socket.destroy());
    try {
      const result = await run({ ...base, port: raw.port, connections: 2 });
      assert.equal(result.requests, 0);
      assert.ok(result.errors >= 2, `${result.errors} errors`);
    } finally {
      raw.server.close();
    }
  });
});
