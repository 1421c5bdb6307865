/** A day: an ID's time this close to the epoch, or this far ahead of now, is suspect. */
const DAY_MS = 86_400_000;

/**
 * Why the time decoded from an ID is implausible for the layout and epoch it was read with, or
 * undefined when it is plausible. An ID of another layout (a snowflake read as overt) decodes to a
 * time just after the epoch; a wrong epoch or layout often puts it in the future.
 */
export function implausibleTime(unixMs: number, epochMs: number, nowMs: number): string | undefined {
  if (unixMs > nowMs + DAY_MS) return 'this time is in the future: is the layout or the epoch wrong?';
  if (unixMs < epochMs + DAY_MS && nowMs > epochMs + 2 * DAY_MS) {
    return 'this time is within a day of the epoch: the ID is probably of another layout or epoch';
  }
  return undefined;
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
