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
/** What scripts/buildCli.mjs bundles the command line into, and its esbuild metafile. */
const bundleDir = pathToFileURL(join(repoRoot, 'build', 'cli')).href + '/';
const bundleMetaFile = join(repoRoot, 'build', 'cli.meta.json');

interface BundleMeta {
  readonly outputs: Record<string, { readonly inputs: Record<string, { readonly bytesInOutput: number }> }>;
}

let dir = '';
let bundleMeta: BundleMeta = { outputs: {} };
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flakery-modules-'));
  bundleMeta = JSON.parse(await readFile(bundleMetaFile, 'utf8')) as BundleMeta;
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * The URLs of the modules a file of the run holds: a chunk of the bundle holds the build/src
 * modules its metafile lists (those with code in it); any other file is itself.
 */
function sourceModulesOf(url: string): string[] {
  if (!url.startsWith(bundleDir)) return [url];
  const output = bundleMeta.outputs[`build/cli/${url.slice(bundleDir.length)}`];
  assert.ok(output, `${url} is in ${bundleMetaFile}`);
  return Object.entries(output.inputs)
    .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
    .map(([input]) => pathToFileURL(join(repoRoot, input)).href);
}

/** Runs `entry` (a bin shim or a build/src module) with `args`: the URLs of every module it resolved. */
async function modulesLoadedBy(entry: string, args: readonly string[]): Promise<{ files: string[]; modules: string[] }> {
  const logFile = join(dir, `${entry.replace(/\W/g, '')}_${args.join('_').replace(/[^\w-]/g, '')}.log`);
  await promisify(execFile)(process.execPath, ['--import', pathToFileURL(moduleLog).href, entry, ...args], {
    cwd: repoRoot,
    env: { ...process.env, FLAKERY_MODULE_LOG: logFile },
  });
  const files = [...new Set((await readFile(logFile, 'utf8')).split('\n').filter((line) => line !== ''))];
  return { files, modules: files.flatMap(sourceModulesOf) };
}

/** The bundle (what bin/flakery.js runs once built) and the modular build it is made from. */
const entries: readonly { title: string; entry: string; bundled: boolean }[] = [
  { title: 'bin/flakery.js (the bundle)', entry: flakeryBin, bundled: true },
  { title: 'build/src/cli/main.js', entry: join(repoRoot, 'build', 'src', 'cli', 'main.js'), bundled: false },
];

for (const { title: entryTitle, entry, bundled } of entries) {
  describe(`flakery start-up from ${entryTitle}: each command loads only its own modules`, () => {
    const cases: readonly { title: string; args: readonly string[] }[] = [
      { title: '--version', args: ['--version'] },
      { title: 'gen --count 1', args: ['gen', '--count', '1'] },
      { title: 'decode ID', args: ['decode', '378198863571581832598191868792157475'] },
      { title: '--help', args: ['--help'] },
    ];
    for (const { title, args } of cases) {
      it(`GIVEN flakery ${title} THEN neither ioredis, pino, yaml nor src/server is loaded`, async () => {
        const { files, modules } = await modulesLoadedBy(entry, args);
        assert.equal(files.some((url) => url.startsWith(bundleDir)), bundled, `the run loads the bundle: ${bundled}`);
        assert.ok(
          modules.some((url) => url.endsWith('/build/src/cli/runCli.js')),
          `the module log must see the dispatcher load; it saw ${modules.length} modules`,
        );
        const serverModules = [...new Set(modules)].filter((url) => SERVER_ONLY.some((pattern) => pattern.test(url)));
        assert.deepEqual(serverModules, []);
      });
    }

    it('GIVEN flakery serve --help THEN the serve command is found (its modules load when it runs)', async () => {
      const { modules } = await modulesLoadedBy(entry, ['serve', '--help']);
      assert.ok(modules.some((url) => url.endsWith('/build/src/cli/serveCommand.js')));
    });
  });
}

describe('commandList', () => {
  it('GIVEN each listed command THEN its name and summary are the loaded command\'s own', async () => {
    for (const entry of commandList) {
      const command = await entry.load();
      assert.deepEqual({ name: entry.name, summary: entry.summary }, { name: command.name, summary: command.summary });
    }
  });
});
