import { ClockError, TimeRangeError } from '../errors.js';
import type { IdEncoder, Layout } from '../layouts/Layout.js';
import { type SequenceLimits, type SequenceState, allocate, initialState } from './allocate.js';
import type { GeneratorConfig } from './GeneratorConfig.js';

export type NextResult = { readonly ok: true; readonly id: bigint } | { readonly ok: false; readonly error: ClockError };

/**
 * Hands out unique, strictly increasing IDs of one layout for one node.
 *
 * Within a millisecond the sequence counts up; when it is spent, the generator waits (spins)
 * for the next millisecond, which takes at most 1 ms. When the clock reads earlier than the
 * last ID issued, it refuses with a ClockError naming the milliseconds left, and never
 * issues an ID that could repeat or go backwards.
 */
export class Generator<TNode = unknown> {
  readonly layout: Layout<TNode>;
  readonly node: TNode;
  readonly epochMs: number;
  readonly #config: GeneratorConfig<TNode>;
  readonly #encoder: IdEncoder;
  readonly #limits: SequenceLimits;
  #state: SequenceState;
  #admittedElapsedMs = Number.NEGATIVE_INFINITY;
  #issued = false;
  // The run granted by the last #take().
  #runElapsedMs = 0;
  #runFirstSequence = 0;

  constructor(config: GeneratorConfig<TNode>) {
    this.#config = config;
    this.layout = config.layout;
    this.node = config.node;
    this.epochMs = config.epochMs;
    this.#encoder = config.layout.encoder(config.node);
    this.#limits = {
      maxSequence: 2 ** config.layout.sequenceBits - 1,
      maxElapsedMs: 2 ** config.layout.timeBits - 1,
    };
    this.#state = initialState(config.notBeforeUnixMs - config.epochMs);
  }

  /** Bytes per ID. */
  get idSize(): number {
    return this.layout.byteLength;
  }

  /** Unix ms of the last ID issued, or `undefined` before the first. */
  get lastIssuedUnixMs(): number | undefined {
    return this.#issued ? this.#state.elapsedMs + this.epochMs : undefined;
  }

  /** One ID. Throws ClockError while the clock is behind, TimeRangeError outside the layout's time. */
  next(): bigint {
    this.#take(1, true);
    return this.#encoder.toBigInt(this.#runElapsedMs, this.#runFirstSequence);
  }

  /** One ID, or the ClockError as a value (Snowflakex's `new()` to `next()`'s `new!()`). */
  tryNext(): NextResult {
    try {
      return { ok: true, id: this.next() };
    } catch (error) {
      if (error instanceof ClockError) return { ok: false, error };
      throw error;
    }
  }

  /** `count` IDs in increasing order. */
  nextBatch(count: number): bigint[] {
    const ids = new Array<bigint>(count);
    for (let i = 0; i < count; ) {
      const granted = this.#take(count - i, true);
      for (let k = 0; k < granted; k++) ids[i + k] = this.#encoder.toBigInt(this.#runElapsedMs, this.#runFirstSequence + k);
      i += granted;
    }
    return ids;
  }

  /** `count` IDs as `count * idSize` big-endian bytes, in increasing order. */
  nextBytes(count: number): Uint8Array {
    const bytes = new Uint8Array(count * this.layout.byteLength);
    this.fill(bytes, 0, count);
    return bytes;
  }

  /** Writes `count` IDs into `target` from byte `offset`, waiting for new milliseconds as needed. */
  fill(target: Uint8Array, offset: number, count: number): void {
    const view = new DataView(target.buffer, target.byteOffset, target.byteLength);
    const size = this.layout.byteLength;
    for (let written = 0; written < count; ) {
      const granted = this.#take(count - written, true);
      this.#encoder.writeRun(view, offset + written * size, this.#runElapsedMs, this.#runFirstSequence, granted);
      written += granted;
    }
  }

  /**
   * Writes up to `max` IDs into `target` from byte `offset` without waiting, and returns how
   * many it wrote: 0 when this millisecond's sequence is spent (try again in the next one).
   * For servers, which must not block other clients while a millisecond runs out.
   */
  fillAvailable(target: Uint8Array, offset: number, max: number): number {
    const granted = this.#take(max, false);
    if (granted > 0) {
      const view = new DataView(target.buffer, target.byteOffset, target.byteLength);
      this.#encoder.writeRun(view, offset, this.#runElapsedMs, this.#runFirstSequence, granted);
    }
    return granted;
  }

  /**
   * Milliseconds until the generator can issue an ID: 0 when it can now. Throws what `next()`
   * would throw for a time outside the layout. Asks no gate and changes nothing.
   */
  msUntilReady(): number {
    const allocation = allocate(this.#state, this.#config.clock.now() - this.epochMs, 1, this.#limits);
    switch (allocation.kind) {
      case 'issue':
        return 0;
      case 'exhausted':
        return 1;
      case 'behind':
        return allocation.remainingMs;
      default:
        return this.#rangeError(allocation.kind);
    }
  }

  /** Grants a run of 1..max IDs into #runElapsedMs/#runFirstSequence; 0 only when !wait. */
  #take(max: number, wait: boolean): number {
    const clock = this.#config.clock;
    for (;;) {
      const nowElapsedMs = clock.now() - this.epochMs;
      const allocation = allocate(this.#state, nowElapsedMs, max, this.#limits);
      switch (allocation.kind) {
        case 'issue':
          if (allocation.elapsedMs !== this.#admittedElapsedMs) this.#admit(allocation.elapsedMs);
          this.#state = allocation.state;
          this.#issued = true;
          this.#runElapsedMs = allocation.elapsedMs;
          this.#runFirstSequence = allocation.firstSequence;
          return allocation.count;
        case 'exhausted':
          if (!wait) return 0;
          continue; // spin until the next millisecond: at most 1 ms
        case 'behind':
          throw new ClockError(this.#issued ? 'ERR_CLOCK_BACKWARDS' : 'ERR_WAITING_FOR_START', allocation.remainingMs);
        default:
          return this.#rangeError(allocation.kind);
      }
    }
  }

  #admit(elapsedMs: number): void {
    const unixMs = elapsedMs + this.epochMs;
    for (const gate of this.#config.gates) gate.admit(unixMs);
    this.#admittedElapsedMs = elapsedMs;
  }

  #rangeError(kind: 'beforeEpoch' | 'overflow'): never {
    const nowMs = this.#config.clock.now();
    if (kind === 'beforeEpoch') {
      throw new TimeRangeError(
        'ERR_TIME_BEFORE_EPOCH',
        nowMs,
        `the clock reads ${iso(nowMs)}, before the epoch ${iso(this.epochMs)}: no ${this.layout.name} ID can be made`,
      );
    }
    const lastMs = this.epochMs + this.#limits.maxElapsedMs;
    throw new TimeRangeError(
      'ERR_TIME_OVERFLOW',
      nowMs,
      `the clock reads ${iso(nowMs)}, past the last time a ${this.layout.name} ID with epoch ${iso(this.epochMs)} can hold (${iso(lastMs)})`,
    );
  }
}

function iso(unixMs: number): string {
  const date = new Date(unixMs);
  return Number.isNaN(date.getTime()) ? `${unixMs} ms` : date.toISOString();
}
