import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Writable } from 'node:stream';

/**
 * Writes a command's output with backpressure, and stops quietly when the reader goes away.
 *
 * `flakery gen --count 1000000000 | head` must end soon after `head` exits, without an
 * error: the next write fails with EPIPE, after which `closed` is true and every write is a
 * no-op, so the producer sees `closed` and stops. Any other write error is thrown.
 *
 * On Linux, writes to a pipe or a file are synchronous, so `write` rarely says to wait; each
 * write still yields one turn of the event loop, which lets a signal or an error event in.
 */
export class OutputWriter {
  readonly #out: Writable;
  #closed = false;

  constructor(out: Writable) {
    this.#out = out;
    // Without a listener, the 'error' that follows a failed write would crash the process;
    // the error itself is read from `errored` by the next write or flush.
    out.on('error', () => {});
  }

  /** True once the reader has gone away (EPIPE): stop producing output. */
  get closed(): boolean {
    return this.#closed || this.#check();
  }

  /** Writes `chunk` (not reused by the caller afterwards) and resolves when more may follow. */
  async write(chunk: Uint8Array | string): Promise<void> {
    if (this.closed) return;
    const more = this.#out.write(chunk);
    if (this.#check()) return;
    if (more) {
      await nextTurn();
    } else {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.#out.off('drain', done).off('close', done).off('error', done);
          resolve();
        };
        this.#out.on('drain', done).on('close', done).on('error', done);
      });
    }
    this.#check();
  }

  /** Resolves once everything written so far has reached the stream's destination. */
  async flush(): Promise<void> {
    if (this.closed) return;
    await new Promise<void>((resolve) => this.#out.write('', () => resolve()));
    this.#check();
  }

  /** Marks the writer closed after EPIPE; throws any other error the stream has met. */
  #check(): boolean {
    const error = this.#out.errored;
    if (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
      this.#closed = true;
    } else if (this.#out.destroyed) {
      this.#closed = true;
    }
    return this.#closed;
  }
}
