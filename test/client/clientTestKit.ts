import { after } from 'node:test';
import { createClient } from '../../src/client/createClient.js';
import { startServer } from '../server/startServer.js';

/**
 * Servers and clients a client test file opens, each closed again in its `after()`, newest
 * first. Call once at the top of a test file.
 */
export function clientTestKit() {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  after(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    /** Closed in `after()` too. */
    cleanups,
    /** A real TCP ID server on 127.0.0.1 (see startServer), with its `address`. */
    async server(options: Parameters<typeof startServer>[0] = {}) {
      const ctx = await startServer(options);
      cleanups.push(ctx.stop);
      return { ...ctx, address: `127.0.0.1:${ctx.port}` };
    },
    client(options: Parameters<typeof createClient>[0]) {
      const c = createClient(options);
      cleanups.push(() => c.close());
      return c;
    },
  };
}
