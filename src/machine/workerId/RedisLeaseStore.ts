import type { Redis } from 'ioredis';
import { FlakeryError } from '../../errors.js';
import { loadRedisClient } from './loadRedisClient.js';
import { CLAIM_SCRIPT, RELEASE_SCRIPT, RENEW_SCRIPT } from './redisScripts.js';
import type { RedisAddress } from './redisUrl.js';
import { WORKER_ID_COUNT } from './workerIdRange.js';

export interface RedisLeaseStoreOptions {
  keyPrefix: string;
  /** Bound on reaching Redis at start. */
  connectTimeoutMs: number;
  /** Bound on each command; a renewal that takes longer has failed. */
  commandTimeoutMs: number;
  /** Longest pause between reconnection attempts once connected before. */
  reconnectMaxDelayMs: number;
}

export interface Claim {
  workerId: number;
  /** The tombstone before this claim: the latest time a previous holder may have issued at (-1: none). */
  previousMarkUnixMs: number;
}

/**
 * The Redis side of worker-id leases: one connection and the three scripts in
 * {@link ./redisScripts.ts}. It knows nothing of timing; {@link RedisWorkerIdLease} decides when
 * to call it. Commands fail fast while the connection is down (no offline queue, no retries), so
 * a renewal either reaches Redis within `commandTimeoutMs` or counts as failed.
 */
export class RedisLeaseStore {
  readonly display: string;
  readonly #redis: Redis;
  readonly #prefix: string;
  #lastConnectionError: string | undefined;

  private constructor(redis: Redis, address: RedisAddress, prefix: string) {
    this.#redis = redis;
    this.display = address.display;
    this.#prefix = prefix;
  }

  /**
   * Connects, retrying until `connectTimeoutMs` has passed, then fails with `ERR_WORKER_ID`
   * naming the URL (without its password) and the last connection error.
   */
  static async connect(address: RedisAddress, options: RedisLeaseStoreOptions): Promise<RedisLeaseStore> {
    const RedisClient = await loadRedisClient();
    const redis = new RedisClient({
      host: address.host,
      port: address.port,
      db: address.db,
      ...(address.username === undefined ? {} : { username: address.username }),
      ...(address.password === undefined ? {} : { password: address.password }),
      ...(address.tls ? { tls: {} } : {}),
      lazyConnect: true,
      connectTimeout: options.connectTimeoutMs,
      commandTimeout: options.commandTimeoutMs,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (times: number) => Math.min(times * 50, options.reconnectMaxDelayMs),
      disableClientInfo: true,
    });
    const store = new RedisLeaseStore(redis, address, options.keyPrefix);
    // Without a listener ioredis would print every failed reconnection; the lease reports them.
    redis.on('error', (err: Error) => {
      store.#lastConnectionError = err.message;
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        new Promise<void>((resolve) => redis.once('ready', () => resolve())),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timed out')), options.connectTimeoutMs);
          // A refused password will not be accepted on the next attempt either: fail at once.
          redis.on('error', (err: Error) => {
            if (/^(WRONGPASS|NOAUTH|ERR AUTH|ERR invalid password)/.test(err.message)) reject(err);
          });
        }),
        // connect() rejects on the first failed attempt while ioredis keeps retrying; only the
        // timeout decides that Redis is unreachable.
        redis.connect().then(
          () => new Promise<never>(() => undefined),
          () => new Promise<never>(() => undefined),
        ),
      ]);
    } catch {
      redis.disconnect();
      const reason = store.#lastConnectionError ?? 'no answer';
      if (/^(WRONGPASS|NOAUTH|ERR AUTH|ERR invalid password)/.test(reason)) {
        throw new FlakeryError(
          'ERR_WORKER_ID',
          `Redis at ${address.display} refused the password for worker id leases: ${reason}. ` +
            'Check --redis-password-file, FLAKERY_REDIS_PASSWORD, or the password in --worker-id-from',
        );
      }
      throw new FlakeryError(
        'ERR_WORKER_ID',
        `cannot reach Redis at ${address.display} for a worker id lease within ${options.connectTimeoutMs} ms ` +
          `(--worker-id-from): ${reason}`,
      );
    } finally {
      clearTimeout(timer);
    }
    return store;
  }

  /** Whether the connection is up; commands fail at once while it is not. */
  get connected(): boolean {
    return this.#redis.status === 'ready';
  }

  /** The last connection-level error ioredis reported, for health output. */
  get lastConnectionError(): string | undefined {
    return this.#lastConnectionError;
  }

  /** Claims `startId` if free, else (unless `onlyStart`) the next free id after it. */
  async claim(
    startId: number,
    onlyStart: boolean,
    value: string,
    ttlMs: number,
    issueUntilUnixMs: number,
  ): Promise<Claim | undefined> {
    const reply = (await this.#redis.eval(
      CLAIM_SCRIPT,
      0,
      this.#prefix,
      String(startId),
      String(WORKER_ID_COUNT),
      value,
      String(ttlMs),
      String(issueUntilUnixMs),
      onlyStart ? '1' : '0',
    )) as [number, number] | null;
    if (reply === null) return undefined;
    return { workerId: Number(reply[0]), previousMarkUnixMs: Number(reply[1]) };
  }

  /** Extends the lease on `workerId` if `token` still owns it; false when it does not. */
  async renew(workerId: number, token: string, value: string, ttlMs: number, issueUntilUnixMs: number): Promise<boolean> {
    const key = this.key(workerId);
    const reply = await this.#redis.eval(
      RENEW_SCRIPT,
      2,
      key,
      `${key}:until`,
      token,
      value,
      String(ttlMs),
      String(issueUntilUnixMs),
    );
    return Number(reply) === 1;
  }

  /** Deletes the lease if `token` owns it and lowers the tombstone to `lastUsedUnixMs`. */
  async release(workerId: number, token: string, lastUsedUnixMs: number): Promise<boolean> {
    const key = this.key(workerId);
    const reply = await this.#redis.eval(RELEASE_SCRIPT, 2, key, `${key}:until`, token, String(lastUsedUnixMs));
    return Number(reply) === 1;
  }

  /** The lease key for `workerId`. */
  key(workerId: number): string {
    return `${this.#prefix}${workerId}`;
  }

  async close(): Promise<void> {
    this.#redis.disconnect();
  }
}
