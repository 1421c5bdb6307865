#!/usr/bin/env node
// Builds the inspector page (GET / of `flakery serve --http`) into build/inspector/: type-checks
// src/inspector (browser code, its own tsconfig with the DOM), bundles it with flakery/core by
// esbuild into one script, and copies the HTML, CSS and icon beside it. The server reads these
// files at run time; the library never imports them.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'src', 'inspector');
const out = join(root, 'build', 'inspector');

execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(source, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(source, 'main.ts')],
  outfile: join(out, 'inspector.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
for (const file of ['index.html', 'inspector.css', 'icon.svg']) copyFileSync(join(source, file), join(out, file));
