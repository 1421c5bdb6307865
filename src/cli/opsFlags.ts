import type { TlsOptions } from 'node:tls';
import { type HostPort, parseHostPort } from '../net/hostPort.js';
import { type LogLevel, logLevels, parseLogLevel } from '../server/logging/createLogger.js';
import { loadServerTls } from '../net/loadServerTls.js';
import type { FlagSpecs } from './parseArgs.js';
import type { SourcedValues } from './serveConfigFile.js';
import { choiceOption } from './choiceOption.js';

/** What `--log-format` accepts (see startReport.ts). */
export const logFormats = ['pretty', 'json'] as const;
export type LogFormat = (typeof logFormats)[number];

/**
 * The operator's flags of `flakery serve`: the HTTP API, TLS and logs. Kept apart from the
 * protocol flags (serveFlags.ts spreads them in) because they configure what surrounds the ID
 * server, not the IDs.
 */
export const opsFlags = {
  http: {
    flag: '--http',
    value: 'HOST:PORT',
    accepts: 'host:port, e.g. 127.0.0.1:8080 (port 0: any free port)',
    description: 'also serve the HTTP API and the inspector page here (GET /v1/ids, /v1/ids/{id}, /healthz, /metrics, /); off unless given',
  },
  noInspector: {
    flag: '--no-inspector',
    description: 'with --http: do not serve the inspector page (GET /) nor its /v1/node and /v1/stats',
  },
  tlsCert: {
    flag: '--tls-cert',
    value: 'FILE',
    accepts: 'a PEM certificate (chain) file',
    description: 'TLS on the TCP listener and HTTPS on --http with this certificate (needs --tls-key)',
  },
  tlsKey: {
    flag: '--tls-key',
    value: 'FILE',
    accepts: 'a PEM private key file',
    description: 'the private key of --tls-cert',
  },
  logLevel: {
    flag: '--log-level',
    value: 'LEVEL',
    accepts: `one of ${logLevels.join(', ')}`,
    description: 'log events at this level and above (default info); never the token',
  },
  logFormat: {
    flag: '--log-format',
    value: 'FORMAT',
    accepts: `one of ${logFormats.join(', ')}`,
    description: 'pretty (default): the start-up banner and log lines for a person, on stderr; json: the start, the stop and every log event as JSON lines on stdout, nothing on stderr',
  },
} as const satisfies FlagSpecs;

/** The operator flags, validated. */
export interface OpsConfig {
  /** Where the HTTP API listens; undefined: off. */
  readonly http: HostPort | undefined;
  /** Serve the inspector page on the HTTP listener (docs/http.md); on unless --no-inspector. */
  readonly inspector: boolean;
  /** Certificate and key for both listeners; undefined: plain TCP and HTTP. */
  readonly tls: TlsOptions | undefined;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
}


/**
 * Checks the operator flags once: the address, both TLS files (readable, matching), the level
 * and the log format; each named as given (`--http`, `serve.yaml: http`).
 */
export function resolveOpsFlags({ http, noInspector, tlsCert, tlsKey, logLevel, logFormat }: SourcedValues<typeof opsFlags>): OpsConfig {
  return {
    http: http === undefined ? undefined : parseHostPort(http.from, http.value, { allowAnyPort: true, defaultHost: '0.0.0.0' }),
    inspector: noInspector?.value !== true,
    tls: loadServerTls({ cert: tlsCert?.value, key: tlsKey?.value }, { cert: tlsCert?.from ?? opsFlags.tlsCert.flag, key: tlsKey?.from ?? opsFlags.tlsKey.flag }),
    logLevel: logLevel === undefined ? 'info' : parseLogLevel(logLevel.from, logLevel.value),
    logFormat: logFormat === undefined ? 'pretty' : choiceOption(logFormat.from, logFormat.value, logFormats),
  };
}
