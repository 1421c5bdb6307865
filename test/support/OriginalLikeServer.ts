import { type Server, type Socket, createServer } from 'node:net';
import type { Generator } from '../../src/index.js';

/**
 * A tiny stand-in for the original overt-flake server's request limit: it answers each count
 * frame with that many IDs from `generator`, and closes the connection, sending nothing, when a
 * count is above `maxCount` — as the original does above 4,095 for its 12-bit sequence layouts
 * (twitter, of53). It takes no auth frames. `requests` records each count it was asked for.
 */
export class OriginalLikeServer {
  readonly requests: number[] = [];
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  private constructor(generator: Generator, maxCount: number) {
    this.#server = createServer((socket) => {
      this.#sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => this.#sockets.delete(socket));
      let pending = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 4) {
          const count = pending.readUInt32BE(0);
          pending = pending.subarray(4);
          this.requests.push(count);
          if (count === 0 || count > maxCount) {
            socket.destroy();
            return;
          }
          socket.write(generator.nextBytes(count));
        }
      });
    });
  }

  static async start(generator: Generator, maxCount = 4_095): Promise<OriginalLikeServer> {
    const server = new OriginalLikeServer(generator, maxCount);
    await new Promise<void>((resolve) => server.#server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  get address(): string {
    return `127.0.0.1:${(this.#server.address() as { port: number }).port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}
