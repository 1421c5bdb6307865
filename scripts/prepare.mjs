#!/usr/bin/env node
// Makes a fresh clone runnable: installs dependencies from the lockfile when they are missing or
// older than the lockfile, then compiles TypeScript into build/. With --test it also installs the
// system packages the tests drive for real (redis-server, faketime, chromium) when they are missing.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
const say = (line) => process.stderr.write(`prepare: ${line}\n`);

const marker = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');
if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs) {
  say('installing dependencies from package-lock.json (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error']);
}

if (process.argv.includes('--test')) {
  const missing = [
    ['redis-server', 'redis-server'],
    ['faketime', 'faketime'],
    ['chromium', 'chromium'], // the inspector page's browser tests
  ].filter(([command]) => spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0);
  if (missing.length > 0) {
    const packages = missing.map(([, pkg]) => pkg);
    if (process.getuid?.() === 0) {
      say(`installing ${packages.join(', ')} with apt-get`);
      run('apt-get', ['update', '-qq']);
      run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages]);
    } else {
      say(`missing ${packages.join(', ')}: install them (apt-get install ${packages.join(' ')}) and run again`);
      process.exit(1);
    }
  }
}

say('compiling TypeScript (tsc)');
run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json']);

say('building the inspector page (scripts/buildInspector.mjs)');
run(process.execPath, [join(root, 'scripts', 'buildInspector.mjs')]);
