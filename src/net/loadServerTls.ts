import { type TlsOptions, createSecureContext } from 'node:tls';
import { InvalidOptionError } from '../errors.js';
import { readBoundedFile } from '../files/readBoundedFile.js';

/** The largest certificate, key or CA file read: a chain of a few certificates is a few KiB. */
export const MAX_PEM_FILE_BYTES = 1024 * 1024;

export interface ServerTlsFiles {
  /** PEM certificate chain file (`--tls-cert`): the server's certificate first, then intermediates. */
  readonly cert?: string | undefined;
  /** PEM private key file (`--tls-key`). */
  readonly key?: string | undefined;
}

/** The oldest TLS version the server speaks. 1.0 and 1.1 are broken and disabled by Node anyway. */
export const MIN_TLS_VERSION = 'TLSv1.2';

/**
 * A client must finish the TLS handshake within this long, else its socket is destroyed. Node's
 * default is 120 s, and a socket stuck in the handshake (a client that rejected our certificate
 * and left a half-open connection) is not yet a connection the listeners know about, so it would
 * hold a file descriptor, and a graceful close, for that long.
 */
export const TLS_HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * Reads a TLS certificate and key for the server's listeners (TCP protocol and HTTPS), or
 * `undefined` when neither file is given. Everything is checked here, once, at start-up —
 * both or neither given, files readable, PEM parseable, key matching the certificate — so an
 * operator's mistake is an InvalidOptionError naming the flag, not a handshake failure on the
 * first client. `names` are the flags as the operator spelled them.
 */
export function loadServerTls(
  files: ServerTlsFiles,
  names: { cert: string; key: string } = { cert: '--tls-cert', key: '--tls-key' },
): TlsOptions | undefined {
  if (files.cert === undefined && files.key === undefined) return undefined;
  if (files.cert === undefined) throw new InvalidOptionError(names.cert, `${names.key} needs ${names.cert} too: give both or neither`);
  if (files.key === undefined) throw new InvalidOptionError(names.key, `${names.cert} needs ${names.key} too: give both or neither`);
  const cert = readPem(names.cert, files.cert, 'CERTIFICATE');
  const key = readPem(names.key, files.key, 'PRIVATE KEY');
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    throw new InvalidOptionError(
      names.key,
      `${names.cert} ${files.cert} and ${names.key} ${files.key} cannot be used together: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return { cert, key, minVersion: MIN_TLS_VERSION, handshakeTimeout: TLS_HANDSHAKE_TIMEOUT_MS };
}

/**
 * A CA certificate file (PEM, one or more certificates) for a client to trust: the client's
 * `ca` option, needed when the server's certificate is self-signed or from a private CA.
 */
export function loadCaFile(option: string, path: string): Buffer {
  return readPem(option, path, 'CERTIFICATE');
}

/**
 * The file's bytes, after checking it holds a PEM block of `kind` (`PRIVATE KEY` also matches
 * `RSA PRIVATE KEY` and `EC PRIVATE KEY`). The contents are never put into a message.
 */
function readPem(option: string, path: string, kind: 'CERTIFICATE' | 'PRIVATE KEY'): Buffer {
  let read: Uint8Array | undefined;
  try {
    read = readBoundedFile(path, MAX_PEM_FILE_BYTES);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InvalidOptionError(option, `${option}: cannot read ${path} (${reason})`, { cause: error });
  }
  if (read === undefined) {
    throw new InvalidOptionError(option, `${option}: ${path} is larger than 1 MiB, too large for a PEM ${kind.toLowerCase()} file: check the path`);
  }
  const bytes = Buffer.from(read.buffer, read.byteOffset, read.byteLength);
  const pattern = kind === 'CERTIFICATE' ? /-----BEGIN CERTIFICATE-----/ : /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/;
  if (!pattern.test(bytes.toString('latin1'))) {
    throw new InvalidOptionError(option, `${option}: ${path} holds no PEM ${kind.toLowerCase()} (-----BEGIN ${kind}-----)`);
  }
  return bytes;
}
