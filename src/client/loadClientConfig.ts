import { dirname, resolve } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { parse } from 'yaml';
import { FlakeryError } from '../errors.js';
import { loadCaFile } from '../net/loadServerTls.js';
import { readConfigText } from '../files/readConfigText.js';
import type { ClientOptions, ServerEntry } from './IdClient.js';
import type { PrefetchOptions } from './resolvePrefetch.js';

/**
 * Reads an overt-flake client config (YAML) into ClientOptions:
 *
 * ```yaml
 * servers:
 *   - server: 10.0.0.1:4444
 *     auth: secret        # optional; "" or absent means no auth
 *   - server: 10.0.0.2:4444
 * tls:                    # optional (Flakery): `true` for the system's CAs, or
 *   ca: certs/ca.pem      #   a CA file (or a list), relative to this file's directory
 *   servername: ids.internal
 * prefetch:               # optional (Flakery): `true` for the defaults, or
 *   ids: 4096             #   IDs held ahead of use
 *   maxAgeMs: 100         #   the oldest an ID may be when handed out
 * ```
 *
 * Flakery also reads `connectTimeoutMs`, `requestTimeoutMs`, `layout`, `epoch`, `maxClockSkewMs`,
 * `maxCountPerRequest`, `tls` and `prefetch` at the top level.
 * A file that cannot be read or parsed, or has the wrong shape, is ERR_CONFIG_FILE; so is a CA
 * file that cannot be read or holds no PEM certificate, read here so that a wrong path shows up
 * at start-up rather than as a handshake failure later. Other values are checked by
 * `createClient`, which names the bad one. Messages never quote an `auth` value.
 */
export async function loadClientConfig(path: string): Promise<ClientOptions> {
  return parseClientConfig(readConfigText(path, 'client config'), path, dirname(resolve(path)));
}

/**
 * The parsing half of {@link loadClientConfig}, for text already in hand. `path` names the
 * config in messages; relative `tls.ca` paths resolve against `baseDir`.
 */
export function parseClientConfig(text: string, path = 'client config', baseDir = process.cwd()): ClientOptions {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new FlakeryError('ERR_CONFIG_FILE', `${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const fail = (what: string, cause?: unknown): never => {
    throw new FlakeryError('ERR_CONFIG_FILE', `${path}: ${what}`, cause === undefined ? undefined : { cause });
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
  if (config.epoch !== undefined) options.epoch = config.epoch as ClientOptions['epoch'];
  if (config.maxClockSkewMs !== undefined) options.maxClockSkewMs = config.maxClockSkewMs as number;
  if (config.maxCountPerRequest !== undefined) options.maxCountPerRequest = config.maxCountPerRequest as number;
  if ('prefetch' in config) {
    const prefetch = parsePrefetch(config.prefetch, fail);
    if (prefetch) options.prefetch = prefetch;
  }
  if ('tls' in config) {
    const tls = parseTls(config.tls, baseDir, fail);
    if (tls) options.tls = tls;
  }
  return options;
}

const PREFETCH_SHAPE = 'prefetch must be true, false or a mapping with ids and maxAgeMs';

/**
 * The `prefetch` key: `false` is off, `true` the defaults, a mapping `ids` and `maxAgeMs`
 * (checked by createClient, which names a bad value). A key it does not know is an error.
 */
function parsePrefetch(value: unknown, fail: (what: string) => never): PrefetchOptions | undefined {
  const mapping = switchOrMapping('prefetch', value, ['ids', 'maxAgeMs'], PREFETCH_SHAPE, fail);
  if (mapping === undefined) return undefined;
  const { ids, maxAgeMs } = mapping;
  return { ...(ids === undefined ? {} : { ids: ids as number }), ...(maxAgeMs === undefined ? {} : { maxAgeMs: maxAgeMs as number }) };
}

/**
 * A key that is `false` (undefined), `true` (an empty mapping: the defaults) or a mapping whose
 * keys must all be `known`: a misspelt one is an error, not silently a default.
 */
function switchOrMapping(
  key: string,
  value: unknown,
  known: readonly string[],
  shape: string,
  fail: (what: string) => never,
): Record<string, unknown> | undefined {
  if (value === false) return undefined;
  if (value === true) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(`${shape}; got ${describe(value)}`);
  const extra = Object.keys(value).find((name) => !known.includes(name));
  if (extra !== undefined) return fail(`${key}.${extra} is not a ${key} setting: ${shape}`);
  return value as Record<string, unknown>;
}

const TLS_SHAPE = 'tls must be true, false or a mapping with ca and servername';

/**
 * The `tls` key: `false` is plain TCP (undefined), `true` TLS trusting the system's CAs, a
 * mapping TLS with `ca` (a path or a list of paths, each read now; as with `tls.connect`, they
 * are trusted instead of the system's CAs) and `servername` (the name the server's certificate
 * must carry, when it is not the host of `server`). A key the mapping does not know is an
 * error rather than ignored: a misspelt `ca` would otherwise quietly fall back to the system's
 * CAs. A key given no value (a bare `tls:` or `ca:`) is an error too, not read as absent.
 */
function parseTls(value: unknown, baseDir: string, fail: (what: string, cause?: unknown) => never): ConnectionOptions | undefined {
  const mapping = switchOrMapping('tls', value, ['ca', 'servername'], TLS_SHAPE, fail);
  if (mapping === undefined) return undefined;
  const { ca, servername } = mapping;
  const tls: { ca?: Buffer | Buffer[]; servername?: string } = {};
  if (ca !== undefined) {
    const read = (key: string, file: unknown): Buffer => {
      if (typeof file !== 'string' || file === '') return fail(`${key} must be a path to a PEM CA certificate file`);
      const full = resolve(baseDir, file);
      try {
        return loadCaFile(key, full);
      } catch (error) {
        return fail((error as Error).message, error);
      }
    };
    if (Array.isArray(ca)) {
      if (ca.length === 0) return fail('tls.ca must be a path or a non-empty list of paths to PEM CA certificate files');
      tls.ca = ca.map((file, i) => read(`tls.ca[${i}]`, file));
    } else {
      tls.ca = read('tls.ca', ca);
    }
  }
  if (servername !== undefined) {
    if (typeof servername !== 'string' || servername === '') return fail('tls.servername must be a host name (the name on the server\'s certificate)');
    tls.servername = servername;
  }
  return tls;
}

/** A short, safe description of a wrong value's type for messages: never the value of a mapping. */
function describe(value: unknown): string {
  if (value === null) return 'nothing (a bare key)';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? `the string ${JSON.stringify(value.slice(0, 40))}` : `${typeof value} ${String(value)}`;
}
