#!/usr/bin/env node
// Makes a clone runnable: installs dependencies from the lockfile when they are missing or older
// than the lockfile, then compiles TypeScript into build/, bundles the command line into
// build/cli/ (scripts/buildCli.mjs: fast start-up) and the inspector page into build/inspector/.
// One mode per caller:
//   (none)   everything (src, test, bench): npm run build, bench, fuzz, soak
//   --test   everything, after checking the programs the tests drive for real (redis-server,
//            faketime, a C compiler, curl, chromium): installed with apt-get when root, else one
//            line naming them
//   --serve  src only, incrementally (tsconfig.build.json): npm start, fast on an unchanged tree
//   --pack   src only, from scratch, no source maps: prepack, so the package holds what src/ says
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
const say = (line) => process.stderr.write(`prepare: ${line}\n`);
const mode = ['--test', '--serve', '--pack'].find((flag) => process.argv.includes(flag));

const marker = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');
if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs) {
  say('installing dependencies from package-lock.json (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error']);
}

if (mode === '--test') {
  // [command, Debian package]: the tests run a real Redis, a shifted clock, compile the native
  // load generator (bench/load/native/loadgen.c) and run docs/http.md's curl examples.
  const missing = [
    ['redis-server', 'redis-server'],
    ['faketime', 'faketime'],
    ['cc', 'gcc'],
    ['curl', 'curl'],
    ['chromium', 'chromium'], // the inspector page's browser tests
  ].filter(([command]) => spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0);
  if (missing.length > 0) {
    const packages = missing.map(([, pkg]) => pkg);
    if (process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get']).status === 0) {
      say(`installing ${packages.join(', ')} with apt-get`);
      run('apt-get', ['update', '-qq']);
      run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages]);
    } else {
      const commands = missing.map(([command]) => command).join(', ');
      say(
        `the tests need ${commands}, not found on PATH: install them (Debian/Ubuntu: sudo apt-get install ` +
          `${packages.join(' ')}; macOS: brew install redis libfaketime) and run npm test again`,
      );
      process.exit(1);
    }
  }
}

const tsc = join(root, 'node_modules', '.bin', 'tsc');
if (mode === '--serve') {
  say('compiling src (tsc -b tsconfig.build.json, incremental)');
  run(tsc, ['-b', 'tsconfig.build.json']);
} else if (mode === '--pack') {
  // From scratch: a full build (npm test) leaves maps and map comments in build/src.
  rmSync(join(root, 'build', 'src'), { recursive: true, force: true });
  rmSync(join(root, 'build', 'tsconfig.build.tsbuildinfo'), { force: true });
  say('compiling src for the package (tsc -b tsconfig.build.json)');
  run(tsc, ['-b', 'tsconfig.build.json']);
} else {
  say('compiling TypeScript (tsc)');
  run(tsc, ['-p', 'tsconfig.json']);
}

// Source maps where tsc made them (they chain through to src/); the package ships none.
const cliMaps = mode === '--pack' || mode === '--serve' ? [] : ['--sourcemap'];
say('bundling the command line (scripts/buildCli.mjs)');
run(process.execPath, [join(root, 'scripts', 'buildCli.mjs'), ...cliMaps]);

say('building the inspector page (scripts/buildInspector.mjs)');
run(process.execPath, [join(root, 'scripts', 'buildInspector.mjs')]);
