import type { EventEmitter } from 'node:events';
import type { FlakeryError } from '../../errors.js';
import type { TimeGate } from '../../generator/TimeGate.js';

/**
 * Where a 64-bit snowflake generator gets its worker id (0..1023): from config, an environment
 * variable, the hostname's ordinal, or a lease in Redis. `acquire` resolves once the id is
 * held; the server builds its generator from the lease and gives it the lease's `gate` and
 * `waitFor = notBeforeUnixMs`.
 */
export interface WorkerIdSource {
  /** Where the id comes from, for logs and health (never holds a password). */
  readonly description: string;
  acquire(): Promise<WorkerIdLease>;
}

/** The events a lease emits, for logs, health and rebuilding the generator. */
export interface WorkerIdLeaseEvents {
  /** The id can no longer be relied on: `gate` refuses until it is regained or changed. */
  lost: [error: FlakeryError];
  /** The same id is held again; the same gate admits again from `notBeforeUnixMs` on. */
  regained: [info: { workerId: number; notBeforeUnixMs: number; waitReason?: string }];
  /**
   * The old id was taken by someone else and a different id is now held. The old gate refuses
   * for good; build a new generator with `workerId`, `gate` and `waitFor = notBeforeUnixMs`.
   */
  changed: [
    info: { previousWorkerId: number; workerId: number; gate: TimeGate; notBeforeUnixMs: number; waitReason?: string },
  ];
}

export interface WorkerIdLeaseStatus {
  /** The source's description (`config`, `env:NODE_APP_INSTANCE`, `redis://host:6379/0`). */
  source: string;
  workerId: number;
  state: 'held' | 'lost' | 'released';
  /** Leases only: how much longer the gate admits without another renewal. */
  validForMs?: number;
  /** Leases only: the latest time this holder has promised (in Redis) not to issue past. */
  issueUntilUnixMs?: number;
  /**
   * Leases only: why no ID is issued yet although the id is held — Redis had no record of the
   * id's last holder, so the lease waits one TTL for any such holder to have stopped.
   */
  waitReason?: string;
  /** The last failure talking to the lease store, if the last attempt failed. */
  lastError?: string;
}

/**
 * A worker id held by this process, until `release` or exit. It is an EventEmitter of
 * {@link WorkerIdLeaseEvents}; static ids never emit.
 */
export interface WorkerIdLease extends EventEmitter<WorkerIdLeaseEvents> {
  /** The id currently held (it changes only together with a `changed` event). */
  readonly workerId: number;
  /** Admits a millisecond only while the id is certainly held; see {@link TimeGate}. */
  readonly gate: TimeGate;
  /**
   * No ID may be issued under this id before this Unix ms: a previous holder may have issued
   * IDs up to just before it (its clock may run ahead of ours), or, for a lease whose last
   * holder is unknown, one TTL after the claim (see `status().waitReason`). 0 when there is no
   * such holder.
   */
  readonly notBeforeUnixMs: number;
  status(): WorkerIdLeaseStatus;
  /** Stops issuing under the id, then gives it back so another process can take it. */
  release(): Promise<void>;
}
