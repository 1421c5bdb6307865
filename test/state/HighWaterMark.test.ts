import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { ClockError, FlakeryError } from '../../src/errors.js';
import { HighWaterMark } from '../../src/state/HighWaterMark.js';

const root = mkdtempSync(join(tmpdir(), 'flakery-hwm-'));
after(() => rmSync(root, { recursive: true, force: true }));

let dirs = 0;
/** A fresh empty directory and a state file path inside it. */
function freshPath(): { dir: string; path: string } {
  const dir = join(root, `d${dirs++}`);
  mkdirSync(dir);
  return { dir, path: join(dir, 'flakery.state') };
}

function onDisk(path: string): number {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { version: number; highWaterMarkMs: number };
  assert.equal(parsed.version, 1);
  return parsed.highWaterMarkMs;
}

const T0 = 1_700_000_000_000;

describe('HighWaterMark.open', () => {
  test('GIVEN no file THEN it starts fresh and writes a readable, versioned file', () => {
    const { path } = freshPath();
    const mark = HighWaterMark.open(path);
    assert.equal(mark.restored, false);
    assert.equal(mark.restoredUnixMs, 0);
    const text = readFileSync(path, 'utf8');
    assert.match(text, /^\{"version":1,"highWaterMarkMs":0,"iso":"1970-01-01T00:00:00.000Z"\}\n$/);
  });

  test('GIVEN a file THEN it restores the mark and refuses every time at or before it', () => {
    const { path } = freshPath();
    writeFileSync(path, JSON.stringify({ version: 1, highWaterMarkMs: T0 }));
    const mark = HighWaterMark.open(path);
    assert.equal(mark.restored, true);
    assert.equal(mark.restoredUnixMs, T0);
    for (const t of [T0 - 5000, T0]) {
      assert.throws(
        () => mark.admit(t),
        (err: unknown) =>
          err instanceof ClockError && err.code === 'ERR_WAITING_FOR_START' && err.remainingMs === T0 + 1 - t,
      );
    }
    mark.admit(T0 + 1);
    assert.ok(onDisk(path) >= T0 + 1);
  });

  test('GIVEN IDs admitted before a restart THEN the restarted mark is past all of them', async () => {
    const { path } = freshPath();
    const first = HighWaterMark.open(path, { aheadMs: 50 });
    for (let t = T0; t < T0 + 400; t += 7) first.admit(t);
    await first.close();
    // The process "restarts" with a clock that went back by a minute.
    const second = HighWaterMark.open(path, { aheadMs: 50 });
    assert.ok(second.restoredUnixMs >= T0 + 399);
    assert.throws(() => second.admit(T0 - 60_000), { code: 'ERR_WAITING_FOR_START' });
    assert.throws(() => second.admit(T0 + 399), { code: 'ERR_WAITING_FOR_START' });
  });

  const corrupt: Array<{ title: string; contents: string; problem: RegExp }> = [
    { title: 'not JSON', contents: '{"version":1,"highWater', problem: /not valid JSON/ },
    { title: 'empty', contents: '', problem: /not valid JSON/ },
    { title: 'a JSON array', contents: '[1]', problem: /JSON object/ },
    { title: 'an unknown version', contents: '{"version":2,"highWaterMarkMs":5}', problem: /"version" is 2/ },
    { title: 'no version', contents: '{"highWaterMarkMs":5}', problem: /"version" is undefined/ },
    { title: 'a negative mark', contents: '{"version":1,"highWaterMarkMs":-1}', problem: /"highWaterMarkMs" is -1/ },
    { title: 'a fractional mark', contents: '{"version":1,"highWaterMarkMs":1.5}', problem: /"highWaterMarkMs" is 1.5/ },
    { title: 'a string mark', contents: '{"version":1,"highWaterMarkMs":"5"}', problem: /"highWaterMarkMs" is "5"/ },
    {
      title: 'a mark past any date',
      contents: '{"version":1,"highWaterMarkMs":9000000000000000}',
      problem: /expected an integer from 0 to 8640000000000000/,
    },
  ];
  for (const { title, contents, problem } of corrupt) {
    test(`GIVEN a file with ${title} THEN ERR_STATE_FILE names the path and the problem`, () => {
      const { path } = freshPath();
      writeFileSync(path, contents);
      assert.throws(
        () => HighWaterMark.open(path),
        (err: unknown) =>
          err instanceof FlakeryError &&
          err.code === 'ERR_STATE_FILE' &&
          err.message.includes(path) &&
          problem.test(err.message),
      );
      assert.equal(readFileSync(path, 'utf8'), contents, 'a corrupt file is left alone for inspection');
    });
  }

  test('GIVEN a path that is a directory THEN ERR_STATE_FILE says it cannot be read', () => {
    const { dir } = freshPath();
    assert.throws(() => HighWaterMark.open(dir), (err: unknown) => {
      return err instanceof FlakeryError && err.code === 'ERR_STATE_FILE' && /cannot read it/.test(err.message);
    });
  });

  test('GIVEN a directory that does not exist THEN open creates it and its parents, and starts fresh', () => {
    const path = join(root, 'no-such-dir', 'nested', 'flakery.state');
    const mark = HighWaterMark.open(path);
    assert.equal(mark.restored, false);
    assert.equal(onDisk(path), 0);
  });

  test('GIVEN a directory that cannot be created THEN open fails at start, naming it and what to do', () => {
    const { dir } = freshPath();
    const inTheWay = join(dir, 'a-file');
    writeFileSync(inTheWay, '');
    const path = join(inTheWay, 'state', 'flakery.state');
    assert.throws(() => HighWaterMark.open(path), (err: unknown) => {
      assert.ok(err instanceof FlakeryError);
      assert.equal(err.code, 'ERR_STATE_FILE');
      assert.match(err.message, new RegExp(`cannot create its directory ${join(inTheWay, 'state')}: ENOTDIR`));
      assert.match(err.message, /create the directory \(writable by this user\) or choose another --state-file/);
      return true;
    });
  });

  test('GIVEN out-of-range options THEN InvalidOptionError names them', () => {
    const { path } = freshPath();
    assert.throws(() => HighWaterMark.open(path, { aheadMs: 0 }), { code: 'ERR_INVALID_OPTION', message: /aheadMs/ });
    assert.throws(() => HighWaterMark.open(path, { aheadMs: 100, refreshBelowMs: 101 }), {
      code: 'ERR_INVALID_OPTION',
      message: /refreshBelowMs must be an integer from 0 to aheadMs \(100\)/,
    });
  });
});

describe('HighWaterMark.admit (write ahead)', () => {
  test('GIVEN admits without pauses THEN a mark >= each admitted time is on disk when admit returns', () => {
    const { path } = freshPath();
    const mark = HighWaterMark.open(path, { aheadMs: 100 });
    for (const t of [T0, T0 + 1, T0 + 50, T0 + 99, T0 + 100, T0 + 101, T0 + 5000, T0 + 4000, T0 + 5101]) {
      mark.admit(t);
      assert.ok(onDisk(path) >= t, `file holds ${onDisk(path)} after admit(${t})`);
    }
  });

  test('GIVEN steady load THEN extensions are written in the background and admit never waits', async () => {
    const { path } = freshPath();
    const mark = HighWaterMark.open(path, { aheadMs: 100 });
    for (let t = T0; t < T0 + 2000; t += 1) {
      mark.admit(t);
      assert.ok(onDisk(path) >= t);
      // Give the background write the event-loop turns it needs; real time passes between ms too.
      if (t % 10 === 0) await mark.settled();
    }
    const status = mark.status();
    assert.equal(status.syncWrites, 1, 'only the very first admit waits for a write');
    assert.ok(status.asyncWrites >= 19, `asyncWrites ${status.asyncWrites}`);
    assert.ok(status.durableUnixMs >= T0 + 1999);
    await mark.close();
  });

  test('GIVEN a synchronous write while a background write is in flight THEN the larger mark wins', async () => {
    const { dir, path } = freshPath();
    const mark = HighWaterMark.open(path, { aheadMs: 1000 });
    mark.admit(T0); // sync: mark T0 + 1000
    mark.admit(T0 + 600); // less than half left: background write of T0 + 1600 starts
    mark.admit(T0 + 1200); // past the durable mark before it finished: sync write of T0 + 2200
    assert.equal(onDisk(path), T0 + 2200);
    await mark.settled();
    assert.equal(onDisk(path), T0 + 2200, 'the background write must not rename its smaller mark over it');
    assert.equal(mark.status().durableUnixMs, T0 + 2200);
    assert.deepEqual(readdirSync(dir), ['flakery.state'], 'no temporary files are left behind');
  });

  test('PROPERTY: whatever the order of admits and background completions, the file covers every admitted time and never goes down', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: -50, max: 400 }), fc.boolean()), { minLength: 1, maxLength: 40 }),
        async (steps) => {
          const { path } = freshPath();
          const mark = HighWaterMark.open(path, { aheadMs: 100 });
          let t = T0;
          let maxAdmitted = 0;
          let previous = onDisk(path);
          for (const [delta, settle] of steps) {
            t = Math.max(1, t + delta);
            mark.admit(t);
            maxAdmitted = Math.max(maxAdmitted, t);
            const now = onDisk(path);
            assert.ok(now >= maxAdmitted && now >= previous);
            previous = now;
            if (settle) await mark.settled();
          }
          await mark.close();
          assert.ok(onDisk(path) >= maxAdmitted);
        },
      ),
      { numRuns: 60 },
    );
  });

  test('GIVEN the state file cannot be written THEN admit refuses with ERR_STATE_FILE instead of issuing', () => {
    const { dir, path } = freshPath();
    const mark = HighWaterMark.open(path, { aheadMs: 100 });
    mark.admit(T0);
    rmSync(dir, { recursive: true });
    mark.admit(T0 + 99); // still covered by the mark written before the failure
    for (let i = 0; i < 3; i += 1) {
      assert.throws(
        () => mark.admit(T0 + 101 + i),
        (err: unknown) =>
          err instanceof FlakeryError &&
          err.code === 'ERR_STATE_FILE' &&
          err.message.includes(path) &&
          /refusing to issue IDs/.test(err.message),
      );
    }
    assert.match(mark.status().lastError ?? '', /ENOENT/);
    // Once the directory is back, the node recovers by itself.
    mkdirSync(dir);
    mark.admit(T0 + 200);
    assert.ok(onDisk(path) >= T0 + 200);
    assert.equal(mark.status().lastError, undefined);
  });

  test('GIVEN a closed mark THEN admit refuses', async () => {
    const { path } = freshPath();
    const mark = HighWaterMark.open(path);
    await mark.close();
    assert.throws(() => mark.admit(T0), { code: 'ERR_STATE_FILE', message: /closed/ });
  });
});
