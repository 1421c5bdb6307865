import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { NodeFacts, StatsAnswer, StatsSample } from '../inspector/inspectorWire.js';
import { flakeryPackage } from '../../flakeryPackage.js';
import { HttpError } from './HttpError.js';
import { inspectorFiles } from './inspectorRoutes.js';
import type { Route } from './routes.js';

export interface InspectorEndpointsOptions {
  /** What `GET /v1/node` answers. */
  readonly node: () => NodeFacts;
  /** The per-second samples `GET /v1/stats` answers (a StatsRecorder's). */
  readonly stats: () => readonly StatsSample[];
  /** Where the built page is; default build/inspector/ of this package (made by `npm run build`). */
  readonly pageDir?: URL;
}

/**
 * The page loads only from this server: no inline script or style, no other origin, no frames.
 * `connect-src 'self'` (through default-src) keeps its fetches to this server's API.
 */
export const INSPECTOR_CSP = "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Serves the inspector: the page (GET / and /inspect) and its files from the built bundle, and
 * the JSON it reads, `GET /v1/node` and `GET /v1/stats` (docs/http.md). The HTTP listener has
 * already checked the method and the token; the page's files are read once, on first request.
 */
export class InspectorEndpoints {
  readonly #node: () => NodeFacts;
  readonly #stats: () => readonly StatsSample[];
  readonly #pageDir: URL;
  readonly #files = new Map<string, Buffer>();

  constructor(options: InspectorEndpointsOptions) {
    this.#node = options.node;
    this.#stats = options.stats;
    // From the package directory: this code also runs from the CLI bundle's chunks in build/cli.
    this.#pageDir = options.pageDir ?? new URL('build/inspector/', flakeryPackage()?.dir ?? import.meta.url);
  }

  serve(route: Route, res: ServerResponse): void {
    switch (route.name) {
      case 'node':
        return sendJson(res, this.#node());
      case 'stats':
        return sendJson(res, { intervalMs: 1000, samples: this.#stats() } satisfies StatsAnswer);
      default:
        return this.#page(route.path, res);
    }
  }

  #page(path: string, res: ServerResponse): void {
    const entry = inspectorFiles[path];
    if (entry === undefined) throw new HttpError(404, 'ERR_NOT_FOUND', 'no such file', { outcome: 'not_found' });
    let body = this.#files.get(entry.file);
    if (body === undefined) {
      try {
        body = readFileSync(new URL(entry.file, this.#pageDir));
      } catch {
        throw new HttpError(404, 'ERR_NOT_FOUND', 'the inspector page is not built: run `npm run build` (or `npm start`) in the flakery checkout', {
          outcome: 'not_found',
        });
      }
      this.#files.set(entry.file, body);
    }
    res.writeHead(200, {
      'Content-Type': entry.type,
      'Content-Length': body.length,
      'Content-Security-Policy': INSPECTOR_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    res.end(body);
  }
}

function sendJson(res: ServerResponse, value: unknown): void {
  const body = `${JSON.stringify(value)}\n`;
  res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
