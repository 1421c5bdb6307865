import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { decode } from '../../src/index.js';
import { repoRoot } from '../support/paths.js';

// Crash and restart of the real binary with --state-file, the clock set back for the restart.
//
// The clock is set back with libfaketime, which works with Node 20: Date.now() — the server's
// only clock — reads CLOCK_REALTIME through libc's clock_gettime, which libfaketime intercepts
// (node links libc dynamically). DONT_FAKE_MONOTONIC=1 leaves CLOCK_MONOTONIC alone, so libuv's
// timers and performance.now() run on real time and only the wall clock is shifted;
// FAKETIME_NO_CACHE=1 makes every reading apply the offset afresh; the multi-threaded build
// (libfaketimeMT, `faketime -m`) because node reads the clock from several threads.
//
// The library is preloaded directly (LD_PRELOAD and FAKETIME, exactly what `faketime -m -f -3s`
// sets up) rather than through the `faketime` program, because that program forks the command
// and does not forward signals: SIGTERM would stop the wrapper and orphan the server, and the
// exit status seen would be the wrapper's. Preloaded, node is our direct child.
//
// The first test checks that node really sees the shifted clock, so a libfaketime that stopped
// working fails loudly instead of letting the restart test pass without a step back. The step
// is 3 s to keep the restart's wait (the gap, plus up to 1 s of mark written ahead) short.

const OFFSET_MS = 3_000;
const libfaketime = findLibfaketime();
const fakeEnv = { LD_PRELOAD: libfaketime ?? '', FAKETIME: `-${OFFSET_MS / 1000}s`, DONT_FAKE_MONOTONIC: '1', FAKETIME_NO_CACHE: '1' };
// A worker id no other test's server uses: the worker-id lock is per host.
const NODE_FLAGS = ['--layout', 'snowflake', '--datacenter-id', '29', '--machine-id', '1'];
const SIZE = 8;

/** Debian's libfaketime (package faketime) in its multiarch directory, or undefined. */
function findLibfaketime(): string | undefined {
  for (const base of ['/usr/lib', '/usr/local/lib']) {
    const candidates = [join(base, 'faketime')];
    try {
      for (const entry of readdirSync(base)) candidates.push(join(base, entry, 'faketime'));
    } catch {
      continue;
    }
    const found = candidates.map((d) => join(d, 'libfaketimeMT.so.1')).find((file) => existsSync(file));
    if (found) return found;
  }
  return undefined;
}

const dir = mkdtempSync(join(tmpdir(), 'flakery-restart-'));
const children = new Set<ChildProcess>();
after(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Serve {
  readonly child: ChildProcess;
  stderr(): string;
  /** Resolves with the exit status (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Resolves with the first match of `pattern` on stderr; rejects if the process exits first. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
}

/** `node bin/flakery.js serve …`, its clock 3 s behind when `faked`. */
function serve(args: string[], faked: boolean): Serve {
  const env = faked ? { ...process.env, ...fakeEnv } : process.env;
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'flakery.js'), 'serve', ...args], { cwd: repoRoot, env });
  children.add(child);
  let stderr = '';
  let running = true;
  const waiters: (() => void)[] = [];
  const wake = () => waiters.splice(0).forEach((resolve) => resolve());
  child.stdout!.resume();
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    wake();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => {
      running = false;
      children.delete(child);
      wake();
      resolve(code);
    }),
  );
  return {
    child,
    stderr: () => stderr,
    exited,
    async waitFor(pattern) {
      for (;;) {
        const match = pattern.exec(stderr);
        if (match) return match;
        assert.ok(running, `flakery serve exited before printing ${pattern}; stderr:\n${stderr}`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
  };
}

function addressOf(match: RegExpExecArray): { host: string; port: number } {
  const [host, port] = match[1]!.split(':');
  return { host: host!, port: Number(port) };
}

/**
 * Loads a server from `connections` sockets, each sending `requests` requests of `count` IDs,
 * `depth` of them in flight at a time, then half-closing. `enough` resolves once `want` IDs have
 * arrived; `closed` resolves with every byte each socket received once all are closed (answered,
 * or the server died or refused).
 */
function load(address: { host: string; port: number }, options: { connections: number; requests: number; depth: number; count: number; want: number }) {
  let total = 0;
  let reached: () => void = () => {};
  const enough = new Promise<void>((resolve) => (reached = resolve));
  const frame = Buffer.alloc(4);
  frame.writeUInt32BE(options.count);
  const closed = Promise.all(
    Array.from({ length: options.connections }, () => {
      const socket = connect(address);
      const chunks: Buffer[] = [];
      let sent = 0;
      let answered = 0;
      let received = 0;
      const send = (n: number) => {
        for (let i = 0; i < n && sent < options.requests; i++, sent++) socket.write(frame);
        if (sent === options.requests) socket.end();
      };
      socket.setNoDelay(true);
      socket.on('error', () => {});
      socket.once('connect', () => send(options.depth));
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        total += chunk.length / SIZE;
        received += chunk.length;
        // One more request for each whole answer, so `depth` stay in flight until the last.
        const whole = Math.floor(received / (options.count * SIZE));
        send(whole - answered);
        answered = whole;
        if (total >= options.want) reached();
      });
      return new Promise<Buffer>((resolve) => socket.once('close', () => resolve(Buffer.concat(chunks))));
    }),
  );
  return { enough, closed };
}

/** The whole IDs in `bytes`, checked to be strictly increasing. */
function idsOf(bytes: Buffer): bigint[] {
  const ids: bigint[] = [];
  for (let at = 0; at + SIZE <= bytes.length; at += SIZE) ids.push(bytes.readBigUInt64BE(at));
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!, `ID ${i} of a connection is not above the one before it`);
  return ids;
}

const unixMsOf = (id: bigint) => decode(id, { layout: 'snowflake' }).unixMs;

const skip = libfaketime ? false : 'libfaketime is not installed (npm test installs the faketime package)';

describe('flakery serve --state-file: crash and restart with the clock set back', { skip, timeout: 30_000 }, () => {
  it('GIVEN libfaketime THEN node sees the wall clock shifted and its timers unaffected', () => {
    const script = 'const t = Date.now(); const m = performance.now(); setTimeout(() => console.log(t, Date.now() - t, performance.now() - m), 50)';
    const before = Date.now();
    const result = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, ...fakeEnv }, encoding: 'utf8' });
    const [fakedNow, wallElapsed, monotonicElapsed] = result.stdout.trim().split(' ').map(Number);
    assert.equal(result.status, 0, result.stderr);
    const shift = before - fakedNow!;
    assert.ok(shift > OFFSET_MS - 1_000 && shift < OFFSET_MS + 1_000, `node under faketime saw the clock shifted by ${shift} ms`);
    assert.ok(wallElapsed! >= 49 && monotonicElapsed! >= 49, `a 50 ms timer took ${wallElapsed} ms by the wall clock, ${monotonicElapsed} ms by the monotonic one`);
  });

  it('GIVEN a SIGKILL mid-load THEN a restart 3 s back in time refuses past --max-start-wait, or waits past the mark; no ID repeats or sorts below the first run', async () => {
    const stateFile = join(dir, 'state.json');
    const args = ['--listen', '127.0.0.1:0', '--state-file', stateFile, ...NODE_FLAGS];

    // First run: real clock, loaded from two pipelining connections, killed while they wait.
    const first = serve(args, false);
    const firstLoad = load(addressOf(await first.waitFor(/listening on (\S+)\n/)), { connections: 2, requests: 100, depth: 4, count: 2_000, want: 100_000 });
    await firstLoad.enough;
    first.child.kill('SIGKILL');
    assert.equal(await first.exited, null, 'killed by the signal');
    const firstIds = (await firstLoad.closed).flatMap(idsOf);
    assert.ok(firstIds.length >= 100_000);
    const lastFirst = firstIds.reduce((max, id) => (id > max ? id : max));

    // The clock set back 3 s, with a start wait allowed shorter than the gap: refuse to start.
    const refused = serve([...args, '--max-start-wait', '500ms'], true);
    assert.equal(await refused.exited, 1, refused.stderr());
    assert.match(
      refused.stderr(),
      /^flakery serve: the clock \(\S+\) is \d+ ms behind the high-water mark restored from \S+state\.json \(\S+\), more than the allowed start wait of 500 ms \(--max-start-wait\)/m,
    );
    assert.doesNotMatch(refused.stderr(), /listening on/);

    // The same, with the default start wait: it waits for the clock to pass the mark before it
    // listens (so clients fail over meanwhile), then answers at once.
    const second = serve(args, true);
    const address = addressOf(await second.waitFor(/listening on (\S+)\n/));
    const restored = /state file \S+ \(restored mark (\S+)\)/.exec(second.stderr());
    assert.ok(restored, `the banner names the restored mark:\n${second.stderr()}`);
    const markMs = Date.parse(restored[1]!);
    assert.ok(markMs >= unixMsOf(lastFirst), 'the mark on disk covers every ID the first run sent');
    const log = second.stderr();
    assert.match(log, /waiting \d+ ms for the clock to pass the restored high-water mark before listening/);
    assert.ok(log.indexOf('waiting') < log.indexOf('listening on'), 'it waits before it listens');

    const { closed } = load(address, { connections: 1, requests: 1, depth: 1, count: 1_000, want: 1_000 });
    const [bytes] = await closed;
    const secondIds = idsOf(bytes!);
    assert.equal(secondIds.length, 1_000, 'the first request after listening is answered in full');
    const firstSecond = secondIds[0]!;
    assert.ok(firstSecond > lastFirst, `the restart's first ID ${firstSecond} sorts above the first run's last ${lastFirst}`);
    assert.ok(unixMsOf(firstSecond) > markMs, 'the restart issued its first ID after the restored mark');
    const seen = new Set(firstIds);
    assert.ok(secondIds.every((id) => !seen.has(id)));

    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0, second.stderr());
  });
});
