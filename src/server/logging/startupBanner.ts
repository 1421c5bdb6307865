import type { Logger } from 'pino';

/** What a starting server tells the operator. Never a token: only whether one is required. */
export interface StartupInfo {
  readonly version: string;
  readonly layout: string;
  /** Unix ms. */
  readonly epochMs: number;
  /** The node fields (worker id, or hardware id and process id), as `decode` names them. */
  readonly node: Readonly<Record<string, string | number>>;
  /** `host:port` of the TCP protocol listener. */
  readonly tcp?: string;
  /** `http://host:port` or `https://host:port`, when the HTTP API is on. */
  readonly http?: string;
  readonly tls: boolean;
  readonly authRequired: boolean;
  readonly maxCount?: number;
  /** What the guards hold and wait for (worker id and source, state file, a start wait, the connection caps). */
  readonly notes?: readonly string[];
  /** Risks in the config that still serves (no token on every interface, …). */
  readonly warnings?: readonly string[];
}

/** A few aligned lines for a person at a terminal. */
export function formatStartupBanner(info: StartupInfo): string {
  const rows: [string, string][] = [
    ['layout', `${info.layout} (epoch ${new Date(info.epochMs).toISOString()})`],
    ['node', Object.entries(info.node).map(([k, v]) => `${k}=${v}`).join(' ') || '-'],
    ['tcp', info.tcp === undefined ? 'off' : `${info.tcp}${info.tls ? ' (TLS)' : ''}`],
    ['http', info.http ?? 'off'],
    ['auth', info.authRequired ? 'token required' : 'none (anyone who can connect gets IDs)'],
  ];
  if (info.maxCount !== undefined) rows.push(['max count', String(info.maxCount)]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return `flakery ${info.version} serving\n${rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n')}\n`;
}

/** The start as one `started` log line, for log pipelines (`--log-format json`). */
export function logStart(info: StartupInfo, logger: Logger): void {
  logger.info({ event: 'started', ...info }, 'flakery server started');
}
