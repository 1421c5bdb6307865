import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { systemClock, type Clock } from '../../clock/Clock.js';
import { InvalidOptionError } from '../../errors.js';
import { RedisLeaseStore } from './RedisLeaseStore.js';
import { RedisWorkerIdLease, type LeaseTimings } from './RedisWorkerIdLease.js';
import { parseRedisUrl, type RedisAddress } from './redisUrl.js';
import type { WorkerIdLease, WorkerIdSource } from './WorkerIdLease.js';
import { checkWorkerId, WORKER_ID_COUNT } from './workerIdRange.js';

export interface RedisWorkerIdOptions {
  /** Prefix of the lease keys; ids are leased as `<prefix><id>`. Default `flakery:worker:`. */
  keyPrefix?: string;
  /**
   * Lease lifetime in Redis, ms. Default 10000: a crashed node's id is free again after at
   * most this long, and Redis may be unreachable for up to `ttlMs - safetyMarginMs -
   * renewIntervalMs` before the node stops issuing.
   */
  ttlMs?: number;
  /** How often the lease is renewed. Default `ttlMs / 3`, so two renewals may fail in a row. */
  renewIntervalMs?: number;
  /**
   * The gate stops admitting this long before the lease could expire in Redis, to cover a
   * process pause between the gate's check and the IDs going out. Default `ttlMs / 5`.
   */
  safetyMarginMs?: number;
  /** Pause between attempts after a failure or while lost. Default `renewIntervalMs / 4`. */
  retryIntervalMs?: number;
  /** Bound on reaching Redis at start. Default 3000. */
  connectTimeoutMs?: number;
  /**
   * The password (AUTH), given apart from the URL so that it stays out of `ps`. A URL with a
   * password of its own and this option together are an error.
   */
  password?: string;
  /** Try this id first (say, the id this node had before). Default: a random one. */
  preferredWorkerId?: number;
  /** The wall clock for the deadlines written to Redis. Default: the system clock. */
  clock?: Clock;
  /** A monotonic clock in ms for the gate's validity. Default: `performance.now`. */
  monotonicNow?: () => number;
}

/**
 * Worker ids leased from Redis (`--worker-id-from redis://host:port/db`): each node claims a
 * free id with `SET key value NX PX ttl`, renews it while it runs and loses it within the TTL
 * after it dies, so a fleet needs no hand-assigned ids. See {@link RedisWorkerIdLease} for the
 * renewal and loss rules, and {@link ./redisScripts.ts} for the keys.
 *
 * A claim that finds no tombstone (a never-used id, or Redis lost its data) issues nothing for
 * one TTL, so a Redis without persistence is safe; one that comes back with old data (RDB
 * snapshots, a lagging replica) is not always: docs/operations.md has the table. Every node
 * sharing a key prefix must use the same `ttlMs`.
 */
export class RedisWorkerIdSource implements WorkerIdSource {
  readonly description: string;
  readonly #address: RedisAddress;
  readonly #keyPrefix: string;
  readonly #timings: LeaseTimings;
  readonly #connectTimeoutMs: number;
  readonly #preferredWorkerId: number | undefined;
  readonly #clock: Clock;
  readonly #monotonicNow: () => number;

  constructor(url: string, options: RedisWorkerIdOptions = {}, option = '--worker-id-from') {
    const address = parseRedisUrl(url, option);
    if (options.password !== undefined && address.password !== undefined) {
      throw new InvalidOptionError(
        option,
        `${option}: the Redis URL ${address.display} has a password and one is given apart from it too; keep only the one apart from the URL`,
      );
    }
    this.#address = options.password === undefined ? address : { ...address, password: options.password };
    this.description = address.display;
    this.#keyPrefix = options.keyPrefix ?? 'flakery:worker:';
    if (this.#keyPrefix.length === 0 || this.#keyPrefix.length > 200) {
      throw new InvalidOptionError('keyPrefix', 'keyPrefix must be 1 to 200 characters');
    }
    const ttlMs = integerOption('ttlMs', options.ttlMs ?? 10_000, 100, 3_600_000);
    const renewIntervalMs = integerOption('renewIntervalMs', options.renewIntervalMs ?? Math.floor(ttlMs / 3), 1, ttlMs);
    const safetyMarginMs = integerOption('safetyMarginMs', options.safetyMarginMs ?? Math.floor(ttlMs / 5), 1, ttlMs);
    if (renewIntervalMs + safetyMarginMs >= ttlMs) {
      throw new InvalidOptionError(
        'renewIntervalMs',
        `renewIntervalMs (${renewIntervalMs}) + safetyMarginMs (${safetyMarginMs}) must be less than ttlMs (${ttlMs}), ` +
          'or the gate would close before each renewal',
      );
    }
    const retryIntervalMs = integerOption(
      'retryIntervalMs',
      options.retryIntervalMs ?? Math.max(1, Math.floor(renewIntervalMs / 4)),
      1,
      renewIntervalMs,
    );
    this.#timings = { ttlMs, renewIntervalMs, safetyMarginMs, retryIntervalMs };
    this.#connectTimeoutMs = integerOption('connectTimeoutMs', options.connectTimeoutMs ?? 3000, 1, 600_000);
    this.#preferredWorkerId =
      options.preferredWorkerId === undefined ? undefined : checkWorkerId(options.preferredWorkerId, 'preferredWorkerId');
    this.#clock = options.clock ?? systemClock;
    this.#monotonicNow = options.monotonicNow ?? (() => performance.now());
  }

  /**
   * Connects and claims an id. Fails with `ERR_WORKER_ID` when Redis cannot be reached within
   * `connectTimeoutMs` (the message names the URL, never the password) or all ids are leased.
   */
  async acquire(): Promise<WorkerIdLease> {
    const store = await RedisLeaseStore.connect(this.#address, {
      keyPrefix: this.#keyPrefix,
      connectTimeoutMs: this.#connectTimeoutMs,
      // A late answer is still safe (deadlines count from the send time); the timeout only
      // decides when to try again. The floor keeps tiny test timings from failing under load.
      commandTimeoutMs: Math.max(this.#timings.renewIntervalMs, 1000),
      reconnectMaxDelayMs: this.#timings.retryIntervalMs,
    });
    return RedisWorkerIdLease.claim(
      store,
      this.#timings,
      { clock: this.#clock, monotonicNow: this.#monotonicNow },
      this.#preferredWorkerId ?? randomInt(WORKER_ID_COUNT),
    );
  }
}

function integerOption(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new InvalidOptionError(name, `${name} must be an integer from ${min} to ${max} ms, got ${value}`);
  }
  return value;
}
