import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createClient } from '../../src/client/createClient.js';
import { decode } from '../../src/index.js';
import { flakeryBin } from './runFlakery.js';
import { RedisServer } from '../support/RedisServer.js';
import { repoRoot } from '../support/paths.js';

const PASSWORD = 'pw-Secret-4711';

/**
 * Runs `flakery serve` with a Redis lease until it listens, takes one ID from it, stops it
 * with SIGTERM; or until it exits by itself. All it printed: the password must never be in it.
 */
function serve(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; output: string; workerId?: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [flakeryBin, 'serve', '--layout', 'snowflake', '--listen', '127.0.0.1:0', '--worker-id-ttl', '300ms', ...args],
      { cwd: repoRoot, env: { ...process.env, ...env } },
    );
    let output = '';
    let workerId: number | undefined;
    let asked = false;
    const collect = (chunk: string) => {
      output += chunk;
      const listening = /listening on (\S+)\n/.exec(output);
      if (listening === null || asked) return;
      asked = true;
      const client = createClient({ servers: [listening[1]!], layout: 'snowflake' });
      void client
        .next()
        .then((id) => (workerId = Number(decode(id, { layout: 'snowflake' }).workerId)))
        .finally(() => client.close())
        .finally(() => child.kill('SIGTERM'));
    };
    child.stderr.setEncoding('utf8').on('data', collect);
    child.stdout.setEncoding('utf8').on('data', collect);
    child.on('error', reject);
    child.on('close', (status) => resolve(workerId === undefined ? { status, output } : { status, output, workerId }));
  });
}

describe('flakery serve with a Redis password', () => {
  let redis: RedisServer;
  const dir = mkdtempSync(join(tmpdir(), 'flakery-redis-pw-'));
  const passwordFile = join(dir, 'redis-password');
  const wrongFile = join(dir, 'wrong-password');
  let url: string;
  before(async () => {
    redis = await RedisServer.start({ password: PASSWORD });
    url = redis.url;
    writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
    writeFileSync(wrongFile, 'not-the-Password-9\n', { mode: 0o600 });
  });
  after(async () => {
    await redis?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GIVEN --redis-password-file THEN it leases a worker id, and the password is printed nowhere', async () => {
    const { status, output, workerId } = await serve(['--worker-id-from', url, '--redis-password-file', passwordFile]);
    assert.equal(status, 0, output);
    assert.match(output, new RegExp(`worker id ${workerId} from redis://127\\.0\\.0\\.1:\\d+/0`));
    assert.ok(!output.includes(PASSWORD), output);
    assert.doesNotMatch(output, /visible|with ps/);
  });

  it('GIVEN FLAKERY_REDIS_PASSWORD THEN it leases a worker id, and the password is printed nowhere', async () => {
    const { status, output } = await serve(['--worker-id-from', url], { FLAKERY_REDIS_PASSWORD: PASSWORD });
    assert.equal(status, 0, output);
    assert.ok(!output.includes(PASSWORD), output);
  });

  it('GIVEN the wrong password THEN start fails with ERR_WORKER_ID naming the URL, and neither password is printed', async () => {
    const { status, output } = await serve(['--worker-id-from', url, '--redis-password-file', wrongFile]);
    assert.equal(status, 1, output);
    assert.match(output, /ERR_WORKER_ID/);
    assert.match(output, /redis:\/\/127\.0\.0\.1:\d+\/0/);
    assert.match(output, /refused the password for worker id leases: WRONGPASS/);
    assert.ok(!output.includes('not-the-Password-9') && !output.includes(PASSWORD), output);
  });

  it('GIVEN the password in the URL THEN it still works but warns that ps shows it', async () => {
    const inUrl = url.replace('redis://', `redis://:${PASSWORD}@`);
    const { status, output } = await serve(['--worker-id-from', inUrl]);
    assert.equal(status, 0, output);
    assert.match(output, /warning: the Redis password in --worker-id-from can be read by every user of this machine with ps/);
    assert.ok(!output.includes(PASSWORD), output);
  });

  it('GIVEN a password both in the URL and apart from it THEN start fails naming both, not the password', async () => {
    const inUrl = url.replace('redis://', `redis://:${PASSWORD}@`);
    const { status, output } = await serve(['--worker-id-from', inUrl, '--redis-password-file', passwordFile]);
    assert.equal(status, 2, output);
    assert.match(output, /has a password and one is given apart from it too/);
    assert.ok(!output.includes(PASSWORD), output);
  });

  it('GIVEN --redis-password-file without a Redis lease THEN it is refused', async () => {
    const { status, output } = await serve(['--machine-id', '3', '--redis-password-file', passwordFile]);
    assert.equal(status, 2, output);
    assert.match(output, /--redis-password-file applies only to --worker-id-from redis:\/\//);
  });
});
