import type { Socket } from 'node:net';

/**
 * With a token: an HTTP connection that has not sent one request with the right token within
 * `timeoutMs` of opening is closed, as a TCP connection that has not authenticated is (the
 * `authTimeout`). Without it, a client that never authenticates would hold a connection, and a
 * file descriptor, for the whole keep-alive time (65 s) after each request it makes.
 * A connection that authenticated once keeps the usual keep-alive time.
 */
export class AuthDeadline {
  readonly #timeoutMs: number;
  readonly #timers = new WeakMap<Socket, NodeJS.Timeout>();

  /** `timeoutMs` 0, or no token: connections are never closed for this. */
  constructor(timeoutMs: number, tokenRequired: boolean) {
    this.#timeoutMs = tokenRequired ? timeoutMs : 0;
  }

  /** Starts the clock for a new connection. */
  watch(socket: Socket): void {
    if (this.#timeoutMs === 0) return;
    const timer = setTimeout(() => socket.destroy(), this.#timeoutMs).unref();
    this.#timers.set(socket, timer);
    socket.once('close', () => clearTimeout(timer));
  }

  /** The connection made a request with the right token: no deadline any more. */
  passed(socket: Socket): void {
    const timer = this.#timers.get(socket);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.#timers.delete(socket);
  }
}
