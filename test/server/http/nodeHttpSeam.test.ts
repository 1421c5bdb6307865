import assert from 'node:assert/strict';
import { once } from 'node:events';
import { type IncomingMessage, type ServerResponse, createServer as createHttpServer } from 'node:http';
import { type AddressInfo, type Socket, connect, createServer } from 'node:net';
import { describe, it } from 'node:test';
import { handOff, responseUnderWay, startTracking, stopTracking } from '../../../src/server/http/nodeHttpSeam.js';

/**
 * The node:http internals HttpIdServer relies on (nodeHttpSeam.ts), checked on the running Node:
 * if an upgrade changes one, this fails here (a test timeout at worst), not in production.
 */
describe('nodeHttpSeam on this Node', { timeout: 10_000 }, () => {
  /** node:http that never listens, fed by a net listener on port 0, as HttpIdServer runs it. */
  async function fedServer(onRequest: (req: IncomingMessage, res: ServerResponse) => void) {
    const http = createHttpServer({ keepAliveTimeout: 60_000 }, onRequest);
    const front = createServer((socket) => handOff(http, socket));
    front.listen(0, '127.0.0.1');
    await once(front, 'listening');
    startTracking(http);
    const port = (front.address() as AddressInfo).port;
    const close = async () => {
      stopTracking(http);
      front.close();
      await once(front, 'close');
    };
    return { http, port, close };
  }

  async function keepAliveRequest(port: number): Promise<{ socket: Socket; answer: string }> {
    const socket = connect(port, '127.0.0.1');
    socket.setEncoding('utf8');
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    let answer = '';
    while (!answer.endsWith('ok')) answer += (await once(socket, 'data'))[0] as string;
    return { socket, answer };
  }

  it('GIVEN a handed-off keep-alive connection THEN node:http serves it and closeIdleConnections closes it once tracked', async () => {
    const node = await fedServer((_req, res) => res.end('ok'));
    try {
      const { socket, answer } = await keepAliveRequest(node.port);
      assert.match(answer, /^HTTP\/1\.1 200 OK\r\n/);
      const closed = once(socket, 'close');
      node.http.closeIdleConnections(); // finds the connection only if startTracking still starts the tracking
      await closed;
    } finally {
      await node.close();
    }
  });

  it('GIVEN stopTracking THEN idle handed-off connections are closed and nothing throws', async () => {
    const node = await fedServer((_req, res) => res.end('ok'));
    const { socket } = await keepAliveRequest(node.port);
    const closed = once(socket, 'close');
    await node.close();
    await closed;
  });

  it('GIVEN a response whose headers went out THEN responseUnderWay is true, and false before', async () => {
    const seen: boolean[] = [];
    const node = await fedServer((req, res) => {
      seen.push(responseUnderWay(req.socket as Socket));
      res.writeHead(200, { 'Content-Length': 2 });
      res.flushHeaders();
      seen.push(responseUnderWay(req.socket as Socket));
      res.end('ok');
    });
    try {
      const { socket } = await keepAliveRequest(node.port);
      socket.destroy();
      assert.deepEqual(seen, [false, true]);
    } finally {
      await node.close();
    }
  });
});
