import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../../clock/Clock.js';
import type { RedisLeaseStore } from './RedisLeaseStore.js';

/** How a Redis lease paces itself (ms). */
export interface LeaseTimings {
  ttlMs: number;
  renewIntervalMs: number;
  safetyMarginMs: number;
  retryIntervalMs: number;
}

/** The clocks a lease reads: wall time for Redis and IDs, monotonic time for its own gate. */
export interface LeaseDeps {
  clock: Clock;
  monotonicNow: () => number;
}

/** What a successful claim grants, before it becomes (part of) a gate. */
export interface Claimed {
  workerId: number;
  validUntilMono: number;
  issueUntilUnixMs: number;
  notBeforeUnixMs: number;
  /** Set when Redis had no tombstone for the id, so the claim waits one TTL; says why. */
  waitReason?: string;
}

/**
 * One lease holder's claims in Redis: the owner token it writes, the deadlines a command sent
 * now may grant, and the claim of a worker id (RedisWorkerIdLease renews and follows it).
 */
export class LeaseClaimer {
  /** Written with every claim and renewal; only its holder may renew or release the key. */
  readonly token = randomBytes(16).toString('hex');
  readonly #store: RedisLeaseStore;
  readonly #timings: LeaseTimings;
  readonly #deps: LeaseDeps;

  constructor(store: RedisLeaseStore, timings: LeaseTimings, deps: LeaseDeps) {
    this.#store = store;
    this.#timings = timings;
    this.#deps = deps;
  }

  /** The value stored under the lease key: owner token, then metadata for people. */
  value(issueUntilUnixMs: number): string {
    return `${this.token} ${JSON.stringify({ host: hostname(), pid: process.pid, issueUntilUnixMs })}`;
  }

  /** The deadlines a command sent now may grant: monotonic for our gate, Unix ms for Redis. */
  deadlines(): { validUntilMono: number; issueUntilUnixMs: number } {
    const { ttlMs, safetyMarginMs } = this.#timings;
    return {
      validUntilMono: this.#deps.monotonicNow() + ttlMs - safetyMarginMs,
      issueUntilUnixMs: this.#deps.clock.now() + ttlMs - safetyMarginMs,
    };
  }

  /**
   * Claims `startId` or the next free id; the gate for it is built by the caller if wanted.
   *
   * A claim that finds no tombstone cannot tell a never-used id from one whose record Redis
   * lost (a restart without persistence, `FLUSHALL`, a failover to a replica that missed the
   * last writes) while its holder still issues. That holder's last renewal reached Redis
   * before the data was lost, so before this claim's answer: its gate closes less than one
   * TTL after that. The claim therefore issues nothing until one TTL after its answer.
   */
  async claim(startId: number): Promise<Claimed | undefined> {
    const { validUntilMono, issueUntilUnixMs } = this.deadlines();
    const claim = await this.#store.claim(
      startId,
      false,
      this.value(issueUntilUnixMs),
      this.#timings.ttlMs,
      issueUntilUnixMs,
    );
    if (claim === undefined) return undefined;
    const { workerId, previousMarkUnixMs } = claim;
    if (previousMarkUnixMs >= 0) {
      return { workerId, validUntilMono, issueUntilUnixMs, notBeforeUnixMs: previousMarkUnixMs + 1 };
    }
    const { ttlMs } = this.#timings;
    const notBeforeUnixMs = this.#deps.clock.now() + ttlMs;
    const waitReason =
      `Redis has no record of the last holder of worker id ${workerId} (the fleet's first start, or Redis lost its data): ` +
      `no IDs before ${new Date(notBeforeUnixMs).toISOString()}, one lease TTL (${ttlMs} ms) after the claim, ` +
      'when any earlier holder has stopped';
    return { workerId, validUntilMono, issueUntilUnixMs, notBeforeUnixMs, waitReason };
  }
}

export function waitReasonOf(claimed: Claimed): { waitReason?: string } {
  return claimed.waitReason === undefined ? {} : { waitReason: claimed.waitReason };
}
