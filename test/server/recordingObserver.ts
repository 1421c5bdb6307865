import type { ListenerKind, RequestOutcome, ServerObserver } from '../../src/server/ServerObserver.js';

export interface RecordedRequest {
  readonly listener: ListenerKind;
  readonly outcome: RequestOutcome;
  readonly ids: number;
}

/** A ServerObserver that remembers what it was told and lets a test await the next event. */
export class RecordingObserver implements ServerObserver {
  opened = 0;
  closed = 0;
  issued = 0;
  exhausted = 0;
  readonly behind: number[] = [];
  readonly requests: RecordedRequest[] = [];
  #waiters: (() => void)[] = [];

  connectionOpened(): void {
    this.opened++;
    this.#notify();
  }
  connectionClosed(): void {
    this.closed++;
    this.#notify();
  }
  requestFinished(listener: ListenerKind, outcome: RequestOutcome, ids: number): void {
    this.requests.push({ listener, outcome, ids });
    this.#notify();
  }
  idsIssued(count: number): void {
    this.issued += count;
  }
  sequenceExhausted(): void {
    this.exhausted++;
  }
  clockBehind(behindMs: number): void {
    this.behind.push(behindMs);
  }

  /** Resolves once `condition` holds, re-checked after every connection or request event. */
  async until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  #notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
