/**
 * The generator's step, as a pure function: given what was issued last and what the clock
 * reads now, which IDs may be issued? Everything that makes IDs unique and increasing is here.
 */

/** What a generator remembers between calls. */
export interface SequenceState {
  /** Milliseconds since the epoch of the last IDs issued (or the earliest time allowed). */
  readonly elapsedMs: number;
  /** The next unused sequence number at `elapsedMs`; `maxSequence + 1` when spent. */
  readonly nextSequence: number;
}

/** The fixed bounds of one layout. */
export interface SequenceLimits {
  /** 2^sequenceBits - 1. */
  readonly maxSequence: number;
  /** 2^timeBits - 1. */
  readonly maxElapsedMs: number;
}

export type Allocation =
  /** Issue `count` IDs at `elapsedMs` with sequences from `firstSequence`; then `state`. */
  | {
      readonly kind: 'issue';
      readonly elapsedMs: number;
      readonly firstSequence: number;
      readonly count: number;
      readonly state: SequenceState;
    }
  /** Every sequence of this millisecond is used: wait for the next one. */
  | { readonly kind: 'exhausted' }
  /** The clock reads earlier than the state: refuse for `remainingMs`. */
  | { readonly kind: 'behind'; readonly remainingMs: number }
  /** The clock reads a time before the epoch. */
  | { readonly kind: 'beforeEpoch' }
  /** The clock reads a time past what the time field holds. */
  | { readonly kind: 'overflow' };

/**
 * Allocates up to `count` (>= 1) IDs at `nowElapsedMs` (the clock's reading minus the epoch).
 * The sequence restarts at 0 in each new millisecond; within one it continues where the last
 * call stopped; it never wraps. A clock behind `state.elapsedMs` issues nothing.
 */
export function allocate(state: SequenceState, nowElapsedMs: number, count: number, limits: SequenceLimits): Allocation {
  if (nowElapsedMs < 0) return { kind: 'beforeEpoch' };
  if (nowElapsedMs > limits.maxElapsedMs) return { kind: 'overflow' };
  if (nowElapsedMs < state.elapsedMs) return { kind: 'behind', remainingMs: state.elapsedMs - nowElapsedMs };
  const firstSequence = nowElapsedMs === state.elapsedMs ? state.nextSequence : 0;
  const available = limits.maxSequence + 1 - firstSequence;
  if (available <= 0) return { kind: 'exhausted' };
  const granted = count < available ? count : available;
  return {
    kind: 'issue',
    elapsedMs: nowElapsedMs,
    firstSequence,
    count: granted,
    state: { elapsedMs: nowElapsedMs, nextSequence: firstSequence + granted },
  };
}

/**
 * The state before the first ID: nothing may be issued before `notBeforeElapsedMs`
 * (`waitFor`, or a restored high-water mark), and everything from then on is free.
 */
export function initialState(notBeforeElapsedMs: number): SequenceState {
  return { elapsedMs: Math.max(notBeforeElapsedMs, -1), nextSequence: 0 };
}
