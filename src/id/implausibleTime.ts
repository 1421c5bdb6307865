/** 2000-01-01T00:00:00Z: no ID in use was made before it. */
export const EARLIEST_PLAUSIBLE_UNIX_MS = 946_684_800_000;
/** A decoded time further ahead of the reader's clock than this (a year) is implausible. */
export const PLAUSIBLE_AHEAD_MS = 365.25 * 86_400_000;

/** Why a decoded time cannot be when the ID was made. */
export type ImplausibleTime =
  /** Exactly the epoch: a zero time field, what an ID of a narrower layout reads as (a snowflake read as overt). */
  | 'epoch'
  /** Before 2000: a wrong epoch, or bits of another layout read as time. */
  | 'before-2000'
  /** More than a year ahead of the reader's clock: a wrong layout or epoch. */
  | 'future';

/**
 * The one rule for "this ID was probably decoded with the wrong layout or epoch", shared by
 * `flakery decode`'s warning and the inspector page's: a time at the epoch itself, before 2000,
 * or more than a year ahead of `nowMs`. `undefined` when the time is plausible.
 */
export function implausibleTime(unixMs: number, epochMs: number, nowMs: number): ImplausibleTime | undefined {
  if (unixMs === epochMs) return 'epoch';
  if (unixMs < EARLIEST_PLAUSIBLE_UNIX_MS) return 'before-2000';
  if (unixMs > nowMs + PLAUSIBLE_AHEAD_MS) return 'future';
  return undefined;
}
