import { type Clock, systemClock } from '../clock/Clock.js';
import type { DecodedId } from '../id/decode.js';
import { bigIntToBytes } from '../id/IdBytes.js';
import { type IdFormat, parseId } from '../id/IdFormat.js';
import { EARLIEST_PLAUSIBLE_UNIX_MS, PLAUSIBLE_AHEAD_MS, implausibleTime } from '../id/implausibleTime.js';
import { plausibleReadings } from '../id/plausibleReadings.js';
import { formatDuration } from '../client/IdTimeCheck.js';
import { epochs } from '../layouts/epochs.js';
import type { Layout } from '../layouts/Layout.js';
import { show } from '../options/integerOption.js';

/**
 * `flakery decode` with the wrong --layout or --epoch prints a confident wrong answer: a
 * snowflake ID read as overt has a zero time field and reads as the epoch itself. This says
 * so on stderr when a decoded time is implausible — at the epoch, before 2000, or more than a
 * year ahead of this machine's clock — and suggests the layout (and epoch) that reads the same
 * text as a time near now. stdout keeps the JSON. The first such ID gets a line of its own,
 * the rest are counted in one line at the end, so a file of them does not flood stderr.
 */
export class ImplausibleTimeWarning {
  readonly #layout: Layout<unknown>;
  readonly #epochMs: number;
  readonly #format: IdFormat | 'auto';
  readonly #clock: Clock;
  #count = 0;

  constructor(layout: Layout<unknown>, epochMs: number, format: IdFormat | 'auto', clock: Clock = systemClock) {
    this.#layout = layout;
    this.#epochMs = epochMs;
    this.#format = format;
    this.#clock = clock;
  }

  /** The warning for the decoded `id` (read from `text`), once; `undefined` when its time is plausible or it was said already. */
  check(text: string, id: Pick<DecodedId, 'unixMs' | 'time'>): string | undefined {
    const nowMs = this.#clock.now();
    const why = this.#implausible(id.unixMs, nowMs);
    if (why === undefined) return undefined;
    if (this.#count++ > 0) return undefined;
    return `warning: ${show(text.trim())} reads as ${this.#layout.name} to ${id.time}, ${why}: ${this.#suggest(text, nowMs)}`;
  }

  /** The closing line counting the IDs after the first that read implausibly, if any. */
  summary(): string | undefined {
    const more = this.#count - 1;
    return more > 0 ? `warning: ${more} more ID${more === 1 ? '' : 's'} read to implausible times` : undefined;
  }

  #implausible(unixMs: number, nowMs: number): string | undefined {
    switch (implausibleTime(unixMs, this.#epochMs, nowMs)) {
      case 'epoch':
        return 'the epoch itself (a zero time field)';
      case 'before-2000':
        return 'before 2000';
      case 'future':
        return `${formatDuration(unixMs - nowMs)} in the future`;
      default:
        return undefined;
    }
  }

  #suggest(text: string, nowMs: number): string {
    const bytesOf = (layout: Layout<unknown>) => {
      try {
        return bigIntToBytes(parseId(text, layout.byteLength, this.#format), layout.byteLength);
      } catch {
        return undefined;
      }
    };
    const mine = this.#layout;
    const best = plausibleReadings(bytesOf, nowMs, EARLIEST_PLAUSIBLE_UNIX_MS, nowMs + PLAUSIBLE_AHEAD_MS).find(
      (reading) => reading.layout.name !== mine.name || epochs[reading.epoch] !== this.#epochMs,
    );
    if (best === undefined) return 'check --layout and --epoch';
    const reads = `as ${best.layout.name} (epoch ${best.epoch}) it reads ${new Date(best.unixMs).toISOString()}`;
    if (best.layout.name === mine.name) return `its epoch is probably another; ${reads}: try --epoch ${best.epoch}`;
    const epoch = best.epoch === best.layout.defaultEpoch ? '' : ` --epoch ${best.epoch}`;
    return `--layout ${mine.name} is probably wrong; ${reads}: try --layout ${best.layout.name}${epoch}`;
  }
}
