import { HttpError } from './HttpError.js';
import { matchInspectorRoute } from './inspectorRoutes.js';

export type RouteName = 'ids' | 'decode' | 'health' | 'metrics' | 'inspector' | 'node' | 'stats';

export interface Route {
  readonly name: RouteName;
  /** The path as the docs write it, for messages. */
  readonly path: string;
  /** Methods it answers; anything else is 405 with these in Allow. */
  readonly methods: readonly string[];
  /** Needs the bearer token when the server has one. Health stays open for load balancers. */
  readonly protected: boolean;
  /** The `{id}` of `/v1/ids/{id}`, percent-decoded. */
  readonly id?: string;
}

/** Longer than any ID in any format (a 128-bit decimal has 39 digits, a UUID 36 characters). */
const MAX_ID_LENGTH = 100;

const ids: Route = { name: 'ids', path: '/v1/ids', methods: ['GET'], protected: true };
const health: Route = { name: 'health', path: '/healthz', methods: ['GET', 'HEAD'], protected: false };
const metrics: Route = { name: 'metrics', path: '/metrics', methods: ['GET', 'HEAD'], protected: true };

/**
 * The route for a path, or a 404. A fixed table: four routes need no router. `GET /v1/ids`
 * issues IDs, so it is GET only (a HEAD would spend IDs nobody sees).
 */
export function matchRoute(pathname: string): Route {
  switch (pathname) {
    case '/v1/ids':
      return ids;
    case '/healthz':
      return health;
    case '/metrics':
      return metrics;
  }
  const inspector = matchInspectorRoute(pathname);
  if (inspector) return inspector;
  const decode = /^\/v1\/ids\/([^/]+)$/.exec(pathname);
  if (decode) {
    let id: string;
    try {
      id = decodeURIComponent(decode[1]!);
    } catch {
      throw new HttpError(400, 'ERR_INVALID_ID', 'the ID in the path is not valid percent-encoding', { outcome: 'bad_request' });
    }
    if (id.length > MAX_ID_LENGTH) {
      throw new HttpError(400, 'ERR_INVALID_ID', `an ID is at most ${MAX_ID_LENGTH} characters; got ${id.length}`, { outcome: 'bad_request' });
    }
    return { name: 'decode', path: '/v1/ids/{id}', methods: ['GET', 'HEAD'], protected: true, id };
  }
  throw new HttpError(404, 'ERR_NOT_FOUND', `no such endpoint; try GET /v1/ids, GET /v1/ids/{id}, GET /healthz, GET /metrics or GET / (the inspector page)`, {
    outcome: 'not_found',
  });
}
