import { readFileSync } from 'node:fs';
import type { ClientOptions } from '../client/IdClient.js';
import { IdClient } from '../client/IdClient.js';
import { InvalidOptionError } from '../errors.js';
import type { Layout } from '../layouts/Layout.js';
import { show } from '../options/integerOption.js';
import { MAX_TOKEN_LENGTH } from '../protocol/constants.js';
import type { IdLineWriter } from './formatIds.js';
import type { OutputWriter } from './OutputWriter.js';

/** IDs per request when `flakery gen --server` fetches a large count: one client round trip each. */
const FETCH_IDS = 65_535;

/** `--server` and `--auth-token-file` of `flakery gen`, as client options. */
export function genClientOptions(servers: string, layout: Layout<unknown>, authTokenFile: string | undefined): ClientOptions {
  const addresses = servers.split(',').map((address) => address.trim());
  if (addresses.some((address) => address === '')) {
    throw new InvalidOptionError('--server', `--server must be host:port[,host:port…]; got ${show(servers)}`);
  }
  const authToken = authTokenFile === undefined ? undefined : readToken(authTokenFile);
  return { servers: addresses.map((address) => ({ address, authToken })), layout };
}

/**
 * Fetches `count` IDs from the servers and writes them as lines, one request's worth at a time,
 * so a large count costs bounded memory; stops early when the reader has gone.
 */
export async function writeIdsFromServer(options: ClientOptions, count: number, lines: IdLineWriter, out: OutputWriter): Promise<void> {
  const client = new IdClient(options);
  try {
    for (let left = count; left > 0 && !out.closed; ) {
      const n = Math.min(left, FETCH_IDS);
      const ids = await client.nextBytes(n);
      const text = Buffer.allocUnsafe(n * lines.maxLineLength);
      await out.write(text.subarray(0, lines.write(ids, n, text, 0)));
      left -= n;
    }
    await out.flush();
  } finally {
    await client.close();
  }
}

/** The token in `path`, without one trailing newline. Errors name the flag, never the token. */
function readToken(path: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new InvalidOptionError('--auth-token-file', `--auth-token-file: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let end = bytes.length;
  if (bytes[end - 1] === 0x0a) end--;
  if (bytes[end - 1] === 0x0d) end--;
  if (end === 0 || end > MAX_TOKEN_LENGTH) {
    throw new InvalidOptionError('--auth-token-file', `--auth-token-file: the token in ${path} must be 1 to ${MAX_TOKEN_LENGTH} bytes; it has ${end}`);
  }
  return bytes.slice(0, end);
}
