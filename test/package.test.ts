import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot } from './support/paths.js';

const run = promisify(execFile);

/** What a clone holds that the package is made from (no build/: a clone has none). */
const CLONE_ENTRIES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'LICENSE', 'README.md', 'src', 'bin', 'docs', 'scripts'];

/** The app's tsconfig: what a user's strict ESM TypeScript project looks like. */
const APP_TSCONFIG = {
  compilerOptions: { target: 'ES2022', module: 'nodenext', strict: true, skipLibCheck: false, outDir: 'out', types: ['node'] },
  include: ['index.ts'],
};

const APP_SOURCE = `import { createGenerator, decode } from 'flakery';
import { createClient } from 'flakery/client';
import { formatId } from 'flakery/core';

const gen = createGenerator({ layout: 'snowflake', machineId: 42 });
const id: bigint = gen.next();
const fields = decode(id, { layout: 'snowflake' });
const unixMs: number = fields.unixMs;
const time: string = fields.time;
// @ts-expect-error decode's fields are typed, not any
const wrong: string = fields.unixMs;
console.log(JSON.stringify({ workerId: fields['workerId'], layout: fields.layout, unixMs: typeof unixMs, time: typeof time }));
console.log(typeof createClient, formatId(id, 8, 'hex').length, typeof wrong);
`;

function walk(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

/**
 * The package as a user gets it: made with `npm pack` from a copy of the clone without build/,
 * installed into an empty strict TypeScript app. Dependencies come from npm's cache when they are
 * there (--prefer-offline); typescript is the repository's own.
 */
describe('the package (npm pack from a clone, installed into a TypeScript app)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'flakery-package-'));
  const clone = join(scratch, 'clone');
  const app = join(scratch, 'app');
  const installed = join(app, 'node_modules', 'flakery');
  let packedFiles: string[] = [];

  before(async () => {
    mkdirSync(clone);
    for (const entry of CLONE_ENTRIES.filter((name) => existsSync(join(repoRoot, name)))) {
      // Timestamps kept, so the lockfile is not newer than the install and prepare does not npm ci.
      cpSync(join(repoRoot, entry), join(clone, entry), { recursive: true, preserveTimestamps: true });
    }
    symlinkSync(join(repoRoot, 'node_modules'), join(clone, 'node_modules'));
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', scratch, '--loglevel=error'], { cwd: clone });
    const [packed] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
    packedFiles = packed.files.map((file) => file.path);

    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(APP_TSCONFIG));
    writeFileSync(join(app, 'index.ts'), APP_SOURCE);
    const typesNode = JSON.parse(readFileSync(join(repoRoot, 'node_modules', '@types', 'node', 'package.json'), 'utf8')).version;
    await run(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(scratch, packed.filename), `@types/node@${typesNode}`],
      { cwd: app },
    );
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('holds the build, the bundled command line, the bin shims, LICENSE and README', () => {
    for (const file of ['LICENSE', 'README.md', 'bin/flakery.js', 'bin/ofsrvr.js', 'bin/builtCli.js', 'build/src/index.js', 'build/src/index.d.ts', 'build/src/cli/main.js', 'build/cli/flakery.js', 'build/cli/ofsrvr.js']) {
      assert.ok(packedFiles.includes(file), `${file} is in the package`);
    }
    assert.match(readFileSync(join(installed, 'LICENSE'), 'utf8'), /^MIT License\n\nCopyright \(c\) 2026 Flakery contributors\n/);
  });

  it('holds no source map, and no file points at one', () => {
    assert.deepEqual(packedFiles.filter((file) => file.endsWith('.map')), []);
    const pointing = walk(join(installed, 'build')).filter((file) => readFileSync(file, 'utf8').includes('sourceMappingURL'));
    assert.deepEqual(pointing, []);
  });

  it('does not install ioredis, an optional peer dependency', () => {
    assert.equal(existsSync(join(app, 'node_modules', 'ioredis')), false);
  });

  it('type-checks in a strict nodenext app, with typed decode fields, and runs', async () => {
    await run(join(repoRoot, 'node_modules', '.bin', 'tsc'), ['-p', app]).catch((err: { stdout: string }) => {
      assert.fail(`tsc failed:\n${err.stdout}`);
    });
    const { stdout } = await run(process.execPath, [join(app, 'out', 'index.js')]);
    const [fields, second] = stdout.trim().split('\n');
    assert.deepEqual(JSON.parse(fields!), { workerId: 42, layout: 'snowflake', unixMs: 'number', time: 'string' });
    assert.equal(second, 'function 16 number');
  });

  it('npx flakery gen prints IDs', async () => {
    const { stdout } = await run('npx', ['--no-install', 'flakery', 'gen', '--count', '2'], { cwd: app });
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    for (const line of lines) assert.match(line, /^\d+$/);
    assert.ok(BigInt(lines[0]!) < BigInt(lines[1]!));
  });

  it('flakery runs the bundled command line (build/cli), not the modular build', async () => {
    const logFile = join(scratch, 'modules.log');
    const moduleLog = pathToFileURL(join(repoRoot, 'build', 'test', 'support', 'moduleLog.js')).href;
    await run(process.execPath, ['--import', moduleLog, join(installed, 'bin', 'flakery.js'), 'gen', '--count', '1'], {
      cwd: app,
      env: { ...process.env, FLAKERY_MODULE_LOG: logFile },
    });
    const loaded = readFileSync(logFile, 'utf8').split('\n');
    const fromInstall = (dir: string) => loaded.filter((url) => url.startsWith(pathToFileURL(join(installed, dir)).href));
    assert.ok(fromInstall('build/cli/').some((url) => url.endsWith('/build/cli/flakery.js')), loaded.join('\n'));
    assert.deepEqual(fromInstall('build/src/'), []);
  });

  it('without ioredis, --worker-id-from redis:// exits naming the package to install', async () => {
    const args = ['--no-install', 'flakery', 'serve', '--layout', 'snowflake', '--worker-id-from', 'redis://127.0.0.1:1/0', '--listen', '127.0.0.1:0'];
    const failure = await run('npx', args, { cwd: app }).then(
      () => assert.fail('serve started without ioredis'),
      (err: { code: number; stderr: string }) => err,
    );
    assert.notEqual(failure.code, 0);
    assert.match(failure.stderr, /needs the ioredis package, which is not installed: npm install ioredis/);
  });
});
