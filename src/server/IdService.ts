import { Buffer } from 'node:buffer';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { ClockError, FlakeryError, InvalidOptionError } from '../errors.js';
import type { Generator } from '../generator/Generator.js';
import { integerOption } from '../options/integerOption.js';
import { type ServerObserver, silentObserver } from './ServerObserver.js';

/**
 * Receives one run of IDs (`count * idSize` big-endian bytes, increasing). Return a promise to
 * hold the producer back until the consumer has room (a socket's `drain`): nothing more is made
 * until it settles, so a slow reader costs at most one chunk. A rejected promise or a thrown
 * error stops the request; so does `false` (the consumer is gone: stop quietly).
 * The bytes are the sink's to keep: the service never reuses them.
 */
export type IdSink = (ids: Uint8Array, count: number) => void | boolean | PromiseLike<unknown>;

/** How the service stands, for health checks and HTTP 503s. */
export type IdServiceHealth =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** ERR_CLOCK_BACKWARDS, ERR_WAITING_FOR_START, ERR_TIME_BEFORE_EPOCH, ERR_TIME_OVERFLOW, … */
      readonly code: FlakeryError['code'];
      readonly reason: string;
      /** When retrying may succeed; absent when waiting will not help (time outside the layout). */
      readonly retryAfterMs?: number;
    };

export interface IdServiceOptions {
  /** Made by the caller, gates and `waitFor` included: the service only draws IDs from it. */
  readonly generator: Generator<unknown>;
  /**
   * A clock behind the last issued time (or the start time) by at most this many ms is waited
   * out; further behind, the request fails with the ClockError. Default 5.
   */
  readonly maxClockWaitMs?: number;
  /** IDs produced per turn of the event loop, at most. Default 1024. */
  readonly chunkIds?: number;
  readonly observer?: ServerObserver;
}

export const idServiceDefaults = {
  maxClockWaitMs: 5,
  chunkIds: 1024,
} as const;

/** The longest clock wait one may configure: a minute. Longer waits belong in `waitFor`. */
const MAX_CLOCK_WAIT_MS = 60_000;

/**
 * Hands out IDs of one generator to many concurrent requests — TCP connections, HTTP requests —
 * without letting one of them stall the others.
 *
 * Why it exists: the generator is synchronous and spins when a millisecond's sequence runs out.
 * Fine for a library call, wrong for a server, where one connection asking for a million IDs
 * would freeze every other connection for the whole batch. So the service:
 * - makes IDs in chunks of at most `chunkIds` and yields to the event loop between chunks, so
 *   other requests (and their sockets) get turns in between;
 * - when the millisecond is spent, polls the clock with `setImmediate` (a 1 ms timer would
 *   sleep 1–2 ms and halve throughput) instead of spinning;
 * - waits out a clock that is a few ms behind, and refuses beyond `maxClockWaitMs`;
 * - waits for the sink (backpressure) before making more, so memory per request is one chunk.
 *
 * Every ID a sink receives is greater than every ID any sink received before: one generator,
 * handed out in turn. A connection serving its requests one after another therefore writes
 * increasing IDs across pipelined requests too.
 */
export class IdService {
  #generator: Generator<unknown>;
  readonly maxClockWaitMs: number;
  readonly chunkIds: number;
  readonly #observer: ServerObserver;

  constructor(options: IdServiceOptions) {
    if (typeof options?.generator?.fillAvailable !== 'function') {
      throw new InvalidOptionError('generator', 'generator must be a Generator (from createGenerator)');
    }
    this.#generator = options.generator;
    this.maxClockWaitMs = integerOption(
      'maxClockWaitMs',
      options.maxClockWaitMs ?? idServiceDefaults.maxClockWaitMs,
      0,
      MAX_CLOCK_WAIT_MS,
    );
    this.chunkIds = integerOption('chunkIds', options.chunkIds ?? idServiceDefaults.chunkIds, 1, 1 << 20);
    this.#observer = options.observer ?? silentObserver;
  }

  /** The generator IDs come from now. */
  get generator(): Generator<unknown> {
    return this.#generator;
  }

  /**
   * Draws IDs from `next` from now on: a node whose worker id changed (its lease was taken
   * while it was cut off) gets a generator under the new id. `next` must be of the same
   * layout and start after the last ID issued, so IDs keep increasing.
   */
  replaceGenerator(next: Generator<unknown>): void {
    if (next.idSize !== this.#generator.idSize) {
      throw new InvalidOptionError('generator', `the new generator makes ${next.idSize}-byte IDs, not ${this.#generator.idSize}-byte`);
    }
    this.#generator = next;
  }

  /** Bytes per ID. */
  get idSize(): number {
    return this.generator.idSize;
  }

  /**
   * The synchronous fast path of {@link issue} for a small request: the IDs of `count` (at most
   * `chunkIds`) that this millisecond still has, at once — all of them, usually; fewer (maybe
   * none) when the sequence runs out or the clock is a little behind, and the caller then asks
   * `issue` for the rest. Throws what `issue` rejects with. Saves a small request the promise
   * and event-loop hops of `issue`, which cost about as much as making the IDs.
   */
  issueNow(count: number): Uint8Array {
    const size = this.generator.idSize;
    const want = Math.min(count, this.chunkIds);
    // From Node's shared slab for small sizes: a new backing store per single-ID request costs
    // more than making the ID. Only the filled part is returned, so no stale byte goes out.
    const ids = Buffer.allocUnsafe(want * size);
    let filled = 0;
    while (filled < want) {
      const granted = this.#fill(ids, filled * size, want - filled);
      if (granted <= 0) break;
      filled += granted;
    }
    if (filled > 0) this.#observer.idsIssued(filled, this.generator.lastIssuedUnixMs ?? 0);
    return filled === want ? ids : ids.subarray(0, filled * size);
  }

  /**
   * Produces `count` IDs into `sink`, in runs of at most `chunkIds`, and resolves with how many
   * the sink took (less than `count` only when the sink returned `false`). Rejects with a
   * ClockError when the clock is too far behind, with what a gate threw, or with what the sink
   * threw; IDs already delivered stay delivered.
   */
  async issue(count: number, sink: IdSink, signal?: AbortSignal): Promise<number> {
    const size = this.generator.idSize;
    let delivered = 0;
    while (delivered < count) {
      signal?.throwIfAborted();
      const want = Math.min(count - delivered, this.chunkIds);
      const chunk = new Uint8Array(want * size);
      let filled = 0;
      let behind = false;
      for (;;) {
        const granted = this.#fill(chunk, filled * size, want - filled);
        if (granted < 0) behind = true;
        if (granted <= 0) break;
        filled += granted;
        if (filled === want) break;
      }
      if (filled > 0) {
        this.#observer.idsIssued(filled, this.generator.lastIssuedUnixMs ?? 0);
        const result = sink(filled === want ? chunk : chunk.subarray(0, filled * size), filled);
        delivered += filled;
        if (result === false) return delivered;
        if (isPromiseLike(result) && (await result) === false) return delivered;
      }
      if (delivered === count) break;
      if (filled < want) {
        if (!behind) this.#observer.sequenceExhausted();
        await this.#waitUntilReady(signal);
      } else {
        await nextTurn();
      }
    }
    return delivered;
  }

  /**
   * `ok`, or why a request made now would fail (or wait long). A clock behind by no more than
   * `maxClockWaitMs` is healthy: requests wait it out.
   */
  health(): IdServiceHealth {
    let ms: number;
    try {
      ms = this.generator.msUntilReady();
    } catch (error) {
      if (error instanceof FlakeryError) return { ok: false, code: error.code, reason: error.message };
      throw error;
    }
    if (ms <= Math.max(this.maxClockWaitMs, 1)) return { ok: true };
    const error = this.#clockError(ms);
    return { ok: false, code: error.code, reason: error.message, retryAfterMs: ms };
  }

  /**
   * Fills what this millisecond has left: the number of IDs written, 0 when the millisecond is
   * spent, -1 when the clock is behind by little enough to wait. Further behind: throws.
   */
  #fill(target: Uint8Array, offset: number, max: number): number {
    try {
      return this.generator.fillAvailable(target, offset, max);
    } catch (error) {
      if (!(error instanceof ClockError)) throw error;
      if (error.remainingMs <= this.maxClockWaitMs) return -1;
      this.#observer.clockBehind(error.remainingMs);
      throw error;
    }
  }

  /**
   * Returns once the generator can issue again: the next millisecond, or the clock caught up.
   * Rejects with a ClockError when it is more than `maxClockWaitMs` behind.
   */
  async #waitUntilReady(signal: AbortSignal | undefined): Promise<void> {
    let reported = false;
    for (;;) {
      signal?.throwIfAborted();
      const ms = this.generator.msUntilReady();
      if (ms === 0) return;
      // 1 is also what a spent millisecond reports; only a longer wait means the clock is behind.
      if (ms > 1 && !reported) {
        this.#observer.clockBehind(ms);
        reported = true;
      }
      if (ms > Math.max(this.maxClockWaitMs, 1)) throw this.#clockError(ms);
      // Timers fire 1–2 ms late, so sleep only the part of the wait that is surely needed and
      // poll the rest, one event-loop turn at a time.
      if (ms > 2) await sleep(ms - 2, undefined, signal ? { signal } : undefined);
      else await nextTurn();
    }
  }

  #clockError(ms: number): ClockError {
    return new ClockError(this.generator.lastIssuedUnixMs === undefined ? 'ERR_WAITING_FOR_START' : 'ERR_CLOCK_BACKWARDS', ms);
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}
