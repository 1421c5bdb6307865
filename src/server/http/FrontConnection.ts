import { Buffer } from 'node:buffer';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ServerObserver } from '../ServerObserver.js';
import type { AuthDeadline } from './AuthDeadline.js';
import type { OneRequestAtATime } from './OneRequestAtATime.js';
import type { QuickIdsResponder } from './QuickIdsResponder.js';
import { readQuickHead } from './readQuickHead.js';

const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');

export interface FrontConnectionOptions {
  readonly responder: QuickIdsResponder;
  /** The largest count answered here; larger ones go to node:http, which streams them. */
  readonly maxQuickCount: number;
  /** A head longer than this goes to node:http, which answers 431. */
  readonly maxHeaderBytes: number;
  /** An idle connection is closed after this long, as node:http closes an idle keep-alive one. */
  readonly keepAliveTimeoutMs: number;
  readonly observer: ServerObserver;
  /** Gives the socket to node:http for good: `httpServer.emit('connection', socket)`. */
  readonly handOff: (socket: Socket) => void;
  /** How node:http serves the connection's requests after a hand-off: one at a time. */
  readonly pipeline: OneRequestAtATime;
  /** Closes connections that do not authenticate in time; a quick answer is an authenticated request. */
  readonly authDeadline: AuthDeadline;
}

/** What serves a connection now, and how many requests the quick path answered on it. */
export interface HttpConnectionState {
  readonly servedBy: 'quick' | 'node:http';
  readonly quickAnswers: number;
  /** Answer bytes written to the socket and not yet taken by the kernel. */
  readonly bufferedBytes: number;
  /** After a hand-off: requests node:http parsed that wait for the answer before theirs to be written. */
  readonly waitingRequests: number;
  /** After a hand-off: the next request waits for the client to read (the socket to drain). */
  readonly waitingForDrain: boolean;
  /** The socket is not being read (the requests read wait for the client to read the answers). */
  readonly readingPaused: boolean;
}

/**
 * One accepted HTTP connection while the quick path serves it: every complete request head in
 * each chunk read is either a quick `GET /v1/ids` (readQuickHead), answered at once, in order,
 * all the answers of one chunk in one write — or it is not, and the connection is handed to
 * node:http for good, with that head and everything after it pushed back into the socket for
 * node:http's parser to read first.
 *
 * Why: node:http costs several times what making an ID does per request (parser callbacks,
 * IncomingMessage and ServerResponse objects, header bookkeeping, timers). Serving the one hot
 * request here, straight from the bytes as the TCP protocol does, and everything else — other
 * endpoints, errors, bodies, HTTP/1.0, `Connection: close`, streaming — with node:http keeps a
 * single implementation of everything but the hot path.
 *
 * The quick path never waits for more bytes: a partial head left at the end of a chunk is
 * handed off too, so node:http's headersTimeout guards a slow client, not this class. Hence a
 * connection here never has a request under way between chunks: closing it is always safe.
 */
export class FrontConnection {
  readonly socket: Socket;
  /** Resolves once the socket is closed, whichever side served it last. */
  readonly closed: Promise<void>;
  readonly #options: FrontConnectionOptions;
  #state: 'quick' | 'handed-off' | 'closing' = 'quick';
  #quickAnswers = 0;
  readonly #onData = (chunk: Buffer): void => this.#read(chunk);
  readonly #onTimeout = (): void => void this.socket.destroy();
  // The listener allows half-open connections (node:http needs that after a hand-off); here,
  // with every request answered, the client's end is the end of the connection.
  readonly #onEnd = (): void => void this.socket.end();

  constructor(socket: Socket, options: FrontConnectionOptions) {
    this.socket = socket;
    this.#options = options;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.setTimeout(options.keepAliveTimeoutMs);
    socket.on('data', this.#onData).on('timeout', this.#onTimeout).on('end', this.#onEnd);
    options.authDeadline.watch(socket);
  }

  /** For tests and diagnostics. */
  get state(): HttpConnectionState {
    const pipeline = this.#options.pipeline.state(this.socket);
    return {
      servedBy: this.#state === 'handed-off' ? 'node:http' : 'quick',
      quickAnswers: this.#quickAnswers,
      bufferedBytes: this.socket.writableLength,
      waitingRequests: pipeline?.waiting ?? 0,
      waitingForDrain: pipeline?.waitingForDrain ?? false,
      readingPaused: pipeline?.readingPaused ?? this.socket.isPaused(),
    };
  }

  /**
   * Graceful close of a connection still served here: it is idle (see the class comment), so
   * it ends once its answers are written; bytes that arrive meanwhile are dropped, as when
   * node:http closes an idle keep-alive connection. No effect after a hand-off.
   */
  shutdown(): void {
    if (this.#state !== 'quick') return;
    this.#state = 'closing';
    this.socket.destroySoon();
  }

  #read(chunk: Buffer): void {
    if (this.#state !== 'quick') return;
    const { responder, maxQuickCount, maxHeaderBytes, observer } = this.#options;
    const startMs = performance.now();
    // A client that pipelines without reading must not make one read cost many answers'
    // memory: past this much, the rest of the chunk goes to node:http, which holds back.
    const maxAnswerChars = this.socket.writableHighWaterMark;
    let answers = '';
    let at = 0;
    while (at < chunk.length && answers.length < maxAnswerChars) {
      const headEnd = chunk.indexOf(HEAD_END, at);
      if (headEnd < 0) break;
      const end = headEnd + HEAD_END.length;
      const head = end - at <= maxHeaderBytes ? readQuickHead(chunk, at, end, maxQuickCount) : undefined;
      const answer = head === undefined ? undefined : responder.answer(head);
      if (answer === undefined) break;
      answers += answer;
      this.#quickAnswers++;
      observer.requestFinished('http', 'ok', head!.count, (performance.now() - startMs) / 1000);
      at = end;
    }
    if (answers.length > 0) {
      this.#options.authDeadline.passed(this.socket);
      this.socket.write(answers, 'latin1');
    }
    if (at < chunk.length) this.#handOff(chunk.subarray(at));
    // A reader that does not keep up: node:http pauses reading while the socket needs to drain.
    else if (this.socket.writableLength >= maxAnswerChars) this.#handOff(undefined);
  }

  /**
   * From here on node:http serves the connection: the quick path's listeners and idle timer
   * come off (node:http sets its own), the unread bytes go back to the front of the socket's
   * buffer, and node:http's parser reads them first when it takes the socket.
   */
  #handOff(unread: Buffer | undefined): void {
    this.#state = 'handed-off';
    const socket = this.socket;
    socket.off('data', this.#onData).off('timeout', this.#onTimeout).off('end', this.#onEnd);
    socket.setTimeout(0);
    if (unread !== undefined) socket.unshift(unread);
    keepTlsReadsInJavaScript(socket);
    this.#options.handOff(socket);
  }
}

/**
 * Makes node:http read a TLS socket through its 'data' events, as it reads one whose stream it
 * cannot take over, instead of taking over the TLS stream itself (`parser.consume`, marked by
 * the handle's `_consumed`). Taken over, the TLS stream hands the parser every record of a read
 * already decrypted even once node:http has paused reading (a client not reading its answers,
 * or OneRequestAtATime holding requests back): a paused parser fails on them (HPE_PAUSED) and
 * the connection was cut, so a TLS client pipelining more than one record's worth lost its
 * answers. Through 'data' events a pause holds.
 */
function keepTlsReadsInJavaScript(socket: Socket): void {
  const handle = (socket as Socket & { _handle?: { _consumed?: boolean } | null })._handle;
  if ('encrypted' in socket && socket.encrypted === true && handle) handle._consumed = true;
}
