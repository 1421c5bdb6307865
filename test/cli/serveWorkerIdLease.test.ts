import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { flakeryBin } from './runFlakery.js';
import { RedisServer } from '../support/RedisServer.js';
import { repoRoot } from '../support/paths.js';

describe('flakery serve with a worker id leased from Redis', () => {
  let redis: RedisServer;
  before(async () => {
    redis = await RedisServer.start();
  });
  after(async () => {
    await redis?.dispose();
  });

  it('GIVEN a lease (--log-format json) THEN the started log, its notes, /healthz and /metrics show the leased worker id, and each lease event is logged', async () => {
    const child = spawn(
      process.execPath,
      [
        flakeryBin, 'serve', '--layout', 'snowflake', '--listen', '127.0.0.1:0', '--http', '127.0.0.1:0',
        '--worker-id-from', redis.url, '--worker-id-key-prefix', 'cli-lease:', '--worker-id-ttl', '300ms', '--log-format', 'json',
      ],
      { cwd: repoRoot },
    );
    let stderr = '';
    let stdout = '';
    const wakers: (() => void)[] = [];
    const wake = () => wakers.splice(0).forEach((w) => w());
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => ((stderr += chunk), wake()));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => ((stdout += chunk), wake()));
    const exited = once(child, 'exit');
    try {
      while (!/"event":"started".*\n/.test(stdout)) {
        assert.equal(child.exitCode, null, stderr);
        await new Promise<void>((resolve) => wakers.push(resolve));
      }
      const logs = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>);
      const started = logs.find((line) => line.event === 'started');
      const workerId = Number(/^worker id (\d+) from redis:/.exec(started?.notes.join('\n'))?.[1]);
      assert.ok(Number.isInteger(workerId), stdout);
      assert.equal(started?.node.workerId, workerId, 'the started log shows the leased id');
      assert.match(logs.find((line) => line.event === 'start_wait')?.reason, /^for any earlier holder of worker id \d+ to stop/);
      assert.equal(stderr, '', 'JSON logs alone: nothing for a person on stderr');
      const acquired = logs.find((line) => line.event === 'worker_id_acquired');
      assert.equal(acquired?.workerId, workerId);
      assert.equal(acquired?.level, 'info');
      assert.match(acquired?.source, /^redis:\/\/127\.0\.0\.1:\d+\/0$/);

      const base = String(started?.http);
      const health = (await (await fetch(`${base}/healthz`)).json()) as Record<string, any>;
      assert.equal(health.workerId, workerId);
      assert.equal(health.lease.state, 'held');
      assert.equal(health.lease.source, acquired?.source);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      assert.match(metrics, new RegExp(`^flakery_worker_id ${workerId}$`, 'm'));
      assert.match(metrics, /^flakery_worker_id_held 1$/m);
      assert.match(metrics, /^flakery_worker_id_events_total\{event="acquired"\} 1$/m);

      child.kill('SIGTERM');
      await exited;
      const released = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>).find((line) => line.event === 'worker_id_released');
      assert.equal(released?.workerId, workerId);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
