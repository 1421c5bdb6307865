import type { Socket } from 'node:net';
import { FlakeryError } from '../errors.js';
import { outcomeOfError } from './outcomeOfError.js';
import { FRAME_SIZE } from '../protocol/constants.js';
import { FrameDecoder } from '../protocol/FrameDecoder.js';
import { ServerSession } from '../protocol/ServerSession.js';
import type { IdService } from './IdService.js';
import type { RequestOutcome, ServerObserver } from './ServerObserver.js';

export interface TcpConnectionOptions {
  readonly service: IdService;
  readonly token: Uint8Array | undefined;
  readonly maxCount: number;
  /** No bytes in or out for this long: the socket is destroyed. 0: never. */
  readonly idleTimeoutMs: number;
  /** With a token: the auth frame must be complete within this long. 0: no limit. */
  readonly authTimeoutMs: number;
  readonly observer: ServerObserver;
}

/** What a connection is doing, for tests and the operator. */
export interface TcpConnectionState {
  /** A request is being answered. */
  readonly serving: boolean;
  /** The socket's buffer is full and the answer waits for the peer to read. */
  readonly waitingForDrain: boolean;
  /** Bytes written to the socket and not yet handed to the kernel. */
  readonly bufferedBytes: number;
  /** Bytes received and not yet decoded (held while a request streams). */
  readonly pendingBytes: number;
}

/**
 * One TCP connection: a FrameDecoder turns bytes into frames, a ServerSession judges each frame,
 * and the IdService streams the answers. Requests are answered strictly one after another, so
 * pipelined requests are answered in order; while one streams, the socket is paused, so a client
 * that pipelines without reading cannot make the server buffer its requests.
 *
 * Every error ends the connection without writing another byte: the protocol has no error
 * message, and after a wrong token not one byte may go back. A connection that was already
 * answered is ended gracefully (FIN after the answers, input drained, destroyed after
 * {@link LINGER_MS}) rather than destroyed: closing a socket with unread input sends a reset,
 * which can make the peer drop answers it had not read yet.
 */
/** How long an ended connection may take to send its last answers and close. */
const LINGER_MS = 2_000;

export class TcpConnection {
  readonly socket: Socket;
  readonly #options: TcpConnectionOptions;
  readonly #decoder = new FrameDecoder();
  readonly #session: ServerSession;
  #pumping = false;
  #serving = false;
  #waitingForDrain = false;
  #inputEnded = false;
  #closing = false;
  /** Our side has ended: input is read and dropped until the peer closes too. */
  #draining = false;
  /** Some answer bytes went out on this connection. */
  #wrote = false;
  #authTimer: NodeJS.Timeout | undefined;
  readonly #closed: Promise<void>;

  constructor(socket: Socket, options: TcpConnectionOptions) {
    this.socket = socket;
    this.#options = options;
    this.#session = new ServerSession({ token: options.token, maxCount: options.maxCount });
    this.#closed = new Promise((resolve) => socket.once('close', () => resolve()));

    socket.setNoDelay(true);
    if (options.idleTimeoutMs > 0) {
      socket.setTimeout(options.idleTimeoutMs, () => this.#abort());
    }
    if (this.#session.requiresAuth && options.authTimeoutMs > 0) {
      this.#authTimer = setTimeout(() => this.#abort('auth_failed'), options.authTimeoutMs);
      this.#authTimer.unref();
    }
    socket.on('data', (chunk: Buffer) => {
      if (this.#draining) return;
      this.#decoder.push(chunk);
      this.#pump();
    });
    socket.on('end', () => {
      this.#inputEnded = true;
      this.#pump();
    });
    // A reset or a write to a closed peer: nothing to answer any more.
    socket.on('error', () => socket.destroy());
    socket.once('close', () => clearTimeout(this.#authTimer));
  }

  /** Resolves when the socket has closed, for whatever reason. */
  get closed(): Promise<void> {
    return this.#closed;
  }

  get state(): TcpConnectionState {
    return {
      serving: this.#serving,
      waitingForDrain: this.#waitingForDrain,
      bufferedBytes: this.socket.writableLength,
      pendingBytes: this.#decoder.pendingBytes,
    };
  }

  /**
   * Graceful end: read no more requests, finish the answers to those already received, then
   * close. An idle connection closes at once.
   */
  shutdown(): void {
    this.#closing = true;
    this.socket.pause();
    this.#pump();
  }

  /**
   * Decodes and answers queued frames until none is complete or the connection ends. A request
   * the generator can answer at once is answered synchronously (see #serve), in the `data`
   * handler itself: no pause, resume or promise per request, which in a single-ID exchange cost
   * as much as the rest of the server's work. Only when an answer must wait (a spent
   * millisecond, a large count, a full socket buffer) is the socket paused, so a client that
   * pipelines without reading cannot make the server buffer its requests, and pumping goes on
   * when that answer is done. While pipelined frames are queued the socket is corked, so their
   * answers leave in one write.
   */
  #pump(): void {
    if (this.#pumping || this.socket.destroyed) return;
    this.#pumping = true;
    const socket = this.socket;
    let corked = false;
    let waiting = false;
    try {
      for (let frame = this.#decoder.next(); frame !== undefined; frame = this.#decoder.next()) {
        const action = this.#session.receive(frame);
        if (action === undefined) {
          clearTimeout(this.#authTimer); // an accepted auth header
          continue;
        }
        if (action.kind === 'close') {
          if (corked) {
            corked = false;
            socket.uncork(); // the answers to the frames before this one still go out
          }
          this.#abort(outcomeOfError(action.error));
          return;
        }
        clearTimeout(this.#authTimer);
        if (!corked && this.#decoder.pendingBytes >= FRAME_SIZE) {
          socket.cork();
          corked = true;
        }
        const served = this.#serve(action.count);
        if (served === true) continue;
        if (corked) {
          // Nothing may wait while corked: a full buffer's `drain` would never come.
          corked = false;
          socket.uncork();
        }
        if (served === false) return;
        waiting = true;
        socket.pause();
        served.then((ok) => {
          this.#pumping = false;
          if (!ok) return;
          if (!this.#closing) socket.resume();
          this.#pump();
        }, () => socket.destroy());
        return;
      }
      if (corked) {
        corked = false;
        socket.uncork();
      }
      if (this.#decoder.hasPartialFrame && (this.#inputEnded || this.#closing)) {
        // The peer stopped inside a frame (or we are shutting down): a truncated frame.
        this.#abort('bad_request');
      } else if (this.#inputEnded || this.#closing) {
        this.#finish();
      }
    } finally {
      if (corked) socket.uncork();
      if (!waiting) this.#pumping = false;
    }
  }

  /**
   * Answers one request: true or false (the connection had to be destroyed) when done at once,
   * else a promise of that. A small request whose IDs this millisecond still has is written
   * synchronously, without the promise and event-loop hops of IdService.issue, which for a
   * single ID cost as much as the rest of the request; anything else streams through issue().
   */
  #serve(count: number): boolean | Promise<boolean> {
    const started = performance.now();
    const { service, observer } = this.#options;
    let delivered = 0;
    let written: void | Promise<void> = undefined;
    if (count <= service.chunkIds) {
      try {
        const ids = service.issueNow(count);
        if (ids.length > 0) {
          delivered = ids.length / service.idSize;
          written = this.#write(ids);
        }
      } catch (error) {
        return this.#failed(error, delivered, started);
      }
      if (delivered === count && written === undefined) {
        observer.requestFinished('tcp', 'ok', delivered, (performance.now() - started) / 1000);
        return true;
      }
    }
    return this.#stream(count, delivered, written, started);
  }

  /** The rest of an answer, through IdService.issue (chunks, backpressure, clock waits). */
  async #stream(count: number, delivered: number, written: void | Promise<void>, started: number): Promise<boolean> {
    const { observer } = this.#options;
    this.#serving = true;
    try {
      await written;
      if (delivered < count) {
        await this.#options.service.issue(count - delivered, (ids, n) => {
          delivered += n;
          return this.#write(ids);
        });
      }
      observer.requestFinished('tcp', 'ok', delivered, (performance.now() - started) / 1000);
      return true;
    } catch (error) {
      return this.#failed(error, delivered, started);
    } finally {
      this.#serving = false;
    }
  }

  /** A request that failed: report it and destroy the socket. */
  #failed(error: unknown, delivered: number, started: number): false {
    const outcome: RequestOutcome = this.socket.destroyed ? 'aborted' : outcomeOfError(error);
    this.#options.observer.requestFinished('tcp', outcome, delivered, (performance.now() - started) / 1000);
    this.socket.destroy();
    return false;
  }

  /** Writes one chunk; a promise that settles on `drain` when the socket's buffer is full. */
  #write(ids: Uint8Array): void | Promise<void> {
    const socket = this.socket;
    if (socket.destroyed) throw new FlakeryError('ERR_CONNECTION_LOST', 'the connection closed during the answer');
    this.#wrote = true;
    if (socket.write(ids)) return;
    this.#waitingForDrain = true;
    return new Promise<void>((resolve, reject) => {
      const done = (error?: FlakeryError) => {
        this.#waitingForDrain = false;
        socket.off('drain', onDrain);
        socket.off('close', onClose);
        if (error) reject(error);
        else resolve();
      };
      const onDrain = () => done();
      const onClose = () => done(new FlakeryError('ERR_CONNECTION_LOST', 'the connection closed during the answer'));
      socket.on('drain', onDrain);
      socket.on('close', onClose);
    });
  }

  /**
   * Ends our side after the last answer. Input is then read and dropped (not left unread, which
   * would turn the close into a reset that can cost the peer its last answer) until the peer
   * closes; the server's close deadline covers peers that never do.
   */
  #finish(): void {
    this.#draining = true;
    this.socket.end();
    this.socket.resume();
  }

  /** Closes without another byte; reports a refused frame or timeout when `outcome` is given. */
  #abort(outcome?: RequestOutcome): void {
    const socket = this.socket;
    if (socket.destroyed || this.#draining) return;
    if (outcome !== undefined) this.#options.observer.requestFinished('tcp', outcome, 0, 0);
    if (!this.#wrote) {
      socket.destroy();
      return;
    }
    this.#finish();
    const linger = setTimeout(() => socket.destroy(), LINGER_MS);
    linger.unref();
    socket.once('close', () => clearTimeout(linger));
  }
}
