import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, test } from 'node:test';
import { FlakeryError } from '../../../src/errors.js';
import { WorkerIdLock, type WorkerIdLockOptions } from '../../../src/machine/workerId/WorkerIdLock.js';

const lockModule = new URL('../../../src/machine/workerId/WorkerIdLock.js', import.meta.url).href;
const pidFileDir = mkdtempSync(join(tmpdir(), 'flakery-lock-'));
const children = new Set<ChildProcess>();
after(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(pidFileDir, { recursive: true, force: true });
});

/**
 * Starts a separate node process that takes the lock and holds it until killed. Resolves with
 * its first line of output: `locked`, or `error <code> <message>` (it then exits with status 3).
 */
async function spawnHolder(workerId: number, options: WorkerIdLockOptions) {
  const script = `
    import { WorkerIdLock } from ${JSON.stringify(lockModule)};
    try {
      await WorkerIdLock.acquire(${workerId}, ${JSON.stringify(options)});
      console.log('locked');
      setInterval(() => {}, 1 << 30);
    } catch (err) {
      console.log('error ' + err.code + ' ' + err.message);
      process.exit(3);
    }`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const lines = createInterface({ input: child.stdout! });
  const [firstLine] = (await once(lines, 'line')) as [string];
  return { child, firstLine, exited };
}

const mechanisms: Array<{ name: string; options: WorkerIdLockOptions }> = [
  ...(process.platform === 'linux' ? [{ name: 'abstract socket', options: { mechanism: 'abstract-socket' as const } }] : []),
  { name: 'pid file', options: { mechanism: 'pidfile', pidFileDir } },
];

let namespaces = 0;
for (const { name, options: base } of mechanisms) {
  describe(`WorkerIdLock (${name})`, () => {
    // Each test gets its own namespace, so tests and parallel runs never see each other's locks.
    const fresh = (): WorkerIdLockOptions => ({ ...base, namespace: `test-${process.pid}-${namespaces++}` });

    test('GIVEN another process holds the id THEN acquire refuses with ERR_WORKER_ID_IN_USE, in-process and in a second process', async () => {
      const options = fresh();
      const holder = await spawnHolder(7, options);
      assert.equal(holder.firstLine, 'locked');

      await assert.rejects(WorkerIdLock.acquire(7, options), (err: unknown) => {
        return (
          err instanceof FlakeryError &&
          err.code === 'ERR_WORKER_ID_IN_USE' &&
          /worker id 7 is already in use on this host/.test(err.message)
        );
      });
      const second = await spawnHolder(7, options);
      assert.match(second.firstLine, /^error ERR_WORKER_ID_IN_USE worker id 7 is already in use/);
      assert.deepEqual(await second.exited, [3, null]);

      holder.child.kill('SIGKILL');
      await holder.exited;
    });

    test('GIVEN the holder is killed with SIGKILL THEN the id can be taken at once', async () => {
      const options = fresh();
      const holder = await spawnHolder(511, options);
      assert.equal(holder.firstLine, 'locked');
      holder.child.kill('SIGKILL');
      assert.deepEqual(await holder.exited, [null, 'SIGKILL']);

      const lock = await WorkerIdLock.acquire(511, options);
      assert.equal(lock.workerId, 511);
      await lock.release();
    });

    test('GIVEN the holder releases THEN another process can take the id', async () => {
      const options = fresh();
      const lock = await WorkerIdLock.acquire(0, options);
      await assert.rejects(WorkerIdLock.acquire(0, options), { code: 'ERR_WORKER_ID_IN_USE' });
      await lock.release();
      await lock.release(); // idempotent
      if (base.mechanism === 'pidfile') assert.equal(existsSync(lock.holder), false);

      const holder = await spawnHolder(0, options);
      assert.equal(holder.firstLine, 'locked');
      holder.child.kill('SIGKILL');
      await holder.exited;
    });

    test('GIVEN different ids or namespaces THEN locks do not conflict', async () => {
      const options = fresh();
      const a = await WorkerIdLock.acquire(1, options);
      const b = await WorkerIdLock.acquire(2, options);
      const c = await WorkerIdLock.acquire(1, fresh());
      await Promise.all([a.release(), b.release(), c.release()]);
    });
  });
}

describe('WorkerIdLock options', () => {
  test('GIVEN an id out of 0..1023 THEN InvalidOptionError names the range', async () => {
    for (const id of [-1, 1024, 1.5, Number.NaN]) {
      await assert.rejects(WorkerIdLock.acquire(id), {
        code: 'ERR_INVALID_OPTION',
        message: /machineId must be an integer from 0 to 1023/,
      });
    }
  });

  test('GIVEN a namespace with a slash THEN InvalidOptionError', async () => {
    await assert.rejects(WorkerIdLock.acquire(1, { namespace: 'a/b' }), {
      code: 'ERR_INVALID_OPTION',
      message: /namespace/,
    });
  });
});
