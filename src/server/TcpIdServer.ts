import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import { type TlsOptions, createServer as createTlsServer } from 'node:tls';
import { InvalidOptionError } from '../errors.js';
import { Generator } from '../generator/Generator.js';
import { integerOption } from '../options/integerOption.js';
import { MAX_AUTH_TOKEN_BYTES, authTokenBytes } from '../net/authToken.js';
import { MAX_WIRE_COUNT } from '../protocol/constants.js';
import { IdService } from './IdService.js';
import { type ServerObserver, silentObserver } from './ServerObserver.js';
import { listenOn } from './listenOn.js';
import { TcpConnection, type TcpConnectionState } from './TcpConnection.js';

export interface TcpIdServerOptions {
  /** Where IDs come from: an IdService (shared with HTTP), or a Generator to wrap in one. */
  readonly service: IdService | Generator<unknown>;
  /** Clients must send this token first. Absent or empty: no authentication. At most 255 bytes. */
  readonly authToken?: Uint8Array | string | undefined;
  /** The largest count one request may ask for. Default 1,000,000. */
  readonly maxCount?: number;
  /** Open connections at most; more are closed at once, without a byte. Default 10,000. */
  readonly maxConnections?: number;
  /**
   * A connection with no traffic either way for this long is closed: an idle client, and also one
   * that stopped reading an answer. 0: never. Default 300,000 (5 min).
   */
  readonly idleTimeoutMs?: number;
  /** With a token: a client must complete its auth frame within this long. 0: no limit. Default 10,000. */
  readonly authTimeoutMs?: number;
  /** Listen with TLS: options for `tls.createServer` (key, cert, ca, requestCert, …). */
  readonly tls?: TlsOptions;
  readonly observer?: ServerObserver;
}

export const tcpServerDefaults = {
  maxCount: 1_000_000,
  maxConnections: 10_000,
  idleTimeoutMs: 300_000,
  authTimeoutMs: 10_000,
} as const;

const MAX_TIMEOUT_MS = 2_147_483_647; // the largest delay a Node timer takes

/**
 * The overt-flake compatible TCP ID server (DESIGN.md, "Wire protocol"). The protocol rules live
 * in ServerSession, the streaming in IdService; this class owns the listening socket, the
 * connection limit and the graceful close.
 *
 * ```ts
 * const server = new TcpIdServer({ service: createGenerator(), authToken: 'secret' });
 * const { port } = await server.listen({ host: '127.0.0.1', port: 4444 });
 * // … on SIGTERM:
 * await server.close();
 * ```
 */
export class TcpIdServer {
  readonly service: IdService;
  readonly maxCount: number;
  readonly maxConnections: number;
  readonly #token: Uint8Array | undefined;
  readonly #idleTimeoutMs: number;
  readonly #authTimeoutMs: number;
  readonly #observer: ServerObserver;
  readonly #server: Server;
  readonly #connections = new Set<TcpConnection>();
  #closing: Promise<void> | undefined;

  constructor(options: TcpIdServerOptions) {
    const { service } = options;
    this.#observer = options.observer ?? silentObserver;
    this.service = service instanceof Generator ? new IdService({ generator: service, observer: this.#observer }) : service;
    if (!(this.service instanceof IdService)) {
      throw new InvalidOptionError('service', 'service must be an IdService or a Generator');
    }
    this.#token = authTokenBytes(options.authToken, 'authToken', MAX_AUTH_TOKEN_BYTES.tcp);
    this.maxCount = integerOption('maxCount', options.maxCount ?? tcpServerDefaults.maxCount, 1, MAX_WIRE_COUNT);
    this.maxConnections = integerOption(
      'maxConnections',
      options.maxConnections ?? tcpServerDefaults.maxConnections,
      1,
      1_000_000,
    );
    this.#idleTimeoutMs = integerOption('idleTimeoutMs', options.idleTimeoutMs ?? tcpServerDefaults.idleTimeoutMs, 0, MAX_TIMEOUT_MS);
    this.#authTimeoutMs = integerOption('authTimeoutMs', options.authTimeoutMs ?? tcpServerDefaults.authTimeoutMs, 0, MAX_TIMEOUT_MS);

    // allowHalfOpen: a client may send its requests and shut its side; it still gets the answers.
    const onSocket = (socket: Socket) => this.#accept(socket);
    this.#server = options.tls
      ? createTlsServer({ ...options.tls, allowHalfOpen: true }, onSocket)
      : createServer({ allowHalfOpen: true }, onSocket);
    // Without a listener, a failed TLS handshake would be an unhandled 'error' on the socket.
    this.#server.on('tlsClientError', (_error: Error, socket: Socket) => socket.destroy());
  }

  /** True when clients must authenticate. The token itself is never exposed. */
  get requiresAuth(): boolean {
    return this.#token !== undefined;
  }

  /** The bound address once listening (port 0 resolved to the real port). */
  address(): AddressInfo | undefined {
    const address = this.#server.address();
    return address !== null && typeof address === 'object' ? address : undefined;
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  /** What each open connection is doing; for tests and diagnostics. */
  connectionStates(): TcpConnectionState[] {
    return [...this.#connections].map((connection) => connection.state);
  }

  /** Starts listening; resolves with the bound address, or rejects with ERR_LISTEN (cause attached). */
  listen(options: { host: string; port: number }): Promise<AddressInfo> {
    return listenOn(this.#server, options);
  }

  /**
   * Graceful close: stop accepting now, let every connection finish the requests it has already
   * received, then close it; resolves when all are closed. Connections still open after
   * `timeoutMs` (a peer that never reads) are destroyed. Calling again returns the same promise.
   */
  close(options: { timeoutMs?: number } = {}): Promise<void> {
    this.#closing ??= this.#close(options.timeoutMs ?? 10_000);
    return this.#closing;
  }

  /** Ends every open connection now, answers in flight or not (a second Ctrl-C). */
  destroyConnections(): void {
    for (const connection of this.#connections) connection.socket.destroy();
  }

  async #close(timeoutMs: number): Promise<void> {
    const listenerClosed = new Promise<void>((resolve) => {
      if (!this.#server.listening) return resolve();
      this.#server.close(() => resolve());
    });
    const connections = [...this.#connections];
    for (const connection of connections) connection.shutdown();
    const deadline = setTimeout(() => this.destroyConnections(), timeoutMs);
    try {
      await Promise.all([listenerClosed, ...connections.map((connection) => connection.closed)]);
    } finally {
      clearTimeout(deadline);
    }
  }

  #accept(socket: Socket): void {
    if (this.#closing !== undefined || this.#connections.size >= this.maxConnections) {
      socket.on('error', () => {});
      socket.destroy();
      return;
    }
    const connection = new TcpConnection(socket, {
      service: this.service,
      token: this.#token,
      maxCount: this.maxCount,
      idleTimeoutMs: this.#idleTimeoutMs,
      authTimeoutMs: this.#authTimeoutMs,
      observer: this.#observer,
    });
    this.#connections.add(connection);
    this.#observer.connectionOpened('tcp');
    socket.once('close', () => {
      this.#connections.delete(connection);
      this.#observer.connectionClosed('tcp');
    });
  }
}
