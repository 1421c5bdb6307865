import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { commandList } from '../../src/cli/commandList.js';
import { repoRoot } from '../support/paths.js';
import { flakeryBin } from './runFlakery.js';

const moduleLog = join(repoRoot, 'build', 'test', 'support', 'moduleLog.js');
/** Modules only `flakery serve` needs: the server stack and its dependencies. */
const SERVER_ONLY = [/\/node_modules\/ioredis\//, /\/node_modules\/pino\//, /\/node_modules\/yaml\//, /\/build\/src\/server\//];

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flakery-modules-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the real `flakery` with `args` and returns the URLs of every module it resolved. */
async function modulesLoadedBy(args: readonly string[]): Promise<string[]> {
  const logFile = join(dir, `${args.join('_').replace(/[^\w-]/g, '')}.log`);
  await promisify(execFile)(process.execPath, ['--import', pathToFileURL(moduleLog).href, flakeryBin, ...args], {
    cwd: repoRoot,
    env: { ...process.env, FLAKERY_MODULE_LOG: logFile },
  });
  return (await readFile(logFile, 'utf8')).split('\n').filter((line) => line !== '');
}

describe('flakery start-up: each command loads only its own modules', () => {
  const cases: readonly { title: string; args: readonly string[] }[] = [
    { title: '--version', args: ['--version'] },
    { title: 'gen --count 1', args: ['gen', '--count', '1'] },
    { title: 'decode ID', args: ['decode', '378198863571581832598191868792157475'] },
    { title: '--help', args: ['--help'] },
  ];
  for (const { title, args } of cases) {
    it(`GIVEN flakery ${title} THEN neither ioredis, pino, yaml nor src/server is loaded`, async () => {
      const loaded = await modulesLoadedBy(args);
      assert.ok(
        loaded.some((url) => url.endsWith('/build/src/cli/runCli.js')),
        `the module log must see the dispatcher load; it saw ${loaded.length} modules`,
      );
      const serverModules = [...new Set(loaded)].filter((url) => SERVER_ONLY.some((pattern) => pattern.test(url)));
      assert.deepEqual(serverModules, []);
    });
  }

  it('GIVEN flakery serve --help THEN the serve command is found (its modules load when it runs)', async () => {
    const loaded = await modulesLoadedBy(['serve', '--help']);
    assert.ok(loaded.some((url) => url.endsWith('/build/src/cli/serveCommand.js')));
  });
});

describe('commandList', () => {
  it('GIVEN each listed command THEN its name and summary are the loaded command\'s own', async () => {
    for (const entry of commandList) {
      const command = await entry.load();
      assert.deepEqual({ name: entry.name, summary: entry.summary }, { name: command.name, summary: command.summary });
    }
  });
});
