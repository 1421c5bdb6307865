import { type Socket, connect as connectTcp } from 'node:net';
import { type ConnectionOptions, connect as connectTls } from 'node:tls';
import { FlakeryError } from '../errors.js';
import { encodeAuth, encodeCount } from '../protocol/FrameEncoder.js';
import type { HostPort } from '../net/hostPort.js';
import { refusedOrLost } from './connectionRefusal.js';
import type { IdTimeCheck } from './IdTimeCheck.js';
import { firstOutOfOrder, outOfOrder } from './answerOrder.js';

/** One server of the client's list, resolved. */
export interface ServerTarget extends HostPort {
  /** Position in the priority list: 0 is tried first. */
  readonly index: number;
  /** `host:port` as configured, for messages. */
  readonly address: string;
  readonly token: Uint8Array | undefined;
}

interface PendingRequest {
  readonly bytes: Uint8Array;
  filled: number;
  /** The first ID's time was judged plausible (or there is no check). */
  firstChecked: boolean;
  readonly resolve: (bytes: Uint8Array) => void;
  readonly reject: (error: unknown) => void;
  timer: NodeJS.Timeout | undefined;
}

/**
 * One TCP connection to one server. Requests are written as they come (pipelined) and the
 * answers, which the server sends in order, are matched to them in order: the first
 * `count * idSize` bytes belong to the first request, and so on.
 *
 * Any failure — the socket closing or erroring, a request timing out (after which the byte
 * stream can no longer be matched to requests), stray bytes, an answer the `check` refuses —
 * ends the connection and rejects every request still waiting, so the client can send them
 * elsewhere. A server that closes before sending a single byte most likely refused the auth
 * token (or wants one): that is ERR_AUTH_REFUSED rather than ERR_CONNECTION_LOST.
 */
export class ClientConnection {
  readonly target: ServerTarget;
  readonly #socket: Socket;
  readonly #idSize: number;
  readonly #check: IdTimeCheck | undefined;
  readonly #pending: PendingRequest[] = [];
  /** The last ID received on this connection: the next answer must start above it. */
  #lastId: Uint8Array | undefined;
  #failure: FlakeryError | undefined;
  #retiring = false;
  /** No byte has come from the server yet: a close now is a refusal, not a loss. */
  #silent = true;

  private constructor(target: ServerTarget, socket: Socket, idSize: number, check: IdTimeCheck | undefined, tls: boolean) {
    this.target = target;
    this.#socket = socket;
    this.#idSize = idSize;
    this.#check = check;
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('error', (error) => this.#fail(refusedOrLost(target, tls, this.#silent, 'failed', error)));
    socket.on('close', () => this.#fail(refusedOrLost(target, tls, this.#silent, 'was closed by the server')));
    socket.unref(); // idle connections do not keep the process alive
  }

  /**
   * Connects (and sends the auth frame when the target has a token). Rejects with
   * ERR_CONNECT_TIMEOUT after `timeoutMs`, ERR_TLS when the TLS handshake fails, or with the
   * socket's error (ECONNREFUSED, …). Answers are judged by `check`, when there is one.
   */
  static connect(
    target: ServerTarget,
    options: { idSize: number; timeoutMs: number; tls?: ConnectionOptions | undefined; check?: IdTimeCheck | undefined },
  ): Promise<ClientConnection> {
    return new Promise((resolve, reject) => {
      const { host, port } = target;
      const socket = options.tls
        ? connectTls({ servername: isIp(host) ? undefined : host, ...options.tls, host, port })
        : connectTcp({ host, port });
      const readyEvent = options.tls ? 'secureConnect' : 'connect';
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new FlakeryError('ERR_CONNECT_TIMEOUT', `connecting to ${target.address} took longer than ${options.timeoutMs} ms`));
      }, options.timeoutMs);
      // TCP connected, handshake not done: an error now is the TLS layer's.
      let tcpConnected = false;
      if (options.tls) socket.once('connect', () => (tcpConnected = true));
      const onError = (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        socket.destroy();
        reject(
          tcpConnected
            ? new FlakeryError('ERR_TLS', `TLS handshake with ${target.address} failed: ${error.message}${error.code ? ` (${error.code})` : ''}`, {
                cause: error,
              })
            : error,
        );
      };
      socket.once('error', onError);
      socket.once(readyEvent, () => {
        clearTimeout(timer);
        socket.off('error', onError);
        socket.setNoDelay(true);
        if (target.token !== undefined) socket.write(encodeAuth(target.token));
        resolve(new ClientConnection(target, socket, options.idSize, options.check, options.tls !== undefined));
      });
    });
  }

  /** True until the connection failed or was closed; then requests go elsewhere. */
  get alive(): boolean {
    return this.#failure === undefined && !this.#retiring;
  }

  /** Asks for `count` (1..0xFFFFFEFF) IDs; resolves with their bytes. */
  request(count: number, timeoutMs: number): Promise<Uint8Array> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const frame = encodeCount(count);
    return new Promise((resolve, reject) => {
      const request: PendingRequest = {
        bytes: new Uint8Array(count * this.#idSize),
        filled: 0,
        firstChecked: this.#check === undefined,
        resolve,
        reject,
        timer: undefined,
      };
      request.timer = setTimeout(() => {
        this.#fail(
          new FlakeryError(
            'ERR_REQUEST_TIMEOUT',
            `${this.target.address} did not answer a request for ${count} ID${count === 1 ? '' : 's'} within ${timeoutMs} ms`,
          ),
          request,
        );
      }, timeoutMs);
      this.#pending.push(request);
      this.#socket.ref();
      this.#socket.write(frame);
    });
  }

  /** Stops taking requests; closes once those waiting are answered. */
  retire(): void {
    this.#retiring = true;
    if (this.#pending.length === 0) this.#socket.end();
  }

  /** Ends the connection now; waiting requests reject with `error`. */
  destroy(error: FlakeryError): void {
    this.#fail(error);
  }

  #receive(chunk: Uint8Array): void {
    this.#silent = false;
    let offset = 0;
    while (offset < chunk.length) {
      const request = this.#pending[0];
      if (request === undefined) {
        this.#fail(lost(this.target, 'sent bytes nobody asked for'));
        return;
      }
      const take = Math.min(request.bytes.length - request.filled, chunk.length - offset);
      request.bytes.set(chunk.subarray(offset, offset + take), request.filled);
      request.filled += take;
      offset += take;
      if (!this.#checked(request)) return;
      if (request.filled === request.bytes.length) {
        const wrong = firstOutOfOrder(request.bytes, this.#idSize, this.#lastId);
        if (wrong >= 0) return void this.#refuse(outOfOrder(this.target.address, wrong));
        this.#lastId = request.bytes.slice(request.bytes.length - this.#idSize);
        this.#pending.shift();
        clearTimeout(request.timer);
        request.resolve(request.bytes);
      }
    }
    if (this.#pending.length === 0) {
      if (this.#retiring) this.#socket.end();
      else this.#socket.unref();
    }
  }

  /**
   * Judges the first ID of `request`'s answer as soon as its time has arrived, and the last
   * when the answer is complete; a refusal fails the connection (false: stop reading).
   */
  #checked(request: PendingRequest): boolean {
    const check = this.#check;
    if (check === undefined) return true;
    if (!request.firstChecked) {
      const verdict = check.inspect(request.bytes, 0, Math.min(request.filled, this.#idSize), this.target.address);
      if (verdict === 'more') return true;
      if (verdict !== 'ok') return this.#refuse(verdict);
      request.firstChecked = true;
    }
    const size = this.#idSize;
    if (request.filled === request.bytes.length && request.bytes.length > size) {
      const verdict = check.inspect(request.bytes, request.bytes.length - size, size, this.target.address);
      if (verdict !== 'ok' && verdict !== 'more') return this.#refuse(verdict);
    }
    return true;
  }

  #refuse(error: FlakeryError): false {
    this.#fail(error);
    return false;
  }

  /** Fails the connection once; `request` (a timed-out one) gets `error`, the others ERR_CONNECTION_LOST. */
  #fail(error: FlakeryError, request?: PendingRequest): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    this.#socket.destroy();
    const others = error.code === 'ERR_REQUEST_TIMEOUT' ? lost(this.target, 'was dropped after a request timed out') : error;
    for (const pending of this.#pending.splice(0)) {
      clearTimeout(pending.timer);
      pending.reject(pending === request ? error : others);
    }
  }
}

function lost(target: ServerTarget, what: string, cause?: unknown): FlakeryError {
  return new FlakeryError('ERR_CONNECTION_LOST', `the connection to ${target.address} ${what}`, cause ? { cause } : undefined);
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
