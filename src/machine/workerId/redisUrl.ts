import { InvalidOptionError } from '../../errors.js';

/** A Redis address from a `redis://` or `rediss://` URL, split for ioredis. */
export interface RedisAddress {
  host: string;
  port: number;
  db: number;
  tls: boolean;
  username?: string;
  password?: string;
  /** The URL without user name or password, safe for messages and logs. */
  display: string;
}

/**
 * Parses `redis://[[user]:password@]host[:port][/db]` (or `rediss://` for TLS). The password
 * never appears in `display` nor in any error this throws.
 */
export function parseRedisUrl(spec: string, option = '--worker-id-from'): RedisAddress {
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw new InvalidOptionError(option, `${option}: not a valid Redis URL; expected redis://host:port/db`);
  }
  const tls = url.protocol === 'rediss:';
  if (!tls && url.protocol !== 'redis:') {
    throw new InvalidOptionError(option, `${option}: expected a redis:// or rediss:// URL, got ${url.protocol}//`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const portText = url.port === '' ? '6379' : url.port;
  const port = Number(portText);
  const dbText = url.pathname.replace(/^\//, '');
  const display = `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  if (host === '') {
    throw new InvalidOptionError(option, `${option}: the Redis URL ${display} has no host`);
  }
  if (!/^\d{1,9}$/.test(dbText === '' ? '0' : dbText)) {
    throw new InvalidOptionError(
      option,
      `${option}: the database in ${display} must be a non-negative integer (redis://host:port/0)`,
    );
  }
  if (url.search !== '' || url.hash !== '') {
    throw new InvalidOptionError(option, `${option}: the Redis URL ${display} may not have a query or fragment`);
  }
  const address: RedisAddress = { host, port, db: Number(dbText === '' ? '0' : dbText), tls, display };
  if (url.username !== '') address.username = decodeURIComponent(url.username);
  if (url.password !== '') address.password = decodeURIComponent(url.password);
  return address;
}
