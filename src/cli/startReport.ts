import type { Writable } from 'node:stream';
import type { Logger } from '../server/logging/createLogger.js';
import { type StartupInfo, formatStartupBanner, logStart } from '../server/logging/startupBanner.js';

/**
 * How a serving command tells its start and stop, once each (`--log-format`):
 * - `pretty`, for a person: the banner, the guards' notes and the warnings on stderr, then
 *   `listening on HOST:PORT` last, the line scripts wait for;
 * - `json`, for a log pipeline: the same as one `started` line on stdout (and `start_wait`,
 *   `stopping`, `stopped`), nothing on stderr.
 */
export interface StartReport {
  startWait(wait: { readonly ms: number; readonly reason: string }): void;
  started(info: StartupInfo): void;
  stopping(reason: string, openConnections: number): void;
  stopped(): void;
}

export function prettyStartReport(program: string, stderr: Writable): StartReport {
  const line = (text: string) => stderr.write(`${program}: ${text}\n`);
  return {
    // Not listening yet: clients fail over to another server instead of being cut off.
    startWait: ({ ms, reason }) => line(`waiting ${ms} ms ${reason} before listening`),
    started: (info) => {
      stderr.write(formatStartupBanner(info));
      for (const note of info.notes ?? []) line(note);
      for (const warning of info.warnings ?? []) line(`warning: ${warning}`);
      line(`listening on ${info.tcp}`);
    },
    stopping: (reason, open) => line(`${reason}: stopping; finishing ${open} open connection${open === 1 ? '' : 's'}`),
    stopped: () => line('stopped'),
  };
}

export function jsonStartReport(logger: Logger): StartReport {
  return {
    startWait: ({ ms, reason }) => logger.info({ event: 'start_wait', waitMs: ms, reason }, `waiting ${ms} ms ${reason} before listening`),
    started: (info) => logStart(info, logger),
    stopping: (reason, openConnections) => logger.info({ event: 'stopping', reason, openConnections }, `${reason}: stopping`),
    stopped: () => logger.info({ event: 'stopped' }, 'server stopped'),
  };
}
