import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * The one place Flakery leans on node:http's internals, because its HTTP server never listens:
 * the quick front (QuickIdsFront) owns the listening socket and hands node:http only the
 * connections that need the full API. Each function names the behaviour it relies on; the test
 * (test/server/http/nodeHttpSeam.test.ts) checks every one on the running Node, so an upgrade
 * that changes them fails there, loudly, and not as slow leaks in production.
 */

/** Gives node:http a connection accepted elsewhere, as if it had accepted it (public: `'connection'` event). */
export function handOff(server: Server, socket: Socket): void {
  server.emit('connection', socket);
}

/**
 * Starts node:http's connection tracking, which it starts on `'listening'`: without it neither
 * headersTimeout nor requestTimeout is enforced, and closeIdleConnections finds nothing.
 */
export function startTracking(server: Server): void {
  server.emit('listening');
}

/**
 * Stops the tracking and closes idle connections. node:http never listened, so `close`'s callback
 * gets ERR_SERVER_NOT_RUNNING: expected, and nothing to wait for.
 */
export function stopTracking(server: Server): void {
  server.close(() => {});
}

/**
 * True while node:http has a response under way on `socket` whose headers went out (its
 * `_httpMessage`): a parse error then must cut the connection, not write an error answer into
 * the middle of the response — what Node's own clientError handler does.
 */
export function responseUnderWay(socket: Socket): boolean {
  return (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
}
