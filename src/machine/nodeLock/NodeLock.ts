import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlakeryError, InvalidOptionError } from '../../errors.js';
import { type NodeIdentity, checkNodeIdentity, describeNodeIdentity, nodeIdentityInUse, nodeIdentityParts } from './NodeIdentity.js';

export interface NodeLockOptions {
  /**
   * Separates unrelated deployments on one host, which may use the same identities without
   * conflict (different epochs or ID streams). Letters, digits, `.`, `_`, `-`; default the
   * environment variable `FLAKERY_LOCK_NAMESPACE` (so the command line can be given one), else
   * `default`.
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
 * A host-local lock on a {@link NodeIdentity} (a snowflake worker id, or an overt hardware id +
 * process id), so that two processes on one host with the same identity cannot both generate:
 * the second is refused with `ERR_WORKER_ID_IN_USE` or `ERR_NODE_ID_IN_USE`. It guards against
 * the common mistakes (copy-pasted config, a second instance started by hand, two containers
 * that are both pid 1); it cannot see other hosts, nor processes in another network namespace,
 * which must get distinct identities by configuration or from a lease.
 *
 * On Linux it binds an abstract unix socket,
 * `\0flakery/worker/<namespace>/<id>` or `\0flakery/overt/<namespace>/<hex>/<process id>`. It
 * has no file to go stale, the kernel releases it when the process exits, even by SIGKILL or a
 * crash, and it belongs to the network namespace, not the PID namespace: containers sharing the
 * host's network see each other's locks even though each is pid 1. Elsewhere it creates a pid
 * file exclusively and takes it over only when the pid in it is no longer alive. (Two processes
 * taking over the same stale pid file at the same instant can race; the socket has no such window.)
 */
export class NodeLock {
  readonly identity: NodeIdentity;
  /** What holds the lock: the socket name (with `\0` shown as `@`) or the pid file's path. */
  readonly holder: string;
  readonly #release: () => Promise<void>;
  #released = false;

  private constructor(identity: NodeIdentity, holder: string, release: () => Promise<void>) {
    this.identity = identity;
    this.holder = holder;
    this.#release = release;
  }

  /** Takes the lock or throws the identity's in-use error naming the other holder. */
  static async acquire(identity: NodeIdentity, options: NodeLockOptions = {}): Promise<NodeLock> {
    const checked = checkNodeIdentity(identity);
    const fromEnv = options.namespace === undefined ? process.env.FLAKERY_LOCK_NAMESPACE : undefined;
    const namespace = options.namespace ?? (fromEnv || 'default');
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(namespace)) {
      const name = fromEnv ? 'FLAKERY_LOCK_NAMESPACE' : 'namespace';
      throw new InvalidOptionError(name, `${name}: the node lock namespace must be 1 to 64 letters, digits, ".", "_" or "-", got ${JSON.stringify(namespace)}`);
    }
    const mechanism = options.mechanism ?? (process.platform === 'linux' ? 'abstract-socket' : 'pidfile');
    return mechanism === 'abstract-socket'
      ? NodeLock.#bindSocket(checked, namespace)
      : NodeLock.#createPidFile(checked, namespace, options.pidFileDir ?? tmpdir());
  }

  /** Releases the lock (idempotent). Exiting the process releases it too. */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    await this.#release();
  }

  static async #bindSocket(identity: NodeIdentity, namespace: string): Promise<NodeLock> {
    const [kind, ...id] = nodeIdentityParts(identity);
    const name = `\0flakery/${kind}/${namespace}/${id.join('/')}`;
    const shown = `@${name.slice(1)}`;
    const server: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        reject(
          err.code === 'EADDRINUSE'
            ? nodeIdentityInUse(identity, `another process on this host holds the abstract socket ${shown}`)
            : cannotLock(identity, shown, err),
        );
      });
      server.listen({ path: name, exclusive: true }, () => resolve());
    });
    // The lock must not keep a finished process alive; it lives exactly as long as the process.
    server.unref();
    return new NodeLock(identity, shown, () => new Promise<void>((resolve) => server.close(() => resolve())));
  }

  static #createPidFile(identity: NodeIdentity, namespace: string, dir: string): NodeLock {
    const [kind, ...id] = nodeIdentityParts(identity);
    const path = join(dir, `flakery-${kind}-${namespace}-${id.join('-')}.pid`);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        const fd = openSync(path, 'wx', 0o644);
        try {
          writeSync(fd, `${process.pid}\n`);
        } finally {
          closeSync(fd);
        }
        return new NodeLock(identity, path, async () => {
          // Remove only our own file: a stale-lock takeover may have replaced it.
          if (readPid(path) === process.pid) unlinkSync(path);
        });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw cannotLock(identity, path, err as Error);
      }
      const pid = readPid(path);
      if (pid !== undefined && isAlive(pid)) {
        throw nodeIdentityInUse(identity, `process ${pid} holds the pid file ${path}`);
      }
      // Stale (the holder died without cleaning up) or unreadable: take it over once.
      try {
        unlinkSync(path);
      } catch {
        // Someone else removed it first; the exclusive create decides.
      }
    }
    throw nodeIdentityInUse(identity, `another process keeps recreating the pid file ${path}`);
  }
}

function cannotLock(identity: NodeIdentity, holder: string, err: Error): FlakeryError {
  // Not "in use": the lock itself failed (say, a pid file directory that cannot be written).
  const code = identity.kind === 'worker' ? 'ERR_WORKER_ID' : identity.kind === 'stateFile' ? 'ERR_STATE_FILE' : 'ERR_HARDWARE_ID';
  return new FlakeryError(code, `cannot lock ${describeNodeIdentity(identity)} (${holder}): ${err.message}`, { cause: err });
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
