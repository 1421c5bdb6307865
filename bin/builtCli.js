// Which build of the command line a bin shim runs: the bundle in build/cli (scripts/buildCli.mjs,
// fast to start) when it is there, else the modular build/src/cli. In a checkout (src/ beside
// bin/) the bundle must also be no older than build/src/cli: `npx tsc` alone rewrites build/src
// and leaves build/cli as it was, and then the fresh code runs rather than a stale bundle
// (`npm run build`, and every npm script, makes both). An installed package has no src/, and
// npm does not keep the files' times, so there the bundle always wins.
import { statSync } from 'node:fs';

/** The URL to import for `bundleFile` in build/cli, made from `modularFile` in build/src/cli. */
export function builtCli(bundleFile, modularFile) {
  const bundle = new URL(`../build/cli/${bundleFile}`, import.meta.url);
  const modular = new URL(`../build/src/cli/${modularFile}`, import.meta.url);
  const bundleTime = mtime(bundle);
  if (bundleTime === undefined) return modular.href;
  const checkout = mtime(new URL('../src/', import.meta.url)) !== undefined;
  return !checkout || bundleTime >= (mtime(modular) ?? 0) ? bundle.href : modular.href;
}

function mtime(url) {
  return statSync(url, { throwIfNoEntry: false })?.mtimeMs;
}
