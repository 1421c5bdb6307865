import { type ImplausibleTime, implausibleTime } from '../exports/core.js';

const WHY: Record<ImplausibleTime, string> = {
  epoch: 'this time is the epoch itself (a zero time field): the ID is probably of another layout',
  'before-2000': 'this time is before 2000: is the layout or the epoch wrong?',
  future: 'this time is more than a year in the future: is the layout or the epoch wrong?',
};

/**
 * The page's words for why the time decoded from an ID is implausible for the layout and epoch
 * it was read with (the rule is flakery/core's `implausibleTime`, the one `flakery decode`
 * warns by), or undefined when it is plausible.
 */
export function implausibleTimeWarning(unixMs: number, epochMs: number, nowMs: number): string | undefined {
  const why = implausibleTime(unixMs, epochMs, nowMs);
  return why === undefined ? undefined : WHY[why];
}

/** `3 d 4 h`, `5 min 2 s`, `12 s`, `in 2 h`: how long ago `unixMs` was. */
export function formatAge(unixMs: number, nowMs: number): string {
  const ahead = unixMs > nowMs;
  let seconds = Math.floor(Math.abs(nowMs - unixMs) / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [['y', 31_536_000], ['d', 86_400], ['h', 3600], ['min', 60], ['s', 1]] as const) {
    const n = Math.floor(seconds / size);
    if (n > 0 || (unit === 's' && parts.length === 0)) parts.push(`${n} ${unit}`);
    seconds -= n * size;
    if (parts.length === 2) break;
  }
  return ahead ? `in ${parts.join(' ')}` : `${parts.join(' ')} ago`;
}
