import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decode } from '../../src/index.js';
import { startServer } from '../server/startServer.js';
import { lines, runInProcess } from './runFlakery.js';

describe('flakery gen --server', () => {
  let dir: string;
  let tokenFile: string;
  let ctx: Awaited<ReturnType<typeof startServer>>;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gen-server-'));
    tokenFile = join(dir, 'token');
    await writeFile(tokenFile, 'gen-token\n');
    ctx = await startServer({ authToken: 'gen-token' });
  });
  after(async () => {
    await ctx.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints IDs fetched from the first server that answers', async () => {
    const dead = '127.0.0.1:1';
    const result = await runInProcess(['gen', '--server', `${dead},127.0.0.1:${ctx.port}`, '--auth-token-file', tokenFile, '--count', '70000', '--format', 'hex']);
    assert.equal(result.status, 0, result.stderr);
    const ids = lines(result.stdout).map((line) => BigInt(`0x${line}`));
    assert.equal(ids.length, 70_000);
    for (let i = 1; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!);
    assert.equal(decode(ids[0]!, { layout: 'overt' }).hardwareId, '0242ac110002');
  });

  it('fails with status 1 and one line when no server answers', async () => {
    const result = await runInProcess(['gen', '--server', '127.0.0.1:1']);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^flakery gen: no ID server could answer: 127\.0\.0\.1:1: .*ECONNREFUSED/);
    assert.equal(result.stdout, '');
  });

  it('rejects generator flags with --server, and --auth-token-file without it', async () => {
    for (const args of [
      ['--server', '127.0.0.1:1', '--machine-id', '3'],
      ['--server', '127.0.0.1:1', '--epoch', 'unix'],
      ['--auth-token-file', tokenFile],
      ['--server', ','],
    ]) {
      const result = await runInProcess(['gen', ...args]);
      assert.equal(result.status, 2, args.join(' '));
      assert.equal(lines(result.stderr).length, 1);
    }
  });
});
