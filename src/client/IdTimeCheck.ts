import type { Clock } from '../clock/Clock.js';
import { FlakeryError } from '../errors.js';
import { type IdReading, plausibleReadings } from '../id/plausibleReadings.js';
import { timeOfPrefix } from '../id/timeOfPrefix.js';
import { epochLabel } from '../layouts/epochLabel.js';
import { epochs } from '../layouts/epochs.js';
import type { Layout } from '../layouts/Layout.js';

const DAY_MS = 86_400_000;

/**
 * The client's guard against answers it would misread. The wire protocol has no layout
 * handshake: an overt client asking an 8-byte snowflake server for one ID gets 8 bytes and
 * waits for 16, and asking for two gets two snowflake IDs glued into one 16-byte value (a time
 * in the year 3045). So every answer is read with the client's layout and epoch, and an ID
 * whose time lies further than `maxSkewMs` from the client's clock is refused with
 * ERR_IMPLAUSIBLE_ID, naming the likely cause: the ID size, the layout, the epoch, or a clock.
 *
 * Only the first and the last ID of an answer are read. That is sound because the time field
 * is the most significant field of every layout, so the IDs of an answer, which a server sends
 * in increasing order, have non-decreasing times: if the first and last lie in the window, all
 * between do. A misconfigured client misreads every ID alike, so the first one already shows
 * it; the last one catches a long answer that drifted. The first ID is judged as soon as its
 * time field has arrived (see {@link timeOfPrefix}), before a whole ID that may never come.
 */
export class IdTimeCheck {
  readonly #layout: Layout<unknown>;
  readonly #epochMs: number;
  readonly #clock: Clock;
  readonly #maxSkewMs: number;

  constructor(layout: Layout<unknown>, epochMs: number, clock: Clock, maxSkewMs: number) {
    this.#layout = layout;
    this.#epochMs = epochMs;
    this.#clock = clock;
    this.#maxSkewMs = maxSkewMs;
  }

  /**
   * Judges the ID whose first `length` bytes (of the server's answer to a request from
   * `address`) are at `offset`: 'ok', 'more' while its time field has not all arrived, or
   * the error to refuse the answer with.
   */
  inspect(bytes: Uint8Array, offset: number, length: number, address: string): 'ok' | 'more' | FlakeryError {
    const elapsedMs = timeOfPrefix(this.#layout, bytes, offset, length);
    if (elapsedMs === undefined) return 'more';
    const unixMs = this.#epochMs + elapsedMs;
    const nowMs = this.#clock.now();
    if (Math.abs(unixMs - nowMs) <= this.#maxSkewMs) return 'ok';
    const prefix = bytes.subarray(offset, offset + length);
    const wideMs = Math.max(this.#maxSkewMs, DAY_MS);
    const readings = plausibleReadings((layout) => prefix.subarray(0, layout.byteLength), nowMs, nowMs - wideMs, nowMs + wideMs);
    const distance = `${formatDuration(Math.abs(unixMs - nowMs))} ${unixMs > nowMs ? 'ahead of' : 'behind'}`;
    return new FlakeryError(
      'ERR_IMPLAUSIBLE_ID',
      `${address} sent an ID that reads as ${this.#layout.name} (epoch ${epochLabel(this.#epochMs)}) to ${isoTime(unixMs)}, ` +
        `${distance} this client's clock, beyond maxClockSkewMs (${formatDuration(this.#maxSkewMs)}); the answer is refused: ${this.#hint(readings)}`,
    );
  }

  /** The likeliest cause, from the readings that put the ID near the client's clock. */
  #hint(readings: readonly IdReading[]): string {
    const mine = this.#layout;
    const best = readings.find((reading) => reading.layout !== mine || epochs[reading.epoch] !== this.#epochMs);
    const same = readings.find((reading) => reading.layout === mine && epochs[reading.epoch] === this.#epochMs);
    if (best === undefined) {
      return same === undefined
        ? "check the server's layout and epoch, and both clocks"
        : "the server's clock and this client's differ by more than maxClockSkewMs: check both clocks (NTP)";
    }
    const epoch = best.epoch === best.layout.defaultEpoch ? '' : ` and epoch: '${best.epoch}'`;
    if (best.layout.byteLength !== mine.byteLength) {
      return `the server's IDs are ${best.layout.byteLength} bytes? set layout: '${best.layout.name}'${epoch}`;
    }
    if (best.layout !== mine) return `the server's IDs are probably ${best.layout.name} IDs: set layout: '${best.layout.name}'${epoch}`;
    return `the server probably counts time from another epoch: set epoch: '${best.epoch}'`;
  }
}

/** An ISO-8601 time, or the raw number when it is outside what a Date can show. */
function isoTime(unixMs: number): string {
  const date = new Date(unixMs);
  return Number.isNaN(date.getTime()) ? `${unixMs} ms since 1970` : date.toISOString();
}

/** A rough duration for messages: "3 days", "1,028 years", "250 ms". */
export function formatDuration(ms: number): string {
  if (ms === Number.POSITIVE_INFINITY) return 'unlimited';
  const units: [number, string][] = [
    [365.25 * DAY_MS, 'year'],
    [DAY_MS, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1_000, 'second'],
  ];
  for (const [size, unit] of units) {
    if (ms >= size) {
      const n = Math.floor(ms / size);
      return `${n.toLocaleString('en-US')} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  return `${ms} ms`;
}
