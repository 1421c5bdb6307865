import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { TlsOptions } from 'node:tls';
import { InvalidOptionError } from '../../errors.js';
import { Generator } from '../../generator/Generator.js';
import { decode } from '../../id/decode.js';
import { integerOption } from '../../options/integerOption.js';
import { formatHostPort } from '../hostPort.js';
import { IdService } from '../IdService.js';
import { PROMETHEUS_CONTENT_TYPE } from '../metrics/exposition.js';
import { type RequestOutcome, type ServerObserver, silentObserver } from '../ServerObserver.js';
import { AuthDeadline } from './AuthDeadline.js';
import { hasBearerToken } from './bearerToken.js';
import { clientErrorResponse } from './clientErrorResponse.js';
import { type HealthSource, checkHealth } from './HealthSource.js';
import { HttpError, retryAfterSeconds, toHttpError } from './HttpError.js';
import { IdsBody } from './IdsBody.js';
import type { InspectorEndpoints } from './InspectorEndpoints.js';
import { prefersPlainText } from './negotiate.js';
import { type IdsQuery, parseDecodeQuery, parseIdsQuery } from './parseQuery.js';
import type { HttpConnectionState } from './FrontConnection.js';
import { OneRequestAtATime } from './OneRequestAtATime.js';
import { QuickIdsFront } from './QuickIdsFront.js';
import { QuickIdsResponder } from './QuickIdsResponder.js';
import { type Route, matchRoute } from './routes.js';

export interface HttpIdServerOptions {
  /** Where IDs come from: the IdService the TCP listener uses too, or a Generator to wrap in one. */
  readonly service: IdService | Generator<any>;
  /** Requests to /v1/ids and /metrics must carry `Authorization: Bearer <token>`. Absent or empty: none. */
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

/**
 * Answers for at most this many IDs are built whole and sent with a Content-Length; larger ones
 * stream, and are never the quick path's (a chunk of the IdService, at most, is made at once).
 */
const BUFFERED_IDS = 1024;
const MAX_TIMEOUT_MS = 2_147_483_647;
const JSON_TYPE = 'application/json; charset=utf-8';

/** Per request: when it arrived and how it ended, for the observer. */
interface RequestContext {
  readonly startMs: number;
  outcome: RequestOutcome;
  ids: number;
  finishedMs?: number;
}

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
 * handlers below serve it with every check and error of the API. node:http never listens: the
 * front owns the listening socket (and TLS), the connection limit and the connection counts.
 */
export class HttpIdServer {
  readonly service: IdService;
  readonly maxCount: number;
  readonly scheme: 'http' | 'https';
  readonly #token: Uint8Array | undefined;
  readonly #health: readonly HealthSource[];
  readonly #healthDetails: () => Record<string, unknown>;
  readonly #metrics: { render(): string } | undefined;
  readonly #inspector: InspectorEndpoints | undefined;
  readonly #observer: ServerObserver;
  readonly #logger: { error(fields: object, message: string): void } | undefined;
  readonly #maxBodyBytes: number;
  /** node:http, fed connections by the front; plain HTTP even for HTTPS (the front ends TLS). */
  readonly #server: Server;
  readonly #front: QuickIdsFront;
  readonly #authDeadline: AuthDeadline;
  #closing: Promise<void> | undefined;

  constructor(options: HttpIdServerOptions) {
    this.#observer = options.observer ?? silentObserver;
    const { service } = options;
    this.service = service instanceof Generator ? new IdService({ generator: service, observer: this.#observer }) : service;
    if (!(this.service instanceof IdService)) throw new InvalidOptionError('service', 'service must be an IdService or a Generator');
    this.#token = tokenBytes(options.authToken);
    this.maxCount = integerOption('maxCount', options.maxCount ?? httpServerDefaults.maxCount, 1, 0xffffffff);
    const extra = options.health === undefined ? [] : typeof options.health === 'function' ? [options.health] : [...options.health];
    if (!extra.every((source) => typeof source === 'function')) throw new InvalidOptionError('health', 'health must be a function or an array of functions');
    this.#health = [() => this.service.health(), ...extra];
    this.#healthDetails = options.healthDetails ?? (() => ({}));
    if (options.metrics !== undefined && typeof options.metrics.render !== 'function') {
      throw new InvalidOptionError('metrics', 'metrics must have a render() method (a MetricsObserver)');
    }
    this.#metrics = options.metrics;
    this.#inspector = options.inspector;
    this.#logger = options.logger;
    this.#maxBodyBytes = integerOption('maxBodyBytes', options.maxBodyBytes ?? httpServerDefaults.maxBodyBytes, 0, 1 << 20);
    const maxHeaderSize = integerOption('maxHeaderBytes', options.maxHeaderBytes ?? httpServerDefaults.maxHeaderBytes, 1024, 1 << 20);
    const headersTimeout = integerOption('headersTimeoutMs', options.headersTimeoutMs ?? httpServerDefaults.headersTimeoutMs, 1, MAX_TIMEOUT_MS);
    const keepAliveTimeout = integerOption('keepAliveTimeoutMs', options.keepAliveTimeoutMs ?? httpServerDefaults.keepAliveTimeoutMs, 1, MAX_TIMEOUT_MS);
    const maxConnections = integerOption('maxConnections', options.maxConnections ?? httpServerDefaults.maxConnections, 1, 1_000_000);
    const authTimeoutMs = integerOption('authTimeoutMs', options.authTimeoutMs ?? httpServerDefaults.authTimeoutMs, 0, MAX_TIMEOUT_MS);
    this.#authDeadline = new AuthDeadline(authTimeoutMs, this.#token !== undefined);

    const pipeline = new OneRequestAtATime({ observer: this.#observer });
    const onRequest = (req: IncomingMessage, res: ServerResponse) => pipeline.run(req.socket, res, () => this.#onRequest(req, res));
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
      handOff: (socket) => this.#server.emit('connection', socket),
      pipeline,
      authDeadline: this.#authDeadline,
      onError: (error) => this.#logger?.error({ event: 'http_server_error', err: error }, 'HTTP listener error'),
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
    // node:http starts tracking its connections — what enforces headersTimeout and
    // requestTimeout, and what closeIdleConnections/closeAllConnections act on — when it
    // starts listening. It never listens here, so it is told the moment the front does.
    this.#server.emit('listening');
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

  async #close(timeoutMs: number): Promise<void> {
    const closed = this.#front.close();
    // Closes node:http's idle connections and stops its timeout checks. It never listened, so
    // its callback gets ERR_SERVER_NOT_RUNNING: expected, and nothing to wait for.
    this.#server.close(() => {});
    const deadline = setTimeout(() => this.#front.destroyConnections(), timeoutMs);
    try {
      await closed;
    } finally {
      clearTimeout(deadline);
    }
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    const ctx: RequestContext = { startMs: performance.now(), outcome: 'ok', ids: 0 };
    res.once('close', () => {
      const outcome = !res.writableFinished && ctx.outcome === 'ok' ? 'aborted' : ctx.outcome;
      this.#observer.requestFinished('http', outcome, ctx.ids, ((ctx.finishedMs ?? performance.now()) - ctx.startMs) / 1000);
      if (this.#closing !== undefined) this.#server.closeIdleConnections();
    });
    res.once('finish', () => (ctx.finishedMs = performance.now()));
    res.setHeader('Cache-Control', 'no-store');
    if (this.#closing !== undefined) res.setHeader('Connection', 'close');
    this.#serve(req, res, ctx).catch((error: unknown) => this.#fail(res, ctx, error));
  }

  async #serve(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    this.#limitBody(req, res);
    const { pathname, search } = splitTarget(req.url);
    const route = matchRoute(pathname);
    if (!route.methods.includes(req.method ?? '')) {
      throw new HttpError(405, 'ERR_METHOD_NOT_ALLOWED', `${route.path} allows ${route.methods.join(', ')}; got ${req.method}`, {
        outcome: 'bad_request',
        headers: { Allow: route.methods.join(', ') },
      });
    }
    if (route.protected && this.#token !== undefined && !hasBearerToken(req.headers.authorization, this.#token)) {
      throw new HttpError(401, 'ERR_AUTH_FAILED', 'missing or wrong token: send Authorization: Bearer <token>', {
        outcome: 'auth_failed',
        headers: { 'WWW-Authenticate': 'Bearer realm="flakery"' },
      });
    }
    if (route.protected) this.#authDeadline.passed(req.socket);
    switch (route.name) {
      case 'ids': {
        const generator = this.service.generator;
        const query = parseIdsQuery(search, { maxCount: this.maxCount, idSize: this.service.idSize, layout: generator.layout.name, defaultFormat: generator.layout.defaultFormat });
        return this.#ids(res, ctx, query, prefersPlainText(req.headers.accept));
      }
      case 'decode':
        return this.#decode(res, route, search);
      case 'health':
        return this.#healthz(res, ctx);
      case 'metrics':
        return this.#metricsText(res);
      case 'inspector':
      case 'node':
      case 'stats':
        if (this.#inspector === undefined) throw new HttpError(404, 'ERR_NOT_FOUND', 'the inspector is turned off on this server (--no-inspector)', { outcome: 'not_found' });
        return this.#inspector.serve(route, res);
    }
  }

  /** Answers `GET /v1/ids`: small answers whole with a Content-Length, larger ones streamed as they are made. */
  async #ids(res: ServerResponse, ctx: RequestContext, query: IdsQuery, plainText: boolean): Promise<void> {
    const { count, format } = query;
    const body = new IdsBody({ plainText, format, idSize: this.service.idSize });
    const buffered = count <= BUFFERED_IDS;
    const parts = [body.head()];
    let streaming = false;
    const abort = new AbortController();
    const onClose = () => abort.abort();
    res.once('close', onClose);
    try {
      await this.service.issue(
        count,
        (bytes, n) => {
          const text = body.chunk(bytes, n);
          ctx.ids += n;
          if (buffered) {
            parts.push(text);
            return undefined;
          }
          if (res.destroyed) return false;
          if (!streaming) {
            streaming = true;
            res.writeHead(200, { 'Content-Type': body.contentType });
            res.write(parts[0]!);
          }
          return res.write(text) ? undefined : drained(res);
        },
        abort.signal,
      );
    } catch (error) {
      if (abort.signal.aborted || res.destroyed) {
        ctx.outcome = 'aborted';
        return;
      }
      if (!streaming) {
        ctx.ids = 0; // built, never sent
        throw error;
      }
      // Headers went out as 200: the only honest signal left is an incomplete chunked body.
      ctx.outcome = toHttpError(error).outcome;
      res.destroy();
      return;
    } finally {
      res.off('close', onClose);
    }
    if (res.destroyed) ctx.outcome = 'aborted';
    else if (streaming) res.end(body.tail());
    else send(res, 200, body.contentType, parts.join('') + body.tail());
  }

  #decode(res: ServerResponse, route: Route, search: URLSearchParams): void {
    const { format } = parseDecodeQuery(search);
    const generator = this.service.generator;
    const decoded = decode(route.id!, { layout: generator.layout, epoch: generator.epochMs, format });
    send(res, 200, JSON_TYPE, `${JSON.stringify(decoded)}\n`);
  }

  #healthz(res: ServerResponse, ctx: RequestContext): void {
    const status =
      this.#closing !== undefined
        ? ({ ok: false, code: 'ERR_SERVER_CLOSED', reason: 'the server is shutting down' } as const)
        : checkHealth(this.#health);
    const details = this.#healthDetails();
    if (status.ok) return send(res, 200, JSON_TYPE, `${JSON.stringify({ status: 'ok', ...details })}\n`);
    ctx.outcome = 'unavailable';
    const headers: Record<string, string> = {};
    const answer: Record<string, unknown> = { status: 'unavailable', error: { code: status.code, message: status.reason }, ...details };
    if (status.retryAfterMs !== undefined) {
      headers['Retry-After'] = retryAfterSeconds(status.retryAfterMs);
      answer.retryAfterMs = status.retryAfterMs;
    }
    send(res, 503, JSON_TYPE, `${JSON.stringify(answer)}\n`, headers);
  }

  #metricsText(res: ServerResponse): void {
    if (this.#metrics === undefined) {
      throw new HttpError(404, 'ERR_NOT_FOUND', 'metrics are not enabled on this server', { outcome: 'not_found' });
    }
    send(res, 200, PROMETHEUS_CONTENT_TYPE, this.#metrics.render());
  }

  /**
   * No endpoint takes a body. A declared length over the limit is answered 413 at once; a
   * chunked body is counted as it is discarded, and the connection is cut when it goes over.
   */
  #limitBody(req: IncomingMessage, res: ServerResponse): void {
    const length = req.headers['content-length'];
    // Neither header: HTTP/1.1 says the request has no body (RFC 9112 §6.3), nothing to count.
    if (length === undefined && req.headers['transfer-encoding'] === undefined) return;
    const declared = Number(length ?? 0);
    if (declared > this.#maxBodyBytes) {
      res.setHeader('Connection', 'close');
      throw new HttpError(413, 'ERR_REQUEST_TOO_LARGE', `a request body may have at most ${this.#maxBodyBytes} bytes (none is needed)`, {
        outcome: 'too_large',
      });
    }
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > this.#maxBodyBytes) req.socket.destroy();
    });
    req.on('error', () => {});
    req.resume();
  }

  /** Answers an error: JSON with its status, or a cut connection once the headers went out. */
  #fail(res: ServerResponse, ctx: RequestContext, error: unknown): void {
    const answer = toHttpError(error);
    ctx.outcome = answer.outcome;
    if (answer.status >= 500 && answer.code === 'ERR_INTERNAL') {
      this.#logger?.error({ event: 'http_error', err: error }, 'unexpected error while serving an HTTP request');
    }
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    send(res, answer.status, JSON_TYPE, answer.body(), answer.headers);
  }

  /** A request Node could not parse (bad syntax, headers too large): a JSON error, then close. */
  #onClientError(error: NodeJS.ErrnoException, socket: Socket): void {
    const response = clientErrorResponse(error);
    // As Node's own handler: write nothing when a response is already under way on this socket.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (response === undefined || !socket.writable || inFlight?.headersSent === true) {
      socket.destroy();
      return;
    }
    this.#observer.requestFinished('http', response.outcome, 0, 0);
    socket.end(response.raw);
  }
}

/** Path and query of a request target: origin-form (`/path?q`) or absolute-form (`http://h/path?q`). */
function splitTarget(target: string | undefined): { pathname: string; search: URLSearchParams } {
  let text = target ?? '';
  if (/^https?:\/\//i.test(text)) {
    try {
      const url = new URL(text);
      text = url.pathname + url.search;
    } catch {
      text = '';
    }
  }
  if (!text.startsWith('/')) {
    throw new HttpError(400, 'ERR_BAD_REQUEST', 'the request target must be a path such as /v1/ids', { outcome: 'bad_request' });
  }
  const q = text.indexOf('?');
  return q < 0 ? { pathname: text, search: new URLSearchParams() } : { pathname: text.slice(0, q), search: new URLSearchParams(text.slice(q + 1)) };
}

function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Resolves when `res` can take more (true) or is gone (false). */
function drained(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve(!res.destroyed);
    };
    res.on('drain', done).on('close', done);
  });
}

/**
 * How often node:http looks for connections past headersTimeout or requestTimeout. Its default,
 * 30 s, let a 10 s headersTimeout fire after up to 40 s; a tenth of the timeout (at most 1 s, at
 * least 50 ms) keeps each within 10 % (or 1 s) of its figure, for a scan of the open connections.
 */
function checkingInterval(headersTimeoutMs: number): number {
  return Math.max(50, Math.min(1_000, Math.floor(headersTimeoutMs / 10)));
}

function tokenBytes(token: string | Uint8Array | undefined): Uint8Array | undefined {
  if (token === undefined) return undefined;
  const bytes = typeof token === 'string' ? new TextEncoder().encode(token) : token;
  if (!(bytes instanceof Uint8Array)) throw new InvalidOptionError('authToken', 'authToken must be a string or bytes');
  if (bytes.length > 4096) throw new InvalidOptionError('authToken', `authToken must be at most 4096 bytes; got ${bytes.length} bytes`);
  return bytes.length === 0 ? undefined : bytes.slice();
}
