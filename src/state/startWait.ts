import { FlakeryError } from '../errors.js';

/**
 * How long a starting node must wait before it may issue IDs, given the high-water mark it
 * restored: until the clock passes the mark (`restoredUnixMs + 1`), 0 when it already has.
 * Pure, so the server can decide before it opens a port and tests need no clock.
 *
 * A wait longer than `maxStartWaitMs` means the clock is far behind the mark — it was set back,
 * or the state file came from another machine — and the operator should know rather than watch a
 * server hang: that case throws `ERR_START_WAIT_EXCEEDED` with both times in the message.
 */
export function startWaitMs(
  restoredUnixMs: number,
  nowUnixMs: number,
  maxStartWaitMs: number,
  source = 'the state file',
): number {
  const waitMs = Math.max(0, restoredUnixMs + 1 - nowUnixMs);
  if (waitMs > maxStartWaitMs) {
    throw new FlakeryError(
      'ERR_START_WAIT_EXCEEDED',
      `the clock (${new Date(nowUnixMs).toISOString()}) is ${waitMs} ms behind the high-water mark ` +
        `restored from ${source} (${new Date(restoredUnixMs).toISOString()}), more than the allowed ` +
        `start wait of ${maxStartWaitMs} ms (--max-start-wait): IDs issued now could repeat earlier ones. ` +
        'Check the clock (NTP), or raise --max-start-wait to let the server wait',
    );
  }
  return waitMs;
}
