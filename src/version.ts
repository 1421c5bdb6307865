import { readFileSync } from 'node:fs';

/**
 * The version in flakery's package.json, found by walking up from this module: the same code
 * runs from build/src/cli in a checkout and from node_modules/flakery/build/src/cli.
 */
export function packageVersion(): string {
  for (let dir = new URL('.', import.meta.url); ; dir = new URL('..', dir)) {
    const version = readVersion(new URL('package.json', dir));
    if (version !== undefined) return version;
    if (dir.pathname === '/') return 'unknown';
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
