import type { Clock } from './Clock.js';

/**
 * A clock that only moves when told to, for tests and simulations.
 * With `autoAdvanceMs > 0` every reading moves it forward by that much afterwards, so a
 * generator that spins waiting for the next millisecond still makes progress.
 */
export class ManualClock implements Clock {
  #nowMs: number;
  readonly #autoAdvanceMs: number;

  constructor(startMs: number, options: { autoAdvanceMs?: number } = {}) {
    this.#nowMs = startMs;
    this.#autoAdvanceMs = options.autoAdvanceMs ?? 0;
  }

  now(): number {
    const reading = this.#nowMs;
    this.#nowMs += this.#autoAdvanceMs;
    return reading;
  }

  /** Sets the time, forwards or backwards (an NTP step). */
  set(unixMs: number): void {
    this.#nowMs = unixMs;
  }

  /** Moves the time by `ms`, which may be negative. */
  advance(ms: number): void {
    this.#nowMs += ms;
  }
}
