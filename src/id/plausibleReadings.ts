import { type EpochName, epochs } from '../layouts/epochs.js';
import type { Layout } from '../layouts/Layout.js';
import { layouts } from '../layouts/registry.js';
import { timeOfPrefix } from './timeOfPrefix.js';

/** One way of reading an ID: a known layout and a named epoch, and the time it gives. */
export interface IdReading {
  readonly layout: Layout<unknown>;
  readonly epoch: EpochName;
  readonly unixMs: number;
}

/**
 * The known layouts and named epochs that read an ID to a time from `fromMs` to `toMs`, best
 * first: a layout with its own default epoch before other epochs, then the time nearest
 * `nearMs`. `bytesOf(layout)` gives the ID as that layout would hold it (text parses to
 * different bytes for an 8- and a 16-byte layout), or `undefined` when it cannot be one; it
 * may be cut short, as long as the time field is there (see {@link timeOfPrefix}). A reading
 * whose time field is 0 is never plausible: zero bits are what a too-short ID reads as.
 * Used to say which layout or epoch a misread ID probably has.
 */
export function plausibleReadings(
  bytesOf: (layout: Layout<unknown>) => Uint8Array | undefined,
  nearMs: number,
  fromMs: number,
  toMs: number,
): IdReading[] {
  const found: (IdReading & { other: number; distance: number })[] = [];
  for (const layout of Object.values(layouts) as Layout<unknown>[]) {
    const bytes = bytesOf(layout);
    if (bytes === undefined) continue;
    if (bytes.length >= layout.byteLength && layout.check?.(bytes, 0) !== undefined) continue;
    const elapsedMs = timeOfPrefix(layout, bytes, 0, bytes.length);
    if (elapsedMs === undefined || elapsedMs === 0) continue;
    for (const [epoch, epochMs] of Object.entries(epochs) as [EpochName, number][]) {
      const unixMs = epochMs + elapsedMs;
      if (unixMs < fromMs || unixMs > toMs) continue;
      found.push({ layout, epoch, unixMs, other: epoch === layout.defaultEpoch ? 0 : 1, distance: Math.abs(unixMs - nearMs) });
    }
  }
  return found.sort((a, b) => a.other - b.other || a.distance - b.distance).map(({ layout, epoch, unixMs }) => ({ layout, epoch, unixMs }));
}
