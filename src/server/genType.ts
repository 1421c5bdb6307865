import { InvalidOptionError } from '../errors.js';
import { type LayoutName, isLayoutName, layoutNames } from '../layouts/registry.js';
import { show } from '../options/integerOption.js';

/** overt-flake's generator types (`-gentype`, `genType:`) and the layouts they make. */
export const genTypeLayouts = {
  default: 'overt',
  of53: 'overt53',
  twitter: 'snowflake',
} as const satisfies Record<string, LayoutName>;

/** The layout for an overt-flake generator type; Flakery's own layout names are accepted too. */
export function layoutForGenType(from: string, value: unknown): LayoutName {
  const name = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (Object.hasOwn(genTypeLayouts, name)) return genTypeLayouts[name as keyof typeof genTypeLayouts];
  if (isLayoutName(name)) return name;
  throw new InvalidOptionError(
    from,
    `${from} must be one of ${Object.keys(genTypeLayouts).join(', ')} (or a layout name: ${layoutNames.join(', ')}); got ${show(value)}`,
  );
}
