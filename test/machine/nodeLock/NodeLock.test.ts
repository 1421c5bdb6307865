import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, test } from 'node:test';
import { FlakeryError } from '../../../src/errors.js';
import { NodeLock, type NodeLockOptions } from '../../../src/machine/nodeLock/NodeLock.js';

const lockModule = new URL('../../../src/machine/nodeLock/NodeLock.js', import.meta.url).href;
const pidFileDir = mkdtempSync(join(tmpdir(), 'flakery-lock-'));
const children = new Set<ChildProcess>();
const worker = (workerId: number) => ({ kind: 'worker', workerId }) as const;
const overt = (hex: string, processId: number) => ({ kind: 'overt', hardwareId: Buffer.from(hex, 'hex'), processId }) as const;
after(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(pidFileDir, { recursive: true, force: true });
});

/**
 * Starts a separate node process that takes the lock and holds it until killed. Resolves with
 * its first line of output: `locked`, or `error <code> <message>` (it then exits with status 3).
 */
async function spawnHolder(workerId: number, options: NodeLockOptions) {
  const script = `
    import { NodeLock } from ${JSON.stringify(lockModule)};
    try {
      await NodeLock.acquire({ kind: 'worker', workerId: ${workerId} }, ${JSON.stringify(options)});
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

const mechanisms: Array<{ name: string; options: NodeLockOptions }> = [
  ...(process.platform === 'linux' ? [{ name: 'abstract socket', options: { mechanism: 'abstract-socket' as const } }] : []),
  { name: 'pid file', options: { mechanism: 'pidfile', pidFileDir } },
];

let namespaces = 0;
for (const { name, options: base } of mechanisms) {
  describe(`NodeLock (${name})`, () => {
    // Each test gets its own namespace, so tests and parallel runs never see each other's locks.
    const fresh = (): NodeLockOptions => ({ ...base, namespace: `test-${process.pid}-${namespaces++}` });

    test('GIVEN another process holds the id THEN acquire refuses with ERR_WORKER_ID_IN_USE, in-process and in a second process', async () => {
      const options = fresh();
      const holder = await spawnHolder(7, options);
      assert.equal(holder.firstLine, 'locked');

      await assert.rejects(NodeLock.acquire(worker(7), options), (err: unknown) => {
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

      const lock = await NodeLock.acquire(worker(511), options);
      assert.deepEqual(lock.identity, worker(511));
      await lock.release();
    });

    test('GIVEN the holder releases THEN another process can take the id', async () => {
      const options = fresh();
      const lock = await NodeLock.acquire(worker(0), options);
      await assert.rejects(NodeLock.acquire(worker(0), options), { code: 'ERR_WORKER_ID_IN_USE' });
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
      const a = await NodeLock.acquire(worker(1), options);
      const b = await NodeLock.acquire(worker(2), options);
      const c = await NodeLock.acquire(worker(1), fresh());
      await Promise.all([a.release(), b.release(), c.release()]);
    });

    test('GIVEN one overt hardware id + process id taken twice in one process THEN the second is refused with ERR_NODE_ID_IN_USE', async () => {
      const options = fresh();
      const lock = await NodeLock.acquire(overt('0242ac110002', 1), options);
      await assert.rejects(NodeLock.acquire(overt('0242ac110002', 1), options), (err: unknown) => {
        return (
          err instanceof FlakeryError &&
          err.code === 'ERR_NODE_ID_IN_USE' &&
          /hardware id 0242ac110002 with process id 1 is already in use on this host/.test(err.message) &&
          /leave processId unset/.test(err.message)
        );
      });
      await lock.release();
      const again = await NodeLock.acquire(overt('0242ac110002', 1), options);
      await again.release();
    });

    test('GIVEN overt identities that differ in hardware id or process id, or a worker id of the same number THEN they do not conflict', async () => {
      const options = fresh();
      const locks = [
        await NodeLock.acquire(overt('0242ac110002', 1), options),
        await NodeLock.acquire(overt('0242ac110002', 2), options),
        await NodeLock.acquire(overt('0242ac110003', 1), options),
        await NodeLock.acquire(worker(1), options),
      ];
      await Promise.all(locks.map((lock) => lock.release()));
    });
  });
}

describe('NodeLock options', () => {
  test('GIVEN an id out of 0..1023 THEN InvalidOptionError names the range', async () => {
    for (const id of [-1, 1024, 1.5, Number.NaN]) {
      await assert.rejects(NodeLock.acquire(worker(id)), {
        code: 'ERR_INVALID_OPTION',
        message: /machineId must be an integer from 0 to 1023/,
      });
    }
  });

  test('GIVEN an overt identity whose hardware id is not 6 bytes or whose process id is out of 0..65535 THEN InvalidOptionError', async () => {
    await assert.rejects(NodeLock.acquire(overt('0242ac11', 1)), { code: 'ERR_INVALID_OPTION', message: /hardwareId must be exactly 6 bytes/ });
    for (const processId of [-1, 65536, 1.5]) {
      await assert.rejects(NodeLock.acquire(overt('0242ac110002', processId)), {
        code: 'ERR_INVALID_OPTION',
        message: /processId must be an integer from 0 to 65535/,
      });
    }
  });

  test('GIVEN a namespace with a slash THEN InvalidOptionError', async () => {
    await assert.rejects(NodeLock.acquire(worker(1), { namespace: 'a/b' }), {
      code: 'ERR_INVALID_OPTION',
      message: /namespace/,
    });
  });
});
