import { hostname as osHostname } from 'node:os';
import { InvalidOptionError } from '../../errors.js';
import { RedisWorkerIdSource, type RedisWorkerIdOptions } from './RedisWorkerIdSource.js';
import { StaticWorkerIdSource } from './StaticWorkerIdSource.js';
import { workerIdFromEnv, workerIdFromHostname } from './staticWorkerIds.js';
import type { WorkerIdSource } from './WorkerIdLease.js';
import type { NodeLockOptions } from '../nodeLock/NodeLock.js';

export interface WorkerIdSourceOptions {
  /** The environment `env:NAME` reads. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The host name `hostname-ordinal` reads. Default `os.hostname()`. */
  hostname?: string;
  /** Host-local lock for ids from env or hostname (see NodeLock); `false` for none. */
  lock?: NodeLockOptions | false;
  /** Options for `redis://` leases. */
  redis?: RedisWorkerIdOptions;
  /** The option's name in messages. Default `--worker-id-from`. */
  option?: string;
}

/**
 * Reads a `--worker-id-from` spec:
 * - `env:NAME`          the integer in environment variable NAME (PM2: `env:NODE_APP_INSTANCE`)
 * - `hostname-ordinal`  the trailing `-N` of the host name (Kubernetes StatefulSet pod `ids-7`)
 * - `redis://host:port/db` (or `rediss://`) a lease in Redis, renewed while the node runs
 *
 * Ids from env and hostname are read and checked here, so a bad one fails at start-up with an
 * InvalidOptionError naming the variable or host name and the range 0..1023. A fixed
 * `machineId` from config needs no spec: use `new StaticWorkerIdSource(id, 'config')`.
 */
export function parseWorkerIdSource(spec: string, options: WorkerIdSourceOptions = {}): WorkerIdSource {
  const option = options.option ?? '--worker-id-from';
  const lock = options.lock === undefined ? {} : { lock: options.lock };
  if (spec.startsWith('env:')) {
    const name = spec.slice('env:'.length);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new InvalidOptionError(option, `${option} env:NAME needs a variable name, got ${JSON.stringify(spec)}`);
    }
    return new StaticWorkerIdSource(workerIdFromEnv(name, options.env ?? process.env, option), spec, lock);
  }
  if (spec === 'hostname-ordinal') {
    return new StaticWorkerIdSource(workerIdFromHostname(options.hostname ?? osHostname(), option), spec, lock);
  }
  if (spec.startsWith('redis://') || spec.startsWith('rediss://')) {
    return new RedisWorkerIdSource(spec, options.redis, option);
  }
  throw new InvalidOptionError(
    option,
    `${option} must be env:NAME, hostname-ordinal or redis://host:port/db, got ${JSON.stringify(redactUserInfo(spec))}`,
  );
}

/** Hides anything that looks like `user:password@` in a spec echoed back in an error. */
function redactUserInfo(spec: string): string {
  return spec.replace(/\/\/[^/@]*@/, '//***@');
}
