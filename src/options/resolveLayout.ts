import { InvalidOptionError } from '../errors.js';
import type { Layout } from '../layouts/Layout.js';
import { layoutByName, layoutNames } from '../layouts/registry.js';
import { show } from './integerOption.js';

/** A layout from its name, or a custom layout object passed through. */
export function resolveLayout(option: string, value: unknown): Layout<unknown> {
  if (typeof value === 'object' && value !== null && 'encoder' in value && 'byteLength' in value) {
    return value as Layout<unknown>;
  }
  const layout = typeof value === 'string' ? layoutByName(value) : undefined;
  if (!layout) {
    throw new InvalidOptionError(option, `${option} must be one of ${layoutNames.join(', ')}; got ${show(value)}`);
  }
  return layout;
}
