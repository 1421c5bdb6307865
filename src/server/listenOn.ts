import type { AddressInfo, Server } from 'node:net';
import { FlakeryError } from '../errors.js';
import { formatHostPort } from '../net/hostPort.js';

/**
 * Starts `server` listening on `host:port` and resolves with the bound address (the real port
 * when 0 was asked for). Failing to bind rejects with ERR_LISTEN, saying why in words
 * (address in use, permission denied), so both listeners report it the same way.
 */
export function listenOn(server: Server, options: { host: string; port: number }): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'EADDRINUSE' ? 'the address is in use' : code === 'EACCES' ? 'permission denied' : error.message;
      reject(new FlakeryError('ERR_LISTEN', `cannot listen on ${formatHostPort(options)}: ${why}`, { cause: error }));
    };
    server.once('error', onError);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}
