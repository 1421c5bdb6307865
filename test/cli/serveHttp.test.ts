import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { IdClient } from '../../src/client/IdClient.js';
import { get } from '../server/http/httpTestServer.js';
import { repoRoot } from '../support/paths.js';
import { parsePrometheusText, sampleValue } from '../support/prometheusText.js';
import { type TestCertificate, makeSelfSignedCert } from '../support/selfSignedCert.js';

const TOKEN = 'proc-tok-e41b7';

/**
 * The real binary with the operator flags: `flakery serve --http … --tls-cert … --tls-key …
 * --log-level debug`, driven over HTTPS and TLS TCP, stopped with SIGTERM; then everything it
 * wrote is read back: with --log-format json, JSON lines on stdout, nothing on stderr, no token.
 */
describe('flakery serve --http with TLS and JSON logs (real process)', () => {
  let cert: TestCertificate;
  let child: ChildProcessWithoutNullStreams;
  let stdout = '';
  let stderr = '';
  let exited: Promise<number | null>;
  let httpBase: string;
  let tcpAddress: string;

  before(async () => {
    cert = await makeSelfSignedCert();
    child = spawn(
      process.execPath,
      [
        join(repoRoot, 'bin', 'flakery.js'), 'serve', '--listen', '127.0.0.1:0', '--http', '127.0.0.1:0',
        '--layout', 'snowflake', '--machine-id', '21', '--tls-cert', cert.certFile, '--tls-key', cert.keyFile, '--log-level', 'debug',
        '--log-format', 'json',
      ],
      { cwd: repoRoot, env: { ...process.env, FLAKERY_AUTH_TOKEN: TOKEN } },
    );
    const waiters: (() => void)[] = [];
    const wake = () => waiters.splice(0).forEach((w) => w());
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      wake();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      wake();
    });
    exited = new Promise((resolve) => child.on('exit', (code) => (wake(), resolve(code))));
    // With --log-format json the start is one `started` line on stdout.
    while (!/"event":"started".*\n/.test(stdout)) {
      assert.equal(child.exitCode, null, `flakery serve exited:\n${stderr}`);
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
    const started = JSON.parse(/^.*"event":"started".*$/m.exec(stdout)![0]) as { http: string; tcp: string };
    httpBase = started.http;
    tcpAddress = started.tcp;
  });
  after(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await cert?.remove();
  });

  it('GIVEN --http and TLS THEN HTTPS and TLS TCP both serve one generator, with the one token', async () => {
    assert.match(httpBase, /^https:\/\/127\.0\.0\.1:\d+$/);
    const auth = { Authorization: `Bearer ${TOKEN}` };
    const { ids } = (await get(`${httpBase}/v1/ids?count=3`, { ca: cert.cert, headers: auth })).json();
    assert.equal((await get(`${httpBase}/v1/ids/${ids[0]}`, { ca: cert.cert, headers: auth })).json().workerId, 21);
    assert.equal((await get(`${httpBase}/v1/ids`, { ca: cert.cert, headers: { Authorization: 'Bearer nope' } })).status, 401);
    assert.equal((await get(`${httpBase}/healthz`, { ca: cert.cert })).status, 200);

    const client = new IdClient({ servers: [{ address: tcpAddress, authToken: TOKEN }], layout: 'snowflake', tls: { ca: cert.cert } });
    const bad = new IdClient({ servers: [{ address: tcpAddress, authToken: 'wrong' }], layout: 'snowflake', tls: { ca: cert.cert } });
    try {
      const tcpIds = await client.nextBatch(2);
      assert.ok(tcpIds[0]! > BigInt(ids[2]), 'TCP IDs come after the HTTP ones: one generator');
      await assert.rejects(bad.nextBatch(1));
    } finally {
      await Promise.all([client.close(), bad.close()]);
    }
    const metrics = parsePrometheusText((await get(`${httpBase}/metrics`, { ca: cert.cert, headers: auth })).body);
    assert.equal(sampleValue(metrics, 'flakery_ids_issued_total'), 5);
  });

  it('GIVEN SIGTERM THEN both listeners close and it exits 0; the logs are JSON lines without the token', async () => {
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.ok(lines.every((line) => typeof line.level === 'string' && typeof line.time === 'string'));
    const events = new Set(lines.map((line) => line.event));
    for (const event of ['started', 'request', 'connection_opened', 'stopped']) assert.ok(events.has(event), event);
    const failedAuth = lines.filter((line) => line.event === 'request' && line.outcome === 'auth_failed');
    assert.deepEqual(new Set(failedAuth.map((line) => line.listener)), new Set(['http', 'tcp']));
    assert.ok(!stdout.includes(TOKEN), 'stdout has the token');
    assert.equal(stderr, '', 'JSON logs alone: no banner on stderr');
  });
});
