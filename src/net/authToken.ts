import { InvalidOptionError } from '../errors.js';
import { MAX_TOKEN_LENGTH } from '../protocol/constants.js';

/**
 * The longest auth token each transport carries, in bytes:
 * - `tcp`: 255 — the overt-flake auth frame gives the token's length in one byte;
 * - `http`: 4,096 — `Authorization: Bearer <token>` must fit the request head (8 KiB).
 * A server config serves both listeners, so its token is held to the smaller, `tcp`.
 */
export const MAX_AUTH_TOKEN_BYTES = { tcp: MAX_TOKEN_LENGTH, http: 4096 } as const;

/**
 * Parses a token once into bytes: a string as UTF-8, bytes as given (copied). `undefined` for
 * none or empty. Throws an InvalidOptionError naming `option` (never quoting the token) when it
 * is neither or longer than `maxBytes`.
 */
export function authTokenBytes(token: unknown, option: string, maxBytes: number): Uint8Array | undefined {
  if (token === undefined) return undefined;
  const bytes = typeof token === 'string' ? new TextEncoder().encode(token) : token;
  if (!(bytes instanceof Uint8Array)) throw new InvalidOptionError(option, `${option} must be a string or bytes`);
  if (bytes.length > maxBytes) throw new InvalidOptionError(option, `${option} must be at most ${maxBytes} bytes; got ${bytes.length} bytes`);
  return bytes.length === 0 ? undefined : bytes.slice();
}
