import { knownOptions, rejectUnknownKeys } from '../options/knownOptions.js';
import type { ClientOptions, ServerEntry } from './IdClient.js';

/** Every key of ClientOptions; the compiler holds this list equal to the type. */
export const clientOptionNames = knownOptions<ClientOptions>({
  servers: true,
  connectTimeoutMs: true,
  requestTimeoutMs: true,
  layout: true,
  idSize: true,
  epoch: true,
  maxClockSkewMs: true,
  clock: true,
  maxCountPerRequest: true,
  retryableCodes: true,
  tls: true,
  prefetch: true,
});

const serverEntryNames = knownOptions<Exclude<ServerEntry, string>>({ address: true, authToken: true });

/** Refuses a key the client does not know, in its options and in each server given as an object. */
export function rejectUnknownClientOptions(options: ClientOptions): void {
  if (typeof options !== 'object' || options === null) return; // the client says what servers must be
  rejectUnknownKeys(options, clientOptionNames, 'client');
  if (!Array.isArray(options.servers)) return;
  options.servers.forEach((entry, index) => {
    if (typeof entry === 'object' && entry !== null) rejectUnknownKeys(entry, serverEntryNames, 'server entry', `servers[${index}].`);
  });
}
