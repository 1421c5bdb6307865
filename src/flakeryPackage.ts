import { readFileSync } from 'node:fs';

export interface FlakeryPackage {
  /** The directory holding flakery's package.json (ends in `/`). */
  readonly dir: URL;
  readonly version: string;
}

let found: FlakeryPackage | null | undefined;

/**
 * Flakery's own package directory and version, found by walking up from this module to the
 * package.json named `flakery`: the same code runs from build/src in a checkout, from the CLI
 * bundle's chunks in build/cli, and from node_modules/flakery/… of an install, so no path
 * relative to this file is right in all of them. Undefined when there is none (a copied file).
 */
export function flakeryPackage(): FlakeryPackage | undefined {
  if (found === undefined) found = findPackage(new URL('.', import.meta.url)) ?? null;
  return found ?? undefined;
}

function findPackage(start: URL): FlakeryPackage | undefined {
  for (let dir = start; ; dir = new URL('..', dir)) {
    const version = readVersion(new URL('package.json', dir));
    if (version !== undefined) return { dir, version };
    if (dir.pathname === '/') return undefined;
  }
}

function readVersion(file: URL): string | undefined {
  try {
    const pkg: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof pkg === 'object' && pkg !== null && 'name' in pkg && pkg.name === 'flakery' && 'version' in pkg) {
      return String(pkg.version);
    }
  } catch {
    // No package.json here, or not one we can read: look further up.
  }
  return undefined;
}
