import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import { runOfsrvr } from '../../src/cli/ofsrvr.js';
import { createClient } from '../../src/client/createClient.js';
import { decode } from '../../src/index.js';
import { RawClient, assertBytesIncreasing, countFrame } from '../server/rawClient.js';
import { repoRoot } from '../support/paths.js';

const children = new Set<ChildProcessWithoutNullStreams>();
after(() => {
  for (const child of children) child.kill('SIGKILL');
});

interface Started {
  readonly child: ChildProcessWithoutNullStreams;
  readonly address: string;
  /** stderr so far. */
  stderr(): string;
  /** Resolves once stderr matches `pattern`. */
  waitFor(pattern: RegExp): Promise<void>;
  exited: Promise<number | null>;
}

/**
 * Starts a real binary and waits for the "listening on HOST:PORT" line of its banner;
 * `openFiles`: under `ulimit -n openFiles`.
 */
function start(bin: string, args: string[], env: Record<string, string> = {}, openFiles?: number): Promise<Started> {
  const argv = [join(repoRoot, 'bin', bin), ...args];
  const options = { cwd: repoRoot, env: { ...process.env, ...env } };
  const child =
    openFiles === undefined
      ? spawn(process.execPath, argv, options)
      : spawn('sh', ['-c', `ulimit -n ${openFiles} && exec "$0" "$@"`, process.execPath, ...argv], options);
  children.add(child);
  let stderr = '';
  const waiters: (() => void)[] = [];
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const wake of waiters.splice(0)) wake();
  });
  child.stdout.resume();
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      children.delete(child);
      for (const wake of waiters.splice(0)) wake();
      resolve(code);
    }),
  );
  let running = true;
  void exited.then(() => (running = false));
  const waitFor = async (pattern: RegExp) => {
    while (!pattern.test(stderr)) {
      assert.ok(running, `${bin} exited; stderr:\n${stderr}`);
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return waitFor(/listening on (\S+)\n/).then(() => ({
    child,
    address: /listening on (\S+)\n/.exec(stderr)![1]!,
    stderr: () => stderr,
    waitFor,
    exited,
  }));
}

function run(bin: string, args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', bin), ...args], { cwd: repoRoot });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.resume();
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

describe('the server binaries', () => {
  it('ofsrvr: serves with overt-flake flags, never prints the token, exits 0 on SIGTERM', async () => {
    const server = await start('ofsrvr.js', ['-ip', '127.0.0.1:0', '-gentype', 'twitter', '-machineid', '5', '-auth', 'tok-secret-123']);
    const client = createClient({ servers: [{ address: server.address, authToken: 'tok-secret-123' }], layout: 'snowflake' });
    const ids = await client.nextBatch(3);
    await client.close();
    assert.equal(decode(ids[0]!, { layout: 'snowflake' }).workerId, 5);
    assert.match(server.stderr(), /auth\s+token required/);
    assert.ok(!server.stderr().includes('tok-secret-123'), 'the banner must not show the token');
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
  });

  it('flakery serve: finishes an answer in flight after SIGTERM, then exits 0', async () => {
    const server = await start('flakery.js', ['serve', '--listen', '127.0.0.1:0', '--hid', '0242ac110002'], { FLAKERY_AUTH_TOKEN: 'env-token' });
    const [host, port] = server.address.split(':');
    const raw = await RawClient.connect(Number(port), host);
    raw.write([0xff, 0xff, 0xff, 9, ...Buffer.from('env-token'), ...countFrame(1_000_000)]);
    const first = await raw.read(16);
    raw.socket.pause(); // the server now waits on a reader that does not read
    server.child.kill('SIGTERM');
    await server.waitFor(/stopping; finishing 1 open connection/);
    raw.socket.resume();
    const rest = await raw.read(999_999 * 16);
    assertBytesIncreasing(Buffer.concat([first, rest]), 16);
    await raw.closed;
    assert.equal(await server.exited, 0);
    assert.match(server.stderr(), /stopped/);
  });

  it('flakery serve under ulimit -n 100 with a state file: caps connections to fit, says so, and 200 idle connections never stop the IDs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'flakery-nofile-'));
    const idle: RawClient[] = [];
    try {
      const args = ['serve', '--listen', '127.0.0.1:0', '--layout', 'snowflake', '--machine-id', '3', '--max-count', '5000000', '--state-file', join(dir, 'state')];
      const server = await start('flakery.js', args, {}, 100);
      assert.match(server.stderr(), /at most 68 connections: the open-file limit \(ulimit -n\) is 100, 32 kept for the state file, Redis and logs/);
      const [host, port] = server.address.split(':');
      const client = await RawClient.connect(Number(port), host);
      client.write(countFrame(1));
      await client.read(8);
      for (let i = 0; i < 200; i++) idle.push(await RawClient.connect(Number(port), host).catch(() => RawClient.connect(Number(port), host)));
      // 5,000,000 snowflake IDs span over 1.2 s of the generator's time (4,096 a millisecond):
      // the state file's mark (1 s ahead) must be written again while the idle connections are open.
      client.write(countFrame(5_000_000));
      assertBytesIncreasing(await client.read(5_000_000 * 8), 8);
      client.socket.destroy();
      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 0);
    } finally {
      for (const connection of idle) connection.socket.destroy();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('bad flags: exit status 2 and one line on stderr', async () => {
    for (const [bin, args] of [
      ['ofsrvr.js', ['-hid', 'abcdef']],
      ['flakery.js', ['serve', '--max-count', 'lots']],
    ] as const) {
      const { status, stderr } = await run(bin, [...args]);
      assert.equal(status, 2, stderr);
      assert.equal(stderr.trimEnd().split('\n').length, 1, stderr);
    }
  });
});

describe('runOfsrvr in process', () => {
  async function runWith(args: string[], stop: AbortSignal) {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let err = '';
    stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    stdout.resume();
    const status = await runOfsrvr(args, { stdout, stderr }, {}, { stop });
    return { status, stderr: err };
  }

  it('warns when listening on every interface without auth', async () => {
    const { status, stderr } = await runWith(['-ip', '0.0.0.0:0', '-hidtype', 'fixed', '-hid', 'abcdef'], AbortSignal.abort());
    assert.equal(status, 0);
    assert.match(stderr, /warning: listening on every interface \(0\.0\.0\.0:0\) without an auth token/);
  });

  it('does not warn with a token, or on a private address', async () => {
    for (const args of [['-ip', '0.0.0.0:0', '-auth', 't'], ['-ip', '127.0.0.1:0']]) {
      const { stderr } = await runWith([...args, '-hidtype', 'fixed', '-hid', 'abcdef'], AbortSignal.abort());
      assert.doesNotMatch(stderr, /every interface/);
    }
  });

  it('GIVEN the address is in use THEN exit status 1 and a clear line', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = holder.address() as { port: number };
      const { status, stderr } = await runWith(['-ip', `127.0.0.1:${port}`, '-hidtype', 'fixed', '-hid', 'abcdef'], new AbortController().signal);
      assert.equal(status, 1);
      assert.match(stderr, new RegExp(`ofsrvr: cannot listen on 127\\.0\\.0\\.1:${port}: the address is in use`));
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});
