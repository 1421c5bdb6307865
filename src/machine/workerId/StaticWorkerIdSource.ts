import { EventEmitter } from 'node:events';
import { FlakeryError } from '../../errors.js';
import type { TimeGate } from '../../generator/TimeGate.js';
import type { WorkerIdLease, WorkerIdLeaseEvents, WorkerIdLeaseStatus, WorkerIdSource } from './WorkerIdLease.js';
import { NodeLock, type NodeLockOptions } from '../nodeLock/NodeLock.js';
import { checkWorkerId } from './workerIdRange.js';

/**
 * A worker id known before start — from config (`machineId`), an environment variable or the
 * hostname — so nothing needs renewing. What can still go wrong is a second process on the same
 * host with the same id, so `acquire` takes a host-local {@link NodeLock} on the worker id (unless `lock` is
 * false) and fails with `ERR_WORKER_ID_IN_USE` when another process holds it.
 */
export class StaticWorkerIdSource implements WorkerIdSource {
  readonly workerId: number;
  readonly description: string;
  readonly #lock: NodeLockOptions | false;

  constructor(workerId: number, description: string, options: { lock?: NodeLockOptions | false } = {}) {
    this.workerId = checkWorkerId(workerId, 'machineId');
    this.description = description;
    this.#lock = options.lock ?? {};
  }

  async acquire(): Promise<WorkerIdLease> {
    const lock = this.#lock === false ? undefined : await NodeLock.acquire({ kind: 'worker', workerId: this.workerId }, this.#lock);
    return new StaticWorkerIdLease(this.workerId, this.description, lock);
  }
}

class StaticWorkerIdLease extends EventEmitter<WorkerIdLeaseEvents> implements WorkerIdLease {
  readonly workerId: number;
  readonly notBeforeUnixMs = 0;
  readonly gate: TimeGate;
  readonly #source: string;
  readonly #lock: NodeLock | undefined;
  #released = false;

  constructor(workerId: number, source: string, lock: NodeLock | undefined) {
    super();
    this.workerId = workerId;
    this.#source = source;
    this.#lock = lock;
    this.gate = {
      admit: () => {
        // After release another process may hold the id; issuing under it would be unsafe.
        if (this.#released) {
          throw new FlakeryError('ERR_LEASE_LOST', `worker id ${workerId} was released: refusing to issue IDs`);
        }
      },
    };
  }

  status(): WorkerIdLeaseStatus {
    return { source: this.#source, workerId: this.workerId, state: this.#released ? 'released' : 'held' };
  }

  async release(): Promise<void> {
    this.#released = true;
    await this.#lock?.release();
  }
}
