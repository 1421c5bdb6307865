import { EventEmitter } from 'node:events';
import { FlakeryError } from '../../errors.js';
import type { TimeGate } from '../../generator/TimeGate.js';
import { type Claimed, type LeaseDeps, LeaseClaimer, type LeaseTimings, waitReasonOf } from './LeaseClaimer.js';
import { LeaseGate } from './LeaseGate.js';
import type { RedisLeaseStore } from './RedisLeaseStore.js';
import type { WorkerIdLease, WorkerIdLeaseEvents, WorkerIdLeaseStatus } from './WorkerIdLease.js';

export type { LeaseDeps, LeaseTimings } from './LeaseClaimer.js';

/**
 * A worker id leased in Redis, renewed every `renewIntervalMs` while the process runs.
 *
 * States: `held` (the gate admits), `lost` (a renewal failed for too long or found the lease
 * gone: the gate refuses, and every `retryIntervalMs` the lease tries to renew, then to claim
 * again — the same id if it is free, which emits `regained`, otherwise another one, which
 * emits `changed` with a new gate while the old gate refuses for good), `released`.
 *
 * Only one Redis operation is in flight at a time: the next one is scheduled when the last
 * one has finished, so a slow renewal can never overtake a later one.
 */
export class RedisWorkerIdLease extends EventEmitter<WorkerIdLeaseEvents> implements WorkerIdLease {
  readonly #store: RedisLeaseStore;
  readonly #timings: LeaseTimings;
  readonly #deps: LeaseDeps;
  readonly #claimer: LeaseClaimer;
  #gate: LeaseGate;
  #state: 'held' | 'lost' | 'released' = 'held';
  #lastError: string | undefined;
  #waitReason: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lostTimer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;

  private constructor(store: RedisLeaseStore, timings: LeaseTimings, deps: LeaseDeps) {
    super();
    this.#store = store;
    this.#timings = timings;
    this.#deps = deps;
    this.#claimer = new LeaseClaimer(store, timings, deps);
    this.#gate = new LeaseGate(-1, deps.monotonicNow, Number.NEGATIVE_INFINITY, -1, 0);
  }

  /**
   * Claims `preferredId` if free, else the next free id, and starts renewing. Throws
   * `ERR_WORKER_ID` when all 1024 ids are leased. Closes the store on failure.
   */
  static async claim(
    store: RedisLeaseStore,
    timings: LeaseTimings,
    deps: LeaseDeps,
    preferredId: number,
  ): Promise<RedisWorkerIdLease> {
    const lease = new RedisWorkerIdLease(store, timings, deps);
    let claimed: Claimed | undefined;
    try {
      claimed = await lease.#claimer.claim(preferredId);
    } catch (err) {
      await store.close();
      throw new FlakeryError(
        'ERR_WORKER_ID',
        `cannot claim a worker id in Redis at ${store.display}: ${(err as Error).message}`,
        { cause: err },
      );
    }
    if (claimed === undefined) {
      await store.close();
      throw new FlakeryError(
        'ERR_WORKER_ID',
        `all 1024 worker ids (0 to 1023) under key prefix ${JSON.stringify(store.key(0).slice(0, -1))} in Redis at ` +
          `${store.display} are leased by other processes; stop one, or use another key prefix for a separate ID space`,
      );
    }
    lease.#gate = lease.#newGate(claimed);
    lease.#waitReason = claimed.waitReason;
    lease.#armLostTimer();
    lease.#schedule(timings.renewIntervalMs);
    return lease;
  }

  get workerId(): number {
    return this.#gate.workerId;
  }

  get gate(): TimeGate {
    return this.#gate;
  }

  get notBeforeUnixMs(): number {
    return this.#gate.notBeforeUnixMs;
  }

  status(): WorkerIdLeaseStatus {
    const status: WorkerIdLeaseStatus = {
      source: this.#store.display,
      workerId: this.workerId,
      state: this.#state,
      validForMs: this.#gate.validForMs(),
      issueUntilUnixMs: this.#gate.issueUntilUnixMs,
    };
    if (this.#waitReason !== undefined && this.#deps.clock.now() < this.#gate.notBeforeUnixMs) {
      status.waitReason = this.#waitReason;
    }
    if (this.#lastError !== undefined) status.lastError = this.#lastError;
    return status;
  }

  /**
   * Stops issuing under the id at once, then deletes the lease in Redis (if it is still ours)
   * and lowers its tombstone to the last time actually used, so the next holder — often this
   * same service restarting — need not wait for the promised deadline.
   */
  async release(): Promise<void> {
    if (this.#state === 'released') return;
    this.#state = 'released';
    clearTimeout(this.#timer);
    clearTimeout(this.#lostTimer);
    this.#gate.revoke('the lease was released');
    await this.#inFlight;
    await this.#giveBack(this.#gate);
    await this.#store.close();
  }

  #newGate(claimed: Claimed): LeaseGate {
    const { workerId, validUntilMono, issueUntilUnixMs, notBeforeUnixMs } = claimed;
    return new LeaseGate(workerId, this.#deps.monotonicNow, validUntilMono, issueUntilUnixMs, notBeforeUnixMs);
  }

  #schedule(delayMs: number): void {
    if (this.#state === 'released') return;
    this.#timer = setTimeout(() => {
      this.#inFlight = this.#step()
        .catch((err: unknown) => {
          // Only an event listener can throw here; the lease itself must keep running.
          this.#lastError = (err as Error).message;
        })
        .finally(() => {
          this.#inFlight = undefined;
          const healthy = this.#state === 'held' && this.#lastError === undefined;
          this.#schedule(healthy ? this.#timings.renewIntervalMs : this.#timings.retryIntervalMs);
        });
    }, delayMs);
    this.#timer.unref();
  }

  /** Fires when the gate's validity runs out without a renewal, to report the loss promptly. */
  #armLostTimer(): void {
    clearTimeout(this.#lostTimer);
    this.#lostTimer = setTimeout(() => {
      if (this.#gate.validForMs() === 0) {
        this.#markLost(`its lease could not be renewed in time: ${this.#lastError ?? 'no answer from Redis'}`);
      } else {
        this.#armLostTimer();
      }
    }, this.#gate.validForMs() + 1);
    this.#lostTimer.unref();
  }

  #markLost(reason: string): void {
    this.#gate.noteFailure(reason);
    if (this.#state !== 'held') return;
    this.#state = 'lost';
    this.emit('lost', new FlakeryError('ERR_LEASE_LOST', `worker id ${this.workerId} may no longer be held: ${reason}`));
  }

  /** One renewal; if the lease turns out to be gone, one attempt to claim again. */
  async #step(): Promise<void> {
    const gate = this.#gate;
    const { validUntilMono, issueUntilUnixMs } = this.#claimer.deadlines();
    let renewed: boolean;
    try {
      renewed = await this.#store.renew(
        gate.workerId,
        this.#claimer.token,
        this.#claimer.value(issueUntilUnixMs),
        this.#timings.ttlMs,
        issueUntilUnixMs,
      );
    } catch (err) {
      this.#failed(err);
      return;
    }
    if (this.#state === 'released') return;
    this.#lastError = undefined;
    if (renewed) {
      gate.extend(validUntilMono, issueUntilUnixMs);
      this.#armLostTimer();
      if (this.#state === 'lost') {
        this.#state = 'held';
        this.emit('regained', { workerId: gate.workerId, notBeforeUnixMs: gate.notBeforeUnixMs });
      }
      return;
    }
    // The lease expired in Redis, or someone else holds the id now: stop at once, then claim.
    gate.suspend('its lease expired in Redis or is held by another process');
    this.#markLost('its lease expired in Redis or is held by another process');
    await this.#reclaim(gate);
  }

  async #reclaim(old: LeaseGate): Promise<void> {
    let claimed: Claimed | undefined;
    try {
      claimed = await this.#claimer.claim(old.workerId);
    } catch (err) {
      this.#failed(err);
      return;
    }
    if (claimed === undefined) {
      this.#lastError = 'all 1024 worker ids are leased by other processes';
      return;
    }
    if (this.#state === 'released') {
      await this.#giveBack(this.#newGate(claimed));
      return;
    }
    if (claimed.workerId === old.workerId) {
      // Same id: the generator may go on once the clock is past the tombstone.
      old.extend(claimed.validUntilMono, claimed.issueUntilUnixMs, claimed.notBeforeUnixMs);
      this.#state = 'held';
      this.#waitReason = claimed.waitReason;
      this.#armLostTimer();
      this.emit('regained', { workerId: old.workerId, notBeforeUnixMs: old.notBeforeUnixMs, ...waitReasonOf(claimed) });
      return;
    }
    const gate = this.#newGate(claimed);
    old.revoke(`the id was taken by another process while the lease was lost; this process now holds worker id ${gate.workerId}`);
    this.#gate = gate;
    this.#state = 'held';
    this.#waitReason = claimed.waitReason;
    this.#armLostTimer();
    this.emit('changed', {
      previousWorkerId: old.workerId,
      workerId: gate.workerId,
      gate,
      notBeforeUnixMs: gate.notBeforeUnixMs,
      ...waitReasonOf(claimed),
    });
  }

  #failed(err: unknown): void {
    const store = this.#store;
    this.#lastError = store.connected
      ? (err as Error).message
      : `not connected to Redis at ${store.display} (${store.lastConnectionError ?? (err as Error).message})`;
    this.#gate.noteFailure(`renewing its lease failed: ${this.#lastError}`);
  }

  async #giveBack(gate: LeaseGate): Promise<void> {
    const lastUsed = Math.max(gate.notBeforeUnixMs - 1, gate.maxAdmittedUnixMs);
    try {
      await this.#store.release(gate.workerId, this.#claimer.token, lastUsed);
    } catch {
      // Redis is unreachable: the lease expires by itself and the tombstone keeps the deadline.
    }
  }
}
