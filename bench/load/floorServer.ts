import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, type Socket, createServer } from 'node:net';

/**
 * The least a Node HTTP server must do to answer `GET /v1/ids` with one ID: node:http with a
 * handler that writes a counter as `{"ids":["n"]}`. Same purpose as the TCP floor below.
 */
export async function startHttpFloorServer(host: string): Promise<{ port: number; close: () => Promise<void> }> {
  let next = 1n;
  const server = createHttpServer((_req, res) => {
    const body = `{"ids":["${next++}"]}\n`;
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen({ host, port: 0 }, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The least a Node TCP server must do to answer this protocol, as a floor to compare the real
 * server with: read 4-byte count frames and write count × 8 bytes of increasing IDs (a
 * counter, so the load generator's order check passes), one write per read. No generator, no
 * session rules, no observer, no backpressure: not a server to run, only a measure of what the
 * event loop and the socket calls cost by themselves on this machine.
 */
export async function startFloorServer(host: string): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let next = 1; // as an 8-byte big-endian integer: fits in 2^53 for any run
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    socket.on('error', () => socket.destroy());
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      const input = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      let total = 0;
      const frames = input.length >> 2;
      for (let i = 0; i < frames; i++) total += input.readUInt32BE(i * 4);
      pending = input.subarray(frames * 4);
      if (total === 0) return;
      const answer = Buffer.allocUnsafe(total * 8);
      for (let i = 0; i < total; i++, next++) {
        answer.writeUInt32BE(Math.floor(next / 2 ** 32), i * 8);
        answer.writeUInt32BE(next >>> 0, i * 8 + 4);
      }
      socket.write(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen({ host, port: 0 }, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
