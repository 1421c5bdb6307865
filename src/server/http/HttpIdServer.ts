import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { TlsOptions } from 'node:tls';
import { InvalidOptionError } from '../../errors.js';
import { Generator } from '../../generator/Generator.js';
import { integerOption } from '../../options/integerOption.js';
import { MAX_AUTH_TOKEN_BYTES, authTokenBytes } from '../../net/authToken.js';
import { formatHostPort } from '../../net/hostPort.js';
import { IdService } from '../IdService.js';
import { type ServerObserver, silentObserver } from '../ServerObserver.js';
import { AuthDeadline } from './AuthDeadline.js';
import { clientErrorResponse } from './clientErrorResponse.js';
import type { HealthSource } from './HealthSource.js';
import type { InspectorEndpoints } from './InspectorEndpoints.js';
import type { HttpConnectionState } from './FrontConnection.js';
import { OneRequestAtATime } from './OneRequestAtATime.js';
import { QuickIdsFront } from './QuickIdsFront.js';
import { QuickIdsResponder } from './QuickIdsResponder.js';
import { BUFFERED_IDS, HttpApi } from './HttpApi.js';
import { handOff, responseUnderWay, startTracking, stopTracking } from './nodeHttpSeam.js';

export interface HttpIdServerOptions {
  /** Where IDs come from: the IdService the TCP listener uses too, or a Generator to wrap in one. */
  readonly service: IdService | Generator<unknown>;
  /** Requests to /v1/ids and /metrics must carry `Authorization: Bearer <token>`. Absent or empty: none. At most 4,096 bytes. */
  readonly authToken?: string | Uint8Array | undefined;
  /** The largest `count` one request may ask for; more is 413. Default 100,000. */
  readonly maxCount?: number;
  /** Checked by /healthz after the service's own health (a worker-id lease, …). */
  readonly health?: HealthSource | readonly HealthSource[];
  /**
   * More for the /healthz JSON body, healthy or not: e.g. `{ workerId, lease }`. Must be cheap,
   * must not throw, and must hold no secrets.
   */
  readonly healthDetails?: () => Record<string, unknown>;
  /** Served at /metrics (a MetricsObserver); absent: /metrics is 404. */
  readonly metrics?: { render(): string };
  /** The inspector page and its JSON (GET /, /v1/node, /v1/stats); absent: those are 404. */
  readonly inspector?: InspectorEndpoints | undefined;
  /** Serve HTTPS: options for `https.createServer` (from `loadServerTls`). */
  readonly tls?: TlsOptions | undefined;
  readonly observer?: ServerObserver;
  /** Where unexpected errors (500s) are reported, with their stack; a pino logger fits. */
  readonly logger?: { error(fields: object, message: string): void };
  /** Request line and headers together at most this many bytes; more is 431. Default 8 KiB. */
  readonly maxHeaderBytes?: number;
  /** A request body (none is needed) of more than this is 413 and closes the connection. Default 1 KiB. */
  readonly maxBodyBytes?: number;
  /** Idle keep-alive connections are closed after this long. Default 65 s (above common load balancers' 60 s). */
  readonly keepAliveTimeoutMs?: number;
  /** A request's headers must arrive within this long (enforced within 1 s of it), the whole request within 5 s more. Default 10 s. */
  readonly headersTimeoutMs?: number;
  /** Open connections at most; more are refused. Default 10,000. */
  readonly maxConnections?: number;
  /** With a token: a connection without an authenticated request this long after opening is closed. 0: never. Default 10 s. */
  readonly authTimeoutMs?: number;
}

export const httpServerDefaults = {
  maxCount: 100_000,
  maxHeaderBytes: 8 * 1024,
  maxBodyBytes: 1024,
  keepAliveTimeoutMs: 65_000,
  headersTimeoutMs: 10_000,
  maxConnections: 10_000,
  authTimeoutMs: 10_000,
} as const;

const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * The HTTP API: `GET /v1/ids`, `GET /v1/ids/{id}`, `GET /healthz`, `GET /metrics`
 * (docs/http.md). It shares an IdService with the TCP listener, so both hand out IDs of one
 * generator and every ID is unique across them.
 *
 * ```ts
 * const metrics = new MetricsObserver();
 * const service = new IdService({ generator: createGenerator(), observer: metrics });
 * const http = new HttpIdServer({ service, metrics, observer: metrics, authToken: 'secret' });
 * await http.listen({ host: '127.0.0.1', port: 8080 });
 * // … on SIGTERM:
 * await http.close();
 * ```
 *
 * Bad input of any kind gets a JSON error and never an exception out of a handler; bodies and
 * headers are bounded; a client that goes away mid-stream stops the issuing.
 *
 * Two parts serve a connection. It starts on the quick path (QuickIdsFront, FrontConnection),
 * which answers small `GET /v1/ids` straight from the bytes read; the first request that needs
 * anything more hands the connection to node:http for good (`emit('connection')`), and the
 * API's handlers (HttpApi) serve it with every check and error of the API. node:http never
 * listens: the front owns the listening socket (and TLS), the connection limit and the
 * connection counts; the few node:http internals this needs are in nodeHttpSeam.ts.
 */
export class HttpIdServer {
  readonly service: IdService;
  readonly maxCount: number;
  readonly scheme: 'http' | 'https';
  readonly #token: Uint8Array | undefined;
  readonly #observer: ServerObserver;
  /** node:http, fed connections by the front; plain HTTP even for HTTPS (the front ends TLS). */
  readonly #server: Server;
  readonly #front: QuickIdsFront;
  #closing: Promise<void> | undefined;

  constructor(options: HttpIdServerOptions) {
    this.#observer = options.observer ?? silentObserver;
    const { service } = options;
    this.service = service instanceof Generator ? new IdService({ generator: service, observer: this.#observer }) : service;
    if (!(this.service instanceof IdService)) throw new InvalidOptionError('service', 'service must be an IdService or a Generator');
    this.#token = authTokenBytes(options.authToken, 'authToken', MAX_AUTH_TOKEN_BYTES.http);
    this.maxCount = integerOption('maxCount', options.maxCount ?? httpServerDefaults.maxCount, 1, 0xffffffff);
    const extra = options.health === undefined ? [] : typeof options.health === 'function' ? [options.health] : [...options.health];
    if (!extra.every((source) => typeof source === 'function')) throw new InvalidOptionError('health', 'health must be a function or an array of functions');
    if (options.metrics !== undefined && typeof options.metrics.render !== 'function') {
      throw new InvalidOptionError('metrics', 'metrics must have a render() method (a MetricsObserver)');
    }
    const maxBodyBytes = integerOption('maxBodyBytes', options.maxBodyBytes ?? httpServerDefaults.maxBodyBytes, 0, 1 << 20);
    const maxHeaderSize = integerOption('maxHeaderBytes', options.maxHeaderBytes ?? httpServerDefaults.maxHeaderBytes, 1024, 1 << 20);
    const headersTimeout = integerOption('headersTimeoutMs', options.headersTimeoutMs ?? httpServerDefaults.headersTimeoutMs, 1, MAX_TIMEOUT_MS);
    const keepAliveTimeout = integerOption('keepAliveTimeoutMs', options.keepAliveTimeoutMs ?? httpServerDefaults.keepAliveTimeoutMs, 1, MAX_TIMEOUT_MS);
    const maxConnections = integerOption('maxConnections', options.maxConnections ?? httpServerDefaults.maxConnections, 1, 1_000_000);
    const authTimeoutMs = integerOption('authTimeoutMs', options.authTimeoutMs ?? httpServerDefaults.authTimeoutMs, 0, MAX_TIMEOUT_MS);
    const authDeadline = new AuthDeadline(authTimeoutMs, this.#token !== undefined);
    const api = new HttpApi({
      service: this.service,
      token: this.#token,
      maxCount: this.maxCount,
      health: [() => this.service.health(), ...extra],
      healthDetails: options.healthDetails ?? (() => ({})),
      metrics: options.metrics,
      inspector: options.inspector,
      observer: this.#observer,
      logger: options.logger,
      maxBodyBytes,
      authDeadline,
      closing: () => this.#closing !== undefined,
      onAnsweredWhileClosing: () => this.#server.closeIdleConnections(),
    });

    const pipeline = new OneRequestAtATime({ observer: this.#observer });
    const onRequest = (req: IncomingMessage, res: ServerResponse) => pipeline.run(req.socket, res, () => api.handle(req, res));
    this.scheme = options.tls ? 'https' : 'http';
    this.#server = createServer(
      { maxHeaderSize, headersTimeout, requestTimeout: headersTimeout + 5_000, keepAliveTimeout, connectionsCheckingInterval: checkingInterval(headersTimeout) },
      onRequest,
    );
    this.#server.keepAliveTimeout = keepAliveTimeout;
    this.#server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => this.#onClientError(error, socket));
    this.#front = new QuickIdsFront({
      tls: options.tls,
      maxConnections,
      responder: new QuickIdsResponder({ service: this.service, token: this.#token, keepAliveTimeoutMs: keepAliveTimeout }),
      maxQuickCount: Math.min(BUFFERED_IDS, this.service.chunkIds, this.maxCount),
      maxHeaderBytes: maxHeaderSize,
      keepAliveTimeoutMs: keepAliveTimeout,
      observer: this.#observer,
      handOff: (socket) => handOff(this.#server, socket),
      pipeline,
      authDeadline,
      onError: (error) => options.logger?.error({ event: 'http_server_error', err: error }, 'HTTP listener error'),
    });
  }

  /** True when /v1/ids and /metrics need the bearer token. The token itself is never exposed. */
  get requiresAuth(): boolean {
    return this.#token !== undefined;
  }

  /** The bound address once listening (port 0 resolved to the real port). */
  address(): AddressInfo | undefined {
    return this.#front.address();
  }

  /** Each open connection: served by the quick path or by node:http, and its quick answers. For tests and diagnostics. */
  connectionStates(): HttpConnectionState[] {
    return this.#front.connectionStates();
  }

  /** `http://host:port` or `https://host:port` once listening. */
  url(): string | undefined {
    const address = this.address();
    return address && `${this.scheme}://${formatHostPort({ host: address.address, port: address.port })}`;
  }

  /** Starts listening; resolves with the bound address. */
  async listen(options: { host: string; port: number }): Promise<AddressInfo> {
    const address = await this.#front.listen(options);
    startTracking(this.#server); // the moment the front listens (nodeHttpSeam.ts)
    return address;
  }

  /**
   * Graceful close: stop accepting, close idle keep-alive connections, let requests in flight
   * finish (their answers say `Connection: close`, and /healthz answers 503 meanwhile), then
   * resolve. Connections still open after `timeoutMs` are destroyed. Calling again returns the
   * same promise.
   */
  close(options: { timeoutMs?: number } = {}): Promise<void> {
    this.#closing ??= this.#close(options.timeoutMs ?? 10_000);
    return this.#closing;
  }

  /** Cuts every open connection at once (a second SIGTERM during a graceful close). */
  destroyConnections(): void {
    this.#front.destroyConnections();
  }

  async #close(timeoutMs: number): Promise<void> {
    const closed = this.#front.close();
    stopTracking(this.#server);
    const deadline = setTimeout(() => this.#front.destroyConnections(), timeoutMs);
    try {
      await closed;
    } finally {
      clearTimeout(deadline);
    }
  }


  /** A request Node could not parse (bad syntax, headers too large): a JSON error, then close. */
  #onClientError(error: NodeJS.ErrnoException, socket: Socket): void {
    const response = clientErrorResponse(error);
    // As Node's own handler: write nothing when a response is already under way on this socket.
    if (response === undefined || !socket.writable || responseUnderWay(socket)) {
      socket.destroy();
      return;
    }
    this.#observer.requestFinished('http', response.outcome, 0, 0);
    socket.end(response.raw);
  }
}

/**
 * How often node:http looks for connections past headersTimeout or requestTimeout. Its default,
 * 30 s, let a 10 s headersTimeout fire after up to 40 s; a tenth of the timeout (at most 1 s, at
 * least 50 ms) keeps each within 10 % (or 1 s) of its figure, for a scan of the open connections.
 */
function checkingInterval(headersTimeoutMs: number): number {
  return Math.max(50, Math.min(1_000, Math.floor(headersTimeoutMs / 10)));
}
