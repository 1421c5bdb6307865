import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlakeryError, InvalidOptionError } from '../../errors.js';
import { checkWorkerId } from './workerIdRange.js';

export interface WorkerIdLockOptions {
  /**
   * Separates unrelated deployments on one host, which may use the same worker ids without
   * conflict (different epochs or ID streams). Letters, digits, `.`, `_`, `-`; default `default`.
   */
  namespace?: string;
  /**
   * `abstract-socket` (Linux: the kernel frees it when the process dies, however it dies) or
   * `pidfile` (elsewhere: a file holding the pid, taken over when that pid is no longer alive).
   * Default: `abstract-socket` on Linux, `pidfile` elsewhere.
   */
  mechanism?: 'abstract-socket' | 'pidfile';
  /** Where pid files go. Default: the OS temporary directory. */
  pidFileDir?: string;
}

/**
 * A host-local lock on a snowflake worker id, so that two processes on one host configured with
 * the same id cannot both run: the second refuses to start with `ERR_WORKER_ID_IN_USE`. It guards
 * against the common mistake (copy-pasted config, a second instance started by hand); it cannot
 * see other hosts, nor processes in another network namespace (containers with their own
 * network), which must get distinct ids by configuration or from a lease.
 *
 * On Linux it binds an abstract unix socket, `\0flakery/worker/<namespace>/<id>`: it has no file
 * to go stale, and the kernel releases it when the process exits, even by SIGKILL or a crash.
 * Elsewhere it creates a pid file exclusively and takes it over only when the pid in it is no
 * longer alive. (Two processes taking over the same stale pid file at the same instant can
 * race; the socket has no such window.)
 */
export class WorkerIdLock {
  readonly workerId: number;
  /** What holds the lock: the socket name (with `\0` shown as `@`) or the pid file's path. */
  readonly holder: string;
  readonly #release: () => Promise<void>;
  #released = false;

  private constructor(workerId: number, holder: string, release: () => Promise<void>) {
    this.workerId = workerId;
    this.holder = holder;
    this.#release = release;
  }

  /** Takes the lock or throws `ERR_WORKER_ID_IN_USE` naming the id and the other holder. */
  static async acquire(workerId: number, options: WorkerIdLockOptions = {}): Promise<WorkerIdLock> {
    checkWorkerId(workerId, 'machineId');
    const namespace = options.namespace ?? 'default';
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(namespace)) {
      throw new InvalidOptionError(
        'namespace',
        `worker id lock namespace must be 1 to 64 letters, digits, ".", "_" or "-", got ${JSON.stringify(namespace)}`,
      );
    }
    const mechanism = options.mechanism ?? (process.platform === 'linux' ? 'abstract-socket' : 'pidfile');
    return mechanism === 'abstract-socket'
      ? WorkerIdLock.#bindSocket(workerId, namespace)
      : WorkerIdLock.#createPidFile(workerId, namespace, options.pidFileDir ?? tmpdir());
  }

  /** Releases the lock (idempotent). Exiting the process releases it too. */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    await this.#release();
  }

  static async #bindSocket(workerId: number, namespace: string): Promise<WorkerIdLock> {
    const name = `\0flakery/worker/${namespace}/${workerId}`;
    const shown = `@${name.slice(1)}`;
    const server: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        reject(
          err.code === 'EADDRINUSE'
            ? inUse(workerId, `another process on this host holds the abstract socket ${shown}`)
            : new FlakeryError('ERR_WORKER_ID', `cannot lock worker id ${workerId} (${shown}): ${err.message}`, {
                cause: err,
              }),
        );
      });
      server.listen({ path: name, exclusive: true }, () => resolve());
    });
    // The lock must not keep a finished process alive; it lives exactly as long as the process.
    server.unref();
    return new WorkerIdLock(workerId, shown, () => new Promise<void>((resolve) => server.close(() => resolve())));
  }

  static #createPidFile(workerId: number, namespace: string, dir: string): WorkerIdLock {
    const path = join(dir, `flakery-worker-${namespace}-${workerId}.pid`);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        const fd = openSync(path, 'wx', 0o644);
        try {
          writeSync(fd, `${process.pid}\n`);
        } finally {
          closeSync(fd);
        }
        return new WorkerIdLock(workerId, path, async () => {
          // Remove only our own file: a stale-lock takeover may have replaced it.
          if (readPid(path) === process.pid) unlinkSync(path);
        });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new FlakeryError('ERR_WORKER_ID', `cannot lock worker id ${workerId} (${path}): ${(err as Error).message}`, {
            cause: err,
          });
        }
      }
      const pid = readPid(path);
      if (pid !== undefined && isAlive(pid)) {
        throw inUse(workerId, `process ${pid} holds the pid file ${path}`);
      }
      // Stale (the holder died without cleaning up) or unreadable: take it over once.
      try {
        unlinkSync(path);
      } catch {
        // Someone else removed it first; the exclusive create decides.
      }
    }
    throw inUse(workerId, `another process keeps recreating the pid file ${path}`);
  }
}

function inUse(workerId: number, detail: string): FlakeryError {
  return new FlakeryError(
    'ERR_WORKER_ID_IN_USE',
    `worker id ${workerId} is already in use on this host: ${detail}. Two generators with one worker id ` +
      'would issue duplicate IDs; give each process its own id (machineId, --worker-id-from)',
  );
}

function readPid(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else, which still means alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
