// flakery/client: the failover client of the TCP protocol. Re-exports only.
export { createClient } from '../client/createClient.js';
export { IdClient, type ClientOptions, type ServerEntry } from '../client/IdClient.js';
export { clientDefaults } from '../client/clientDefaults.js';
export type { PrefetchOptions } from '../client/resolvePrefetch.js';
export { loadClientConfig, parseClientConfig } from '../client/loadClientConfig.js';
export type { IdSource } from '../client/IdSource.js';
export { LocalIdSource } from '../client/LocalIdSource.js';
