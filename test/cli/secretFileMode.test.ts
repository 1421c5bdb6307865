import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { flakeryBin } from './runFlakery.js';

const TOKEN = 'mode-T0KEN-6e1f';

/** Starts a real `flakery serve` with `args`, reads stderr up to "listening on", stops it; returns stderr. */
async function startupOutput(args: readonly string[]): Promise<string> {
  const child = spawn(process.execPath, [flakeryBin, 'serve', '--listen', '127.0.0.1:0', '--layout', 'snowflake', '--machine-id', String(300 + (process.pid % 50)), ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      if (/listening on \S+\n/.test(stderr)) resolve();
    });
    child.once('exit', () => reject(new Error(`flakery serve exited before listening:\n${stderr}`)));
  });
  child.kill('SIGTERM');
  await exited;
  return stderr;
}

describe('flakery serve: a secret file other users can read', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flakery-secret-mode-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('GIVEN --auth-token-file readable by group and others (0644) THEN a warning names the file and chmod 600, never the token', async () => {
    const file = join(dir, 'token-0644');
    await writeFile(file, `${TOKEN}\n`);
    await chmod(file, 0o644);
    const stderr = await startupOutput(['--auth-token-file', file]);
    assert.match(stderr, new RegExp(`warning: .*--auth-token-file ${file.replace(/[/.]/g, '\\$&')} can be read by other users of this machine \\(mode 0644\\).*chmod 600`));
    assert.doesNotMatch(stderr, new RegExp(TOKEN));
  });

  it('GIVEN --auth-token-file readable by its owner only (0600) THEN no such warning', async () => {
    const file = join(dir, 'token-0600');
    await writeFile(file, `${TOKEN}\n`);
    await chmod(file, 0o600);
    const stderr = await startupOutput(['--auth-token-file', file]);
    assert.doesNotMatch(stderr, /can be read by other users/);
  });
});
