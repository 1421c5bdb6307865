import { pino, type DestinationStream, type Logger } from 'pino';
import { InvalidOptionError } from '../../errors.js';
import { show } from '../../options/integerOption.js';

export type { Logger } from 'pino';

/** What `--log-level` accepts, most to least severe; `silent` logs nothing. */
export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/** `value` as a log level, or an InvalidOptionError naming `option` and the levels. */
export function parseLogLevel(option: string, value: unknown): LogLevel {
  const level = typeof value === 'string' ? value.trim().toLowerCase() : value;
  if (typeof level === 'string' && (logLevels as readonly string[]).includes(level)) return level as LogLevel;
  throw new InvalidOptionError(option, `${option} must be one of ${logLevels.join(', ')}; got ${show(value)}`);
}

/**
 * Fields whose values are replaced with `[redacted]` wherever they appear at the top of a log
 * line's object or one or two levels down (`config.authToken`, `req.headers.authorization`).
 * The code never logs a token on purpose; this catches the day someone logs a config object or
 * a request's headers in a hurry.
 */
const SECRET_KEYS = ['authorization', 'Authorization', 'proxy-authorization', 'token', 'authToken', 'auth', 'password', 'secret'];
export const REDACT_PATHS: readonly string[] = SECRET_KEYS.flatMap((key) => {
  const at = /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `["${key}"]`;
  return [at.startsWith('.') ? key : at, `*${at}`, `*.*${at}`];
});
export const REDACTED = '[redacted]';

export interface CreateLoggerOptions {
  /** Default `info`. */
  readonly level?: LogLevel;
  /** Where the JSON lines go; default stdout. */
  readonly destination?: DestinationStream;
  /** Fields on every line (pino's `base`); default `{ pid, hostname }`. */
  readonly base?: Record<string, unknown>;
}

/**
 * The server's logger: pino, one JSON object per line, ISO-8601 times, level names rather than
 * numbers (readable by people and by log pipelines alike), secrets redacted (REDACT_PATHS).
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const level = parseLogLevel('level', options.level ?? 'info');
  return pino(
    {
      level,
      redact: { paths: [...REDACT_PATHS], censor: REDACTED },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      ...(options.base !== undefined ? { base: options.base } : {}),
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
