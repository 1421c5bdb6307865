import { ClockError, FlakeryError } from '../../errors.js';
import type { TimeGate } from '../../generator/TimeGate.js';

/**
 * The gate of one holding of one worker id. It admits a millisecond only while all of these hold:
 * - the holding has not been revoked (released, or the id went to someone else);
 * - the monotonic clock is before `validUntil`: the send time of the last successful renewal
 *   plus the TTL minus a safety margin. Redis starts the TTL when the command arrives, which is
 *   after it was sent, so the lease is still ours at least until then — the margin covers a
 *   pause between this check and the IDs going out. A monotonic clock is used because the
 *   wall clock may be stepped;
 * - the time is at most `issueUntil`, the deadline this holder wrote into Redis (the next
 *   holder of the id starts after it), so a wall clock stepped forward cannot break that promise;
 * - the time is at least `notBefore`, past the previous holder's deadline.
 */
export class LeaseGate implements TimeGate {
  readonly workerId: number;
  readonly #monotonicNow: () => number;
  #validUntilMono: number;
  #issueUntilUnixMs: number;
  #notBeforeUnixMs: number;
  #maxAdmittedUnixMs = -1;
  #revoked: string | undefined;
  #reason = 'its lease has not been renewed in time';

  constructor(
    workerId: number,
    monotonicNow: () => number,
    validUntilMono: number,
    issueUntilUnixMs: number,
    notBeforeUnixMs: number,
  ) {
    this.workerId = workerId;
    this.#monotonicNow = monotonicNow;
    this.#validUntilMono = validUntilMono;
    this.#issueUntilUnixMs = issueUntilUnixMs;
    this.#notBeforeUnixMs = notBeforeUnixMs;
  }

  admit(unixMs: number): void {
    if (this.#revoked !== undefined) {
      throw new FlakeryError('ERR_LEASE_LOST', `worker id ${this.workerId}: ${this.#revoked}; refusing to issue IDs`);
    }
    if (this.#monotonicNow() >= this.#validUntilMono) {
      throw new FlakeryError(
        'ERR_LEASE_LOST',
        `worker id ${this.workerId} may no longer be held: ${this.#reason}; refusing to issue IDs until it is renewed`,
      );
    }
    if (unixMs > this.#issueUntilUnixMs) {
      throw new FlakeryError(
        'ERR_LEASE_LOST',
        `worker id ${this.workerId}: the clock (${unixMs}) is past the lease's deadline (${this.#issueUntilUnixMs}); ` +
          'refusing to issue IDs until the next renewal',
      );
    }
    if (unixMs < this.#notBeforeUnixMs) {
      throw new ClockError('ERR_WAITING_FOR_START', this.#notBeforeUnixMs - unixMs);
    }
    if (unixMs > this.#maxAdmittedUnixMs) this.#maxAdmittedUnixMs = unixMs;
  }

  /** The latest time admitted so far (-1: none). */
  get maxAdmittedUnixMs(): number {
    return this.#maxAdmittedUnixMs;
  }

  get notBeforeUnixMs(): number {
    return this.#notBeforeUnixMs;
  }

  get issueUntilUnixMs(): number {
    return this.#issueUntilUnixMs;
  }

  get revoked(): boolean {
    return this.#revoked !== undefined;
  }

  /** Milliseconds the gate still admits without another renewal, rounded up (0: it refuses). */
  validForMs(): number {
    if (this.#revoked !== undefined) return 0;
    return Math.max(0, Math.ceil(this.#validUntilMono - this.#monotonicNow()));
  }

  /** After a successful renewal or claim: admits until the new deadlines. */
  extend(validUntilMono: number, issueUntilUnixMs: number, notBeforeUnixMs = this.#notBeforeUnixMs): void {
    this.#validUntilMono = validUntilMono;
    this.#issueUntilUnixMs = Math.max(this.#issueUntilUnixMs, issueUntilUnixMs);
    this.#notBeforeUnixMs = Math.max(this.#notBeforeUnixMs, notBeforeUnixMs);
  }

  /** Refuses from now on until the next `extend`: the lease is known to be gone. */
  suspend(reason: string): void {
    this.#validUntilMono = Number.NEGATIVE_INFINITY;
    this.#reason = reason;
  }

  /** Records why renewals fail, for the message of a refusal. */
  noteFailure(reason: string): void {
    this.#reason = reason;
  }

  /** Refuses for good. */
  revoke(reason: string): void {
    this.#revoked ??= reason;
  }
}
