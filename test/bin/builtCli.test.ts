import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot } from '../support/paths.js';

/** Seconds since the Unix epoch, for utimes. */
const BUILT = 1_700_000_000;

interface ShimCase {
  readonly title: string;
  /** A checkout (src/ beside bin/) or an installed package (no src/). */
  readonly checkout: boolean;
  /** The bundle's mtime relative to the modular build's, or undefined when there is no bundle. */
  readonly bundleAge?: number;
  readonly runs: 'bundle' | 'modular';
}

const cases: readonly ShimCase[] = [
  { title: 'GIVEN a checkout with a bundle made after the modular build (npm run build)', checkout: true, bundleAge: 1, runs: 'bundle' },
  { title: 'GIVEN a checkout with a bundle as old as the modular build', checkout: true, bundleAge: 0, runs: 'bundle' },
  { title: 'GIVEN a checkout whose modular build is newer than the bundle (npx tsc after a build)', checkout: true, bundleAge: -1, runs: 'modular' },
  { title: 'GIVEN a checkout without a bundle (npx tsc in a fresh clone)', checkout: true, runs: 'modular' },
  { title: 'GIVEN an installed package whose modular build npm happened to write last', checkout: false, bundleAge: -1, runs: 'bundle' },
  { title: 'GIVEN an installed package without a bundle', checkout: false, runs: 'modular' },
];

/**
 * bin/flakery.js and bin/ofsrvr.js, copied beside a build/cli and build/src/cli whose entry
 * points only say which they are, with the mtimes of each case.
 */
describe('bin shims: the bundled command line when it is built and current, else the modular build', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'flakery-shim-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  for (const [index, { title, checkout, bundleAge, runs }] of cases.entries()) {
    for (const [shim, bundleFile, modularFile] of [
      ['flakery.js', 'flakery.js', 'main.js'],
      ['ofsrvr.js', 'ofsrvr.js', 'ofsrvrMain.js'],
    ] as const) {
      it(`${title} THEN bin/${shim} runs the ${runs} build`, async () => {
        const root = join(scratch, `${index}-${shim}`);
        mkdirSync(join(root, 'bin'), { recursive: true });
        mkdirSync(join(root, 'build', 'cli'), { recursive: true });
        mkdirSync(join(root, 'build', 'src', 'cli'), { recursive: true });
        for (const file of [shim, 'builtCli.js']) copyFileSync(join(repoRoot, 'bin', file), join(root, 'bin', file));
        const modular = join(root, 'build', 'src', 'cli', modularFile);
        writeFileSync(modular, "process.stdout.write('modular');\n");
        utimesSync(modular, BUILT, BUILT);
        if (bundleAge !== undefined) {
          const bundle = join(root, 'build', 'cli', bundleFile);
          writeFileSync(bundle, "process.stdout.write('bundle');\n");
          utimesSync(bundle, BUILT + bundleAge, BUILT + bundleAge);
        }
        if (checkout) mkdirSync(join(root, 'src'));
        writeFileSync(join(root, 'package.json'), JSON.stringify({ type: 'module' }));
        const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'bin', shim)]);
        assert.equal(stdout, runs);
      });
    }
  }
});
