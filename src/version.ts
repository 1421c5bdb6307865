import { flakeryPackage } from './flakeryPackage.js';

/** The version in flakery's package.json, or `unknown` when it cannot be found. */
export function packageVersion(): string {
  return flakeryPackage()?.version ?? 'unknown';
}
