#!/usr/bin/env node
// Bundles the command line (flakery, ofsrvr) into build/cli/ from the compiled build/src, so a
// command loads a dozen files instead of ~50 (start-up time: docs/benchmarks.md). ESM with
// splitting: each command (gen, decode, serve) stays its own chunk, loaded only when it runs,
// and code the commands share sits in shared chunks. npm packages (pino, yaml, ioredis) stay
// external, loaded from node_modules as before. bin/*.js import the bundle when it is there and
// the modular build/src otherwise; the library (`import 'flakery'`) is always the modular build.
//   node scripts/buildCli.mjs [--sourcemap]
// build/cli.meta.json (esbuild's metafile, not shipped) says which source modules each chunk holds:
// test/cli/startupModules.test.ts reads it to see what a command loaded.
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'build', 'cli');

rmSync(out, { recursive: true, force: true }); // no chunks left over from an older build
const { metafile } = await build({
  absWorkingDir: root,
  entryPoints: { flakery: 'build/src/cli/main.js', ofsrvr: 'build/src/cli/ofsrvrMain.js' },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: process.argv.includes('--sourcemap') ? 'linked' : false,
  metafile: true,
  logLevel: 'warning',
});
writeFileSync(join(root, 'build', 'cli.meta.json'), `${JSON.stringify(metafile, null, 1)}\n`);
