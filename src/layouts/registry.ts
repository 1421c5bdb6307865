import type { Layout } from './Layout.js';
import { overtLayout } from './OvertLayout.js';
import { overt53Layout } from './Overt53Layout.js';
import { snowflakeLayout } from './SnowflakeLayout.js';
import { uuidv7Layout } from './UuidV7Layout.js';

/** The built-in layouts by name. A custom layout is passed as an object instead of a name. */
export const layouts = {
  overt: overtLayout,
  overt53: overt53Layout,
  snowflake: snowflakeLayout,
  uuidv7: uuidv7Layout,
} as const;

export type LayoutName = keyof typeof layouts;

export const layoutNames = Object.keys(layouts) as LayoutName[];

export function isLayoutName(name: string): name is LayoutName {
  return Object.hasOwn(layouts, name);
}

/** The layout called `name`, or `undefined`. */
export function layoutByName(name: string): Layout<unknown> | undefined {
  return isLayoutName(name) ? (layouts[name] as Layout<unknown>) : undefined;
}
