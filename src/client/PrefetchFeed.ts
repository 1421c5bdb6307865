import type { Clock } from '../clock/Clock.js';
import { FlakeryError } from '../errors.js';
import type { PrefetchBuffer } from './PrefetchBuffer.js';

/** A caller waiting for IDs the buffer does not hold yet; `out` fills in hand-out order. */
interface Waiter {
  readonly out: Uint8Array;
  filled: number;
  readonly count: number;
  readonly resolve: (bytes: Uint8Array) => void;
  readonly reject: (error: unknown) => void;
}

/** What a feed needs from the client: one request to the servers (with failover), and its limits. */
export interface PrefetchFeedOptions {
  readonly buffer: PrefetchBuffer;
  readonly clock: Clock;
  /** Asks the servers for `count` IDs (at most `maxCountPerRequest`). */
  readonly fetch: (count: number) => Promise<Uint8Array>;
  readonly maxCountPerRequest: number;
  /** A refill starts when fewer IDs than this are held. */
  readonly lowWater: number;
  /** The longest a refill waits for a server whose clock is behind (requestTimeoutMs). */
  readonly maxWaitMs: number;
}

/**
 * Keeps a {@link PrefetchBuffer} filled from the servers and hands its IDs out: at once when
 * it holds enough, otherwise to callers waiting in arrival order. One refill request is in flight
 * at a time (one connection, so one per server), asking for the room left plus what waiting
 * callers still need, at most `maxCountPerRequest`. Callers are served strictly in turn, so IDs
 * leave in increasing order whoever asks, and each ID leaves once.
 *
 * A refill whose answer the order rule dropped whole (a failover to a server whose clock is
 * behind) waits until that server's clock should have passed the highest ID accepted, then asks
 * again: the failover waits, with a gap, rather than handing out a lower ID (see
 * {@link PrefetchFeed.#waitForServerClock}). A failed refill
 * rejects the callers waiting with its error; the next call starts a new one.
 */
export class PrefetchFeed {
  readonly #buffer: PrefetchBuffer;
  readonly #clock: Clock;
  readonly #fetch: (count: number) => Promise<Uint8Array>;
  readonly #maxCount: number;
  readonly #lowWater: number;
  readonly #maxWaitMs: number;
  readonly #waiters: Waiter[] = [];
  #demand = 0;
  #refilling = false;
  #closed = false;
  #pause: { timer: NodeJS.Timeout; resolve: () => void } | undefined;

  constructor(options: PrefetchFeedOptions) {
    this.#buffer = options.buffer;
    this.#clock = options.clock;
    this.#fetch = options.fetch;
    this.#maxCount = options.maxCountPerRequest;
    this.#lowWater = options.lowWater;
    this.#maxWaitMs = options.maxWaitMs;
  }

  /** One ID now, or undefined when the buffer holds none fresh (a refill is then under way). */
  takeOne(): bigint | undefined {
    const id = this.#waiters.length === 0 ? this.#buffer.takeOne(this.#clock.now()) : undefined;
    this.#refillIfLow();
    return id;
  }

  /** `count` IDs as bytes: at once from the buffer when it holds them, else after refills. */
  take(count: number): Promise<Uint8Array> {
    if (this.#closed) return Promise.reject(closedError());
    const out = new Uint8Array(count * this.#buffer.idSize);
    const filled = this.#waiters.length === 0 ? this.#buffer.take(count, out, 0, this.#clock.now()) : 0;
    if (filled === count) {
      this.#refillIfLow();
      return Promise.resolve(out);
    }
    return new Promise<Uint8Array>((resolve, reject) => {
      this.#waiters.push({ out, filled, count, resolve, reject });
      this.#demand += count - filled;
      this.#refillIfLow();
    });
  }

  /** Drops the buffer and rejects every waiting caller with ERR_CLIENT_CLOSED. */
  close(): void {
    this.#closed = true;
    this.#buffer.clear();
    if (this.#pause) {
      clearTimeout(this.#pause.timer);
      this.#pause.resolve();
    }
    this.#fail(closedError());
  }

  #refillIfLow(): void {
    if (this.#refilling || this.#closed) return;
    if (this.#demand === 0 && this.#buffer.size >= this.#lowWater) return;
    this.#refilling = true;
    this.#refill().finally(() => {
      this.#refilling = false;
    });
  }

  async #refill(): Promise<void> {
    while (!this.#closed && (this.#demand > 0 || this.#buffer.size < this.#lowWater)) {
      const count = Math.min(this.#maxCount, this.#buffer.free + this.#demand);
      const askedAtMs = this.#clock.now();
      let answer: Uint8Array;
      try {
        answer = await this.#fetch(count);
      } catch (error) {
        this.#fail(error);
        return;
      }
      if (this.#closed) return;
      if (this.#staleOnArrival(answer, count, askedAtMs)) return;
      const accepted = this.#store(answer, count);
      if (accepted === 0 && !(await this.#waitForServerClock(answer, count))) return;
    }
  }

  /**
   * An answer whose last ID is older than `maxAgeMs` measured from when it was asked for (a
   * server makes IDs after it is asked, so a stalled caller cannot cause this): the server's
   * clock is that far behind the client's, every ID would be dropped as too old on hand-out, and
   * asking again would loop. Fails the waiting callers with ERR_IDS_TOO_OLD instead; the loop
   * stops until the next call.
   */
  #staleOnArrival(answer: Uint8Array, count: number, askedAtMs: number): boolean {
    const maxAgeMs = this.#buffer.maxAgeMs;
    const behindMs = askedAtMs - this.#buffer.timeOf(answer, (count - 1) * this.#buffer.idSize);
    if (behindMs <= maxAgeMs) return false;
    this.#fail(
      new FlakeryError(
        'ERR_IDS_TOO_OLD',
        `the server's IDs were older than prefetch.maxAgeMs (${maxAgeMs} ms) when they arrived: its clock is about ${behindMs} ms behind this client's, ` +
          'so the age bound would drop every one. Fix the clocks (NTP), or raise prefetch.maxAgeMs above the difference',
      ),
    );
    return true;
  }

  /**
   * Puts an answer into the buffer and serves the waiting callers, in rounds when the answer is
   * larger than the buffer (a large batch): returns how many IDs the order rule let in.
   */
  #store(answer: Uint8Array, count: number): number {
    const size = this.#buffer.idSize;
    let used = 0;
    let accepted = 0;
    do {
      const before = this.#buffer.size;
      used += this.#buffer.push(answer.subarray(used * size), count - used);
      accepted += this.#buffer.size - before;
      this.#serveWaiters();
    } while (used < count && this.#buffer.free > 0);
    return accepted;
  }

  /** Hands the buffer's IDs to waiting callers in turn. */
  #serveWaiters(): void {
    while (this.#waiters.length > 0) {
      const waiter = this.#waiters[0]!;
      const size = this.#buffer.idSize;
      const n = this.#buffer.take(waiter.count - waiter.filled, waiter.out, waiter.filled * size, this.#clock.now());
      waiter.filled += n;
      this.#demand -= n;
      if (waiter.filled < waiter.count) return;
      this.#waiters.shift();
      waiter.resolve(waiter.out);
    }
  }

  /**
   * The whole answer sorted at or below the highest ID accepted: this server's clock is behind
   * the previous one's. Waits about as long as it is behind (the answer's last ID to the highest
   * accepted), then the loop asks again. Further behind than `maxWaitMs`: the waiting callers
   * fail with ERR_REQUEST_TIMEOUT instead, and the loop stops until the next call.
   */
  async #waitForServerClock(answer: Uint8Array, count: number): Promise<boolean> {
    const highestMs = this.#buffer.highestTimeMs ?? 0;
    const behindMs = Math.max(1, highestMs - this.#buffer.timeOf(answer, (count - 1) * this.#buffer.idSize) + 1);
    if (behindMs > this.#maxWaitMs) {
      this.#fail(
        new FlakeryError(
          'ERR_REQUEST_TIMEOUT',
          `the server's IDs sort below those this client already handed out (its clock is about ${behindMs} ms behind the previous server's), ` +
            `longer than requestTimeoutMs (${this.#maxWaitMs} ms) to wait: try again later, or check the servers' clocks (NTP)`,
        ),
      );
      return false;
    }
    await new Promise<void>((resolve) => {
      this.#pause = { timer: setTimeout(resolve, behindMs), resolve };
    });
    this.#pause = undefined;
    return true;
  }

  #fail(error: unknown): void {
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
    this.#demand = 0;
  }
}

function closedError(): FlakeryError {
  return new FlakeryError('ERR_CLIENT_CLOSED', 'the client is closed');
}
