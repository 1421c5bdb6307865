import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { FlakeryError } from '../errors.js';
import type { ClientOptions, ServerEntry } from './IdClient.js';

/**
 * Reads an overt-flake client config (YAML) into ClientOptions:
 *
 * ```yaml
 * servers:
 *   - server: 10.0.0.1:4444
 *     auth: secret        # optional; "" or absent means no auth
 *   - server: 10.0.0.2:4444
 * ```
 *
 * Flakery also reads `connectTimeoutMs`, `requestTimeoutMs` and `layout` at the top level.
 * A file that cannot be read or parsed, or has the wrong shape, is ERR_CONFIG_FILE; values are
 * checked by `createClient`, which names the bad one. Messages never quote an `auth` value.
 */
export async function loadClientConfig(path: string): Promise<ClientOptions> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new FlakeryError('ERR_CONFIG_FILE', `cannot read client config ${path}: ${(error as Error).message}`, { cause: error });
  }
  return parseClientConfig(text, path);
}

/** The parsing half of {@link loadClientConfig}, for text already in hand. */
export function parseClientConfig(text: string, path = 'client config'): ClientOptions {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new FlakeryError('ERR_CONFIG_FILE', `${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const fail = (what: string): never => {
    throw new FlakeryError('ERR_CONFIG_FILE', `${path}: ${what}`);
  };
  if (typeof document !== 'object' || document === null || Array.isArray(document)) fail('expected a mapping with a servers list');
  const config = document as Record<string, unknown>;
  if (!Array.isArray(config.servers) || config.servers.length === 0) fail('servers must be a non-empty list of {server, auth}');
  const servers = (config.servers as unknown[]).map((entry, i): ServerEntry => {
    if (typeof entry !== 'object' || entry === null) return fail(`servers[${i}] must be a mapping with server (and auth)`);
    const { server, auth } = entry as Record<string, unknown>;
    if (typeof server !== 'string') return fail(`servers[${i}].server must be a "host:port" string`);
    if (auth !== undefined && auth !== null && typeof auth !== 'string') return fail(`servers[${i}].auth must be a string`);
    return typeof auth === 'string' && auth !== '' ? { address: server, authToken: auth } : server;
  });
  const options: { -readonly [K in keyof ClientOptions]: ClientOptions[K] } = { servers };
  if (config.connectTimeoutMs !== undefined) options.connectTimeoutMs = config.connectTimeoutMs as number;
  if (config.requestTimeoutMs !== undefined) options.requestTimeoutMs = config.requestTimeoutMs as number;
  if (config.layout !== undefined) options.layout = config.layout as ClientOptions['layout'];
  return options;
}
