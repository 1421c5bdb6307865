import type { Route } from './routes.js';

/** The inspector page's files, by the path they are served at; the names in build/inspector/. */
export const inspectorFiles: Readonly<Record<string, { readonly file: string; readonly type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/inspect': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/inspector/inspector.js': { file: 'inspector.js', type: 'text/javascript; charset=utf-8' },
  '/inspector/inspector.css': { file: 'inspector.css', type: 'text/css; charset=utf-8' },
  '/inspector/icon.svg': { file: 'icon.svg', type: 'image/svg+xml' },
};

const node: Route = { name: 'node', path: '/v1/node', methods: ['GET', 'HEAD'], protected: true };
const stats: Route = { name: 'stats', path: '/v1/stats', methods: ['GET', 'HEAD'], protected: true };

/**
 * The inspector's routes (docs/http.md): its page and files, open (they hold nothing about the
 * node; the page asks for the token), and the two JSON endpoints it reads, behind the token like
 * /v1/ids. Undefined for any other path.
 */
export function matchInspectorRoute(pathname: string): Route | undefined {
  if (pathname === '/v1/node') return node;
  if (pathname === '/v1/stats') return stats;
  if (!Object.hasOwn(inspectorFiles, pathname)) return undefined;
  return { name: 'inspector', path: pathname, methods: ['GET', 'HEAD'], protected: false };
}
