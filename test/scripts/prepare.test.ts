import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { repoRoot } from '../support/paths.js';

describe('scripts/prepare.mjs --test (what npm test runs first)', () => {
  const bin = mkdtempSync(join(tmpdir(), 'flakery-path-'));
  after(() => rmSync(bin, { recursive: true, force: true }));

  it('GIVEN a PATH without redis-server, faketime, a C compiler, curl, chromium or apt-get THEN it stops with one line naming them and how to install them', () => {
    // A machine with Node and a shell and nothing else: nothing to install with either.
    symlinkSync(process.execPath, join(bin, 'node'));
    symlinkSync('/bin/sh', join(bin, 'sh'));
    const result = spawnSync(join(bin, 'node'), [join(repoRoot, 'scripts', 'prepare.mjs'), '--test'], {
      cwd: repoRoot,
      env: { PATH: bin },
      encoding: 'utf8',
    });
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    const lines = result.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0]!, /^prepare: the tests need redis-server, faketime, cc, curl, chromium, not found on PATH: install them \(Debian\/Ubuntu: sudo apt-get install redis-server faketime gcc curl chromium; /);
  });
});
