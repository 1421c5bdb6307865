import type { ConnectionOptions } from 'node:tls';
import type { ClientOptions } from '../client/IdClient.js';
import { IdClient } from '../client/IdClient.js';
import { FlakeryError, InvalidOptionError } from '../errors.js';
import type { Layout } from '../layouts/Layout.js';
import { show } from '../options/integerOption.js';
import { MAX_AUTH_TOKEN_BYTES, authTokenBytes } from '../net/authToken.js';
import { parseHostPort } from '../net/hostPort.js';
import { loadCaFile } from '../net/loadServerTls.js';
import type { IdTextWriter } from '../id/IdTextWriter.js';
import type { OutputWriter } from './OutputWriter.js';
import { readSecretFile } from './readSecretFile.js';

/**
 * IDs written per step when `flakery gen --server` fetches a large count. Beyond one step's
 * worth the client prefetches that many (docs/client.md), so the next IDs are on their way
 * while the last ones are written out.
 */
const FETCH_IDS = 65_535;
/**
 * The age bound of gen's prefetch: the longest the client allows. gen prints IDs as it gets
 * them, so prefetching is for throughput only; the 100 ms bound a service needs at hand-out
 * would refuse every ID of a server whose clock is merely behind this machine's
 * (ERR_IDS_TOO_OLD). A wrong layout or epoch is still caught by the client's time check.
 */
const GEN_MAX_AGE_MS = 60_000;

/**
 * The server verifies with a certificate the client has no CA for: the codes for which
 * `--ca` is the likely cure, so the error says so.
 */
const UNTRUSTED_CERT_CODES: ReadonlySet<string> = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

/** The flags of `flakery gen` that say how to reach the servers, as the user gave them. */
export interface GenServerFlags {
  /** `--server`: host:port, several separated by commas. */
  readonly servers: string;
  /** `--layout`: the servers' layout, for the ID size. */
  readonly layout: Layout<unknown>;
  /** `--epoch`: the servers' epoch, to check the IDs' time (default: the layout's). */
  readonly epochMs?: number | undefined;
  /** `--auth-token-file`. */
  readonly authTokenFile?: string | undefined;
  /** `--tls`: TLS, trusting the system's CAs. */
  readonly tls?: boolean | undefined;
  /** `--ca`: CA certificate files (PEM), separated by commas; implies TLS. */
  readonly ca?: string | undefined;
}

/**
 * `--server`, `--auth-token-file`, `--tls` and `--ca` of `flakery gen`, as client options. The
 * token and CA files are read here, so a wrong path is a bad option (status 2) naming the flag.
 */
export function genClientOptions({ servers, layout, epochMs, authTokenFile, tls, ca }: GenServerFlags): ClientOptions {
  const addresses = servers.split(',').map((address) => address.trim());
  if (addresses.some((address) => address === '')) {
    throw new InvalidOptionError('--server', `--server must be host:port[,host:port…]; got ${show(servers)}`);
  }
  for (const address of addresses) parseHostPort('--server', address); // named as the user wrote it, not servers[i]
  const authToken = authTokenFile === undefined ? undefined : readToken(authTokenFile);
  const options: ClientOptions = { servers: addresses.map((address) => ({ address, authToken })), layout, epoch: epochMs };
  if (ca !== undefined) return { ...options, tls: { ca: readCas(ca) } };
  return tls ? { ...options, tls: {} } : options;
}

/** `--ca FILE[,FILE…]`: each file's PEM certificates, which the client trusts instead of the system's CAs. */
function readCas(files: string): Buffer | Buffer[] {
  const paths = files.split(',').map((path) => path.trim());
  if (paths.some((path) => path === '')) throw new InvalidOptionError('--ca', `--ca must be FILE[,FILE…]; got ${show(files)}`);
  const cas = paths.map((path) => loadCaFile('--ca', path));
  return cas.length === 1 ? cas[0]! : cas;
}

/**
 * Fetches `count` IDs from the servers and writes them as lines, one request's worth at a time,
 * so a large count costs bounded memory; stops early when the reader has gone.
 */
export async function writeIdsFromServer(options: ClientOptions, count: number, lines: IdTextWriter, out: OutputWriter): Promise<void> {
  const client = new IdClient(count > FETCH_IDS ? { ...options, prefetch: { ids: FETCH_IDS, maxAgeMs: GEN_MAX_AGE_MS } } : options);
  try {
    for (let left = count; left > 0 && !out.closed; ) {
      const n = Math.min(left, FETCH_IDS);
      const ids = await client.nextBytes(n).catch((error: unknown) => Promise.reject(inFlagTerms(withCaHint(error, options.tls))));
      const text = Buffer.allocUnsafe(n * lines.maxTextLength);
      await out.write(text.subarray(0, lines.write(ids, n, text, 0)));
      left -= n;
    }
    await out.flush();
  } finally {
    await client.close();
  }
}

/**
 * A server certificate that no trusted CA signed, when the user gave no `--ca`, most often
 * means a self-signed or private-CA server: the error says which flag trusts it.
 */
function withCaHint(error: unknown, tls: ConnectionOptions | undefined): unknown {
  if (!(error instanceof FlakeryError) || error.code !== 'ERR_TLS' || tls?.ca !== undefined) return error;
  const cause = (error.cause as NodeJS.ErrnoException | undefined)?.code;
  if (cause === undefined || !UNTRUSTED_CERT_CODES.has(cause)) return error;
  return new FlakeryError('ERR_TLS', `${error.message}; to trust a self-signed or private CA certificate, give it with --ca FILE`, { cause: error.cause });
}

/**
 * The client names its settings as options (`set layout: 'snowflake'`); on the command line
 * the same settings are flags, so an ERR_IMPLAUSIBLE_ID says `--layout snowflake` instead.
 */
function inFlagTerms(error: unknown): unknown {
  if (!(error instanceof FlakeryError) || error.code !== 'ERR_IMPLAUSIBLE_ID') return error;
  const message = error.message.replace(/\b(layout|epoch): '(\w+)'/g, '--$1 $2').replace(/\bset --/g, 'give --');
  return new FlakeryError(error.code, message, { cause: error.cause });
}

/** The token in `path` (without one trailing newline), as the server's config parses it. Errors name the flag, never the token. */
function readToken(path: string): Uint8Array {
  const flag = '--auth-token-file';
  return authTokenBytes(readSecretFile(flag, path, 'put the token in it, or remove the flag'), flag, MAX_AUTH_TOKEN_BYTES.tcp)!;
}
