import { InvalidOptionError } from '../errors.js';
import { show } from '../options/integerOption.js';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/**
 * `host:port`, `[v6]:port` or `:port` (all interfaces, as Go's `net.Listen` reads it) into its
 * parts. Used for the listen address and for the client's server list, so both accept the same
 * spellings. `port` may be 0 (any free port) only when `allowAnyPort`.
 */
export function parseHostPort(option: string, text: unknown, options: { allowAnyPort?: boolean; defaultHost?: string } = {}): HostPort {
  const fail = (): never => {
    throw new InvalidOptionError(
      option,
      `${option} must be host:port (e.g. 127.0.0.1:4444 or [::1]:4444) with a port from ${options.allowAnyPort ? 0 : 1} to 65535; got ${show(text)}`,
    );
  };
  if (typeof text !== 'string') return fail();
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  if (!match) return fail();
  const host = match[1] ?? match[2] ?? '';
  const port = Number(match[3]);
  if (port > 65535 || (port === 0 && !options.allowAnyPort)) return fail();
  if (host === '' && options.defaultHost === undefined) return fail();
  return { host: host === '' ? options.defaultHost! : host, port };
}

/** `host:port`, with brackets around an IPv6 address. */
export function formatHostPort({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
