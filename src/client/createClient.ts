import { rejectUnknownClientOptions } from './clientOptionNames.js';
import { type ClientOptions, IdClient } from './IdClient.js';

/**
 * A client of one or more ID servers, tried in priority order. An option it does not know
 * (a typo) is an InvalidOptionError naming it.
 *
 * ```ts
 * const client = createClient({ servers: ['10.0.0.1:4444', { address: '10.0.0.2:4444', authToken: 'secret' }] });
 * const id = await client.next();           // 1n << 100n …
 * const ids = await client.nextBatch(1000); // increasing
 * await client.close();
 * ```
 */
export function createClient(options: ClientOptions): IdClient {
  rejectUnknownClientOptions(options);
  return new IdClient(options);
}
