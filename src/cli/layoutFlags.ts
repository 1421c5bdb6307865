import { InvalidOptionError } from '../errors.js';
import { epochs } from '../layouts/epochs.js';
import type { Layout } from '../layouts/Layout.js';
import { layoutNames } from '../layouts/registry.js';
import { resolveLayoutEpoch } from '../options/resolveEpoch.js';
import { resolveLayout } from '../options/resolveLayout.js';
import type { FlagSpecs, FlagValues } from './parseArgs.js';

/** `--layout` and `--epoch`, which every command that makes or reads IDs takes. */
export const layoutFlags = {
  layout: {
    flag: '--layout',
    value: 'NAME',
    accepts: `one of ${layoutNames.join(', ')}`,
    description: `the ID layout: ${layoutNames.join(', ')} (default overt)`,
  },
  epoch: {
    flag: '--epoch',
    value: 'NAME|MS',
    accepts: `one of ${Object.keys(epochs).join(', ')} or milliseconds since the Unix epoch`,
    description: `${Object.keys(epochs).join(', ')} or Unix ms (default: the layout's; uuidv7: unix only)`,
  },
} as const satisfies FlagSpecs;

/** A layout and the epoch its time field counts from, validated. */
export interface LayoutChoice {
  readonly layout: Layout<unknown>;
  readonly epochMs: number;
}

export function resolveLayoutFlags(values: FlagValues<typeof layoutFlags>): LayoutChoice {
  const layout = resolveLayout(layoutFlags.layout.flag, values.layout ?? 'overt');
  return { layout, epochMs: resolveLayoutEpoch(layoutFlags.epoch.flag, layout, values.epoch) };
}

/** The uuid format writes 16 bytes: `flag` uuid with a layout of another size is refused. */
export function requireUuidLayout(flag: string, layout: Layout<unknown>): void {
  if (layout.byteLength !== 16) {
    throw new InvalidOptionError(
      flag,
      `${flag} uuid needs a 16-byte layout (overt, overt53 or uuidv7); ${layout.name} IDs have ${layout.byteLength} bytes: use decimal or hex`,
    );
  }
}
