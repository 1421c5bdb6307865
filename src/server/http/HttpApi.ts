import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { decode } from '../../id/decode.js';
import type { IdService } from '../IdService.js';
import { PROMETHEUS_CONTENT_TYPE } from '../metrics/exposition.js';
import type { RequestOutcome, ServerObserver } from '../ServerObserver.js';
import type { AuthDeadline } from './AuthDeadline.js';
import { hasBearerToken } from './bearerToken.js';
import { type HealthSource, checkHealth } from './HealthSource.js';
import { HttpError, retryAfterSeconds, toHttpError } from './HttpError.js';
import { IdsBody } from './IdsBody.js';
import type { InspectorEndpoints } from './InspectorEndpoints.js';
import { prefersPlainText } from './negotiate.js';
import { type IdsQuery, parseDecodeQuery, parseIdsQuery } from './parseQuery.js';
import { type Route, matchRoute } from './routes.js';

/** What the API's handlers need, validated by HttpIdServer. */
export interface HttpApiOptions {
  readonly service: IdService;
  readonly token: Uint8Array | undefined;
  readonly maxCount: number;
  /** The IdService's health first, then the server's checks. */
  readonly health: readonly HealthSource[];
  readonly healthDetails: () => Record<string, unknown>;
  readonly metrics: { render(): string } | undefined;
  /** The inspector page and its JSON; undefined: turned off (404). */
  readonly inspector: InspectorEndpoints | undefined;
  readonly observer: ServerObserver;
  readonly logger: { error(fields: object, message: string): void } | undefined;
  readonly maxBodyBytes: number;
  readonly authDeadline: AuthDeadline;
  /** True once the server's graceful close has begun: answers say `Connection: close`, /healthz 503. */
  readonly closing: () => boolean;
  /** After each answer during the close: lets the server close connections gone idle. */
  readonly onAnsweredWhileClosing: () => void;
}

/**
 * Answers for at most this many IDs are built whole and sent with a Content-Length; larger ones
 * stream, and are never the quick path's (a chunk of the IdService, at most, is made at once).
 */
export const BUFFERED_IDS = 1024;
const JSON_TYPE = 'application/json; charset=utf-8';

/** Per request: when it arrived and how it ended, for the observer. */
interface RequestContext {
  readonly startMs: number;
  outcome: RequestOutcome;
  ids: number;
  finishedMs?: number;
}

/**
 * The HTTP API's requests as node:http hands them over (routes.ts declares them, docs/http.md
 * describes them): every check, every error as JSON, never an exception out of a handler.
 * HttpIdServer owns the listener and the connections; this owns what a request means.
 */
export class HttpApi {
  readonly #o: HttpApiOptions;

  constructor(options: HttpApiOptions) {
    this.#o = options;
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const ctx: RequestContext = { startMs: performance.now(), outcome: 'ok', ids: 0 };
    res.once('close', () => {
      const outcome = !res.writableFinished && ctx.outcome === 'ok' ? 'aborted' : ctx.outcome;
      this.#o.observer.requestFinished('http', outcome, ctx.ids, ((ctx.finishedMs ?? performance.now()) - ctx.startMs) / 1000);
      if (this.#o.closing()) this.#o.onAnsweredWhileClosing();
    });
    res.once('finish', () => (ctx.finishedMs = performance.now()));
    res.setHeader('Cache-Control', 'no-store');
    if (this.#o.closing()) res.setHeader('Connection', 'close');
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
    if (route.protected && this.#o.token !== undefined && !hasBearerToken(req.headers.authorization, this.#o.token)) {
      throw new HttpError(401, 'ERR_AUTH_FAILED', 'missing or wrong token: send Authorization: Bearer <token>', {
        outcome: 'auth_failed',
        headers: { 'WWW-Authenticate': 'Bearer realm="flakery"' },
      });
    }
    if (route.protected) this.#o.authDeadline.passed(req.socket);
    switch (route.name) {
      case 'ids': {
        const generator = this.#o.service.generator;
        const query = parseIdsQuery(search, { maxCount: this.#o.maxCount, idSize: this.#o.service.idSize, layout: generator.layout.name, defaultFormat: generator.layout.defaultFormat });
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
        if (this.#o.inspector === undefined) throw new HttpError(404, 'ERR_NOT_FOUND', 'the inspector is turned off on this server (--no-inspector)', { outcome: 'not_found' });
        return this.#o.inspector.serve(route, res);
    }
  }

  /** Answers `GET /v1/ids`: small answers whole with a Content-Length, larger ones streamed as they are made. */
  async #ids(res: ServerResponse, ctx: RequestContext, query: IdsQuery, plainText: boolean): Promise<void> {
    const { count, format } = query;
    const body = new IdsBody({ plainText, format, idSize: this.#o.service.idSize });
    const buffered = count <= BUFFERED_IDS;
    const parts = [body.head()];
    let streaming = false;
    const abort = new AbortController();
    const onClose = () => abort.abort();
    res.once('close', onClose);
    try {
      await this.#o.service.issue(
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
    const generator = this.#o.service.generator;
    const decoded = decode(route.id!, { layout: generator.layout, epoch: generator.epochMs, format });
    send(res, 200, JSON_TYPE, `${JSON.stringify(decoded)}\n`);
  }

  #healthz(res: ServerResponse, ctx: RequestContext): void {
    const status =
      this.#o.closing()
        ? ({ ok: false, code: 'ERR_SERVER_CLOSED', reason: 'the server is shutting down' } as const)
        : checkHealth(this.#o.health);
    const details = this.#o.healthDetails();
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
    if (this.#o.metrics === undefined) {
      throw new HttpError(404, 'ERR_NOT_FOUND', 'metrics are not enabled on this server', { outcome: 'not_found' });
    }
    send(res, 200, PROMETHEUS_CONTENT_TYPE, this.#o.metrics.render());
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
    if (declared > this.#o.maxBodyBytes) {
      res.setHeader('Connection', 'close');
      throw new HttpError(413, 'ERR_REQUEST_TOO_LARGE', `a request body may have at most ${this.#o.maxBodyBytes} bytes (none is needed)`, {
        outcome: 'too_large',
      });
    }
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > this.#o.maxBodyBytes) req.socket.destroy();
    });
    req.on('error', () => {});
    req.resume();
  }

  /** Answers an error: JSON with its status, or a cut connection once the headers went out. */
  #fail(res: ServerResponse, ctx: RequestContext, error: unknown): void {
    const answer = toHttpError(error);
    ctx.outcome = answer.outcome;
    if (answer.status >= 500 && answer.code === 'ERR_INTERNAL') {
      this.#o.logger?.error({ event: 'http_error', err: error }, 'unexpected error while serving an HTTP request');
    }
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    send(res, answer.status, JSON_TYPE, answer.body(), answer.headers);
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
