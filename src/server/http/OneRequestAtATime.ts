import type { Socket } from 'node:net';
import type { ServerResponse } from 'node:http';
import type { ServerObserver } from '../ServerObserver.js';

/**
 * Requests parsed and waiting on one connection at most, by default: one more and the
 * connection is destroyed (outcome `pipeline_full`). Far above what pipelining clients keep in
 * flight (Flakery's benchmarks: 8), far below the ~1,500 small requests one 64 KB read holds.
 */
export const MAX_WAITING_REQUESTS = 64;

export interface OneRequestAtATimeOptions {
  /** Requests waiting on one connection at most; one more destroys the connection. Default MAX_WAITING_REQUESTS. */
  readonly maxWaiting?: number;
  /** Told of each connection destroyed for going over the cap, as a refused request. */
  readonly observer: ServerObserver;
}

/** Per connection served by node:http: whether an answer is under way, and what waits. */
interface Turns {
  /** The answer under way; `undefined` between requests. */
  current: ServerResponse | undefined;
  waitingForDrain: boolean;
  /** This class stopped node:http reading the socket while requests wait. */
  pausedReading: boolean;
  readonly queue: (() => void)[];
}

/** node:http's own flag and parser: set, its parser stops after the read under way, as when it pauses for a full socket. */
type HttpSocket = Socket & { _paused?: boolean; parser?: { pause(): void; resume(): void } | null };

/** What a node:http connection holds of the requests pipelined on it; for tests and diagnostics. */
export interface PipelineState {
  /** Requests parsed and waiting for the one under way to be written. */
  readonly waiting: number;
  /** The answer under way is written and waits for the client to read before the next is started. */
  readonly waitingForDrain: boolean;
  /** The socket is not read: requests wait, so parsing more would only pile them up. */
  readonly readingPaused: boolean;
}

/**
 * Serves the requests of one node:http connection one after another: a request is started only
 * once the answer before it is handed to the kernel (its `finish`) and the socket has room for
 * more (no `drain` pending).
 *
 * Why: node:http parses a whole read of pipelined requests at once and calls the handler for
 * every one of them before any answer is queued; a client that pipelines hundreds of requests
 * per read and never reads the answers made the server build them all (GBs for 50 such
 * connections). Here, a client that does not read holds one answer (plus node:http's request
 * objects of the read under way when it paused) — about what a TCP connection holds. Reading
 * pauses here while requests wait, with node:http's own mechanism (`socket._paused`, which
 * stops its parser after the read under way): node:http pauses by itself only when unwritten
 * answer bytes pass the high-water mark, which small answers held back here never do, so a
 * client pipelining small requests without reading made it parse and queue every one (GBs).
 * Reading resumes once the last waiting request has started. Answers were in order already;
 * nothing changes for a client that reads.
 *
 * The pause only takes effect after the read under way: node:http parses a whole read (up to
 * 64 KB, ~1,500 small requests, each an IncomingMessage and a ServerResponse, ~3 KB) before it
 * looks at the flag, and no API stops it mid-read. So the requests waiting on a connection are
 * capped (`maxWaiting`): the one past the cap destroys the connection at once, which releases
 * every request node:http parsed for it (a client that pipelines that deep and does not read
 * would never take the answers; one that does resends the unanswered requests, as after any
 * keep-alive close, RFC 9112 §9.3.2). Requests node:http still hands over from the same read are
 * dropped unstarted.
 */
export class OneRequestAtATime {
  readonly #turns = new WeakMap<Socket, Turns>();
  readonly #maxWaiting: number;
  readonly #observer: ServerObserver;

  constructor(options: OneRequestAtATimeOptions) {
    this.#maxWaiting = options.maxWaiting ?? MAX_WAITING_REQUESTS;
    this.#observer = options.observer;
  }

  /** Runs `start` for the request answered by `res` now, or once the ones before it are written. */
  run(socket: Socket, res: ServerResponse, start: () => void): void {
    if (socket.destroyed) return; // the rest of a read whose connection went over the cap
    let turns = this.#turns.get(socket);
    if (turns === undefined) {
      turns = { current: undefined, waitingForDrain: false, pausedReading: false, queue: [] };
      this.#turns.set(socket, turns);
      const forget = turns;
      socket.once('close', () => (forget.queue.length = 0));
    }
    const own = turns;
    const begin = (): void => {
      own.current = res;
      // 'finish': the whole answer is handed to the kernel; 'close' alone: it was cut short.
      let done = false;
      const next = (): void => {
        if (done) return;
        done = true;
        this.#next(socket, own);
      };
      res.once('finish', next).once('close', next);
      start();
    };
    if (own.current !== undefined || own.waitingForDrain) {
      if (own.queue.length >= this.#maxWaiting) {
        own.queue.length = 0;
        socket.destroy();
        this.#observer.requestFinished('http', 'pipeline_full', 0, 0);
        return;
      }
      own.queue.push(begin);
      pauseReading(socket, own);
    } else begin();
  }

  /** The connection's pipeline, or `undefined` before its first request. */
  state(socket: Socket): PipelineState | undefined {
    const turns = this.#turns.get(socket);
    if (turns === undefined) return undefined;
    const written = turns.current !== undefined && turns.current.writableEnded && !turns.current.writableFinished;
    return { waiting: turns.queue.length, waitingForDrain: turns.waitingForDrain || written, readingPaused: socket.isPaused() };
  }

  #next(socket: Socket, turns: Turns): void {
    turns.current = undefined;
    if (socket.destroyed) {
      turns.queue.length = 0;
      return;
    }
    if (turns.queue.length === 0) return;
    if (socket.writableNeedDrain) {
      turns.waitingForDrain = true;
      const resume = (): void => {
        socket.off('drain', resume).off('close', resume);
        turns.waitingForDrain = false;
        this.#startNext(socket, turns);
      };
      socket.on('drain', resume).on('close', resume);
      return;
    }
    this.#startNext(socket, turns);
  }

  #startNext(socket: Socket, turns: Turns): void {
    if (socket.destroyed) {
      turns.queue.length = 0;
      return;
    }
    turns.queue.shift()?.();
    if (turns.queue.length === 0) resumeReading(socket, turns);
  }
}

function pauseReading(socket: HttpSocket, turns: Turns): void {
  if (socket._paused === true) return;
  socket._paused = true;
  turns.pausedReading = true;
  socket.pause();
}

/** As node:http resumes after a drain; only when this class paused. */
function resumeReading(socket: HttpSocket, turns: Turns): void {
  if (!turns.pausedReading) return;
  turns.pausedReading = false;
  if (socket._paused !== true || socket.destroyed) return;
  socket._paused = false;
  socket.parser?.resume();
  socket.resume();
}
