import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { resolveOpsFlags, opsFlags } from '../../src/cli/opsFlags.js';
import { startOps } from '../../src/cli/opsRun.js';
import { parseArgs } from '../../src/cli/parseArgs.js';
import { resolveServeConfig, serveFlags } from '../../src/cli/serveFlags.js';
import { runServe } from '../../src/cli/serveRun.js';
import { serveSources } from '../../src/cli/serveSources.js';
import { IdClient } from '../../src/client/IdClient.js';
import { get } from '../server/http/httpTestServer.js';
import { type TestCertificate, makeSelfSignedCert } from '../support/selfSignedCert.js';
import { parsePrometheusText, sampleValue } from '../support/prometheusText.js';

const TOKEN = 'ops-T0KEN-5be1';
const flags = { ...serveFlags, ...opsFlags };
/** The operator flags as if given on the command line. */
const given = (args: string[]) => serveSources(parseArgs(args, flags, 'flakery serve'), flags).values;

describe('resolveOpsFlags', () => {
  it('GIVEN no flags THEN HTTP and TLS are off, the inspector would be on, and the level is info', () => {
    assert.deepEqual(resolveOpsFlags({}), { http: undefined, inspector: true, tls: undefined, logLevel: 'info' });
  });

  it('GIVEN --no-inspector THEN the inspector is off', () => {
    assert.equal(resolveOpsFlags(given(['--no-inspector'])).inspector, false);
  });

  it('GIVEN --http :8080 THEN every interface', () => {
    assert.deepEqual(resolveOpsFlags(given(['--http', ':8080'])).http, { host: '0.0.0.0', port: 8080 });
  });

  it('GIVEN bad values THEN the error names the flag', () => {
    assert.throws(() => resolveOpsFlags(given(['--http', 'localhost'])), { option: '--http' });
    assert.throws(() => resolveOpsFlags(given(['--tls-cert', '/nonexistent.pem'])), { option: '--tls-key' });
    assert.throws(() => resolveOpsFlags(given(['--log-level', 'loud'])), { option: '--log-level' });
  });
});

describe('flakery serve with the operator flags (in process)', () => {
  let cert: TestCertificate;
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    for (const wake of waiters.splice(0)) wake();
  });
  const stop = new AbortController();
  let status: Promise<number>;
  let ops: ReturnType<typeof startOps>;

  before(async () => {
    cert = await makeSelfSignedCert();
    const sources = serveSources(parseArgs(
      [
        '--listen', '127.0.0.1:0', '--http', '127.0.0.1:0', '--layout', 'snowflake', '--machine-id', '12',
        '--auth-token', TOKEN, '--tls-cert', cert.certFile, '--tls-key', cert.keyFile, '--log-level', 'debug',
      ],
      flags,
      'flakery serve',
    ), flags);
    const config = resolveServeConfig(sources, {});
    ops = startOps(resolveOpsFlags(sources.values), config, { program: 'flakery serve', stdout, stderr, stop: stop.signal, shutdownTimeoutMs: 1000 });
    status = runServe(config, stderr, { program: 'flakery serve', stop: stop.signal, shutdownTimeoutMs: 1000, ...ops.serveOptions });
    while (!/HTTP API on /.test(err)) await new Promise<void>((resolve) => waiters.push(resolve));
  });
  after(async () => {
    stop.abort();
    await status;
    await ops?.close();
    await cert?.remove();
  });

  it('GIVEN --http and TLS THEN https answers with the token, and TCP speaks TLS', async () => {
    const base = /HTTP API on (https:\/\/\S+)\n/.exec(err)![1]!;
    const tcp = /listening on (\S+)\n/.exec(err)![1]!;
    const reply = await get(`${base}/v1/ids?count=2`, { ca: cert.cert, headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(reply.status, 200);
    assert.equal((await get(`${base}/v1/ids/${reply.json().ids[0]}`, { ca: cert.cert, headers: { Authorization: `Bearer ${TOKEN}` } })).json().workerId, 12);
    assert.equal((await get(`${base}/v1/ids`, { ca: cert.cert, headers: { Authorization: 'Bearer wrong' } })).status, 401);

    const client = new IdClient({ servers: [{ address: tcp, authToken: TOKEN }], layout: 'snowflake', tls: { ca: cert.cert } });
    try {
      assert.equal((await client.nextBatch(3)).length, 3);
    } finally {
      await client.close();
    }
    const metrics = parsePrometheusText((await get(`${base}/metrics`, { ca: cert.cert, headers: { Authorization: `Bearer ${TOKEN}` } })).body);
    assert.equal(sampleValue(metrics, 'flakery_ids_issued_total'), 5);
    assert.equal(sampleValue(metrics, 'flakery_requests_total', { listener: 'http', outcome: 'auth_failed' }), 1);
  });

  it('GIVEN the run so far THEN stdout has JSON log lines (start, requests) and neither stream has the token', async () => {
    const lines = out.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const started = lines.find((line) => line.event === 'started');
    assert.equal(started?.authRequired, true);
    assert.match(String(started?.http), /^https:\/\//);
    assert.ok(lines.some((line) => line.event === 'request' && line.outcome === 'auth_failed' && line.listener === 'http'));
    assert.ok(lines.some((line) => line.event === 'request' && line.outcome === 'ok' && line.listener === 'tcp'));
    assert.ok(!out.includes(TOKEN) && !err.includes(TOKEN));
  });

  it('GIVEN the stop THEN both listeners close, a stopped line is logged and the status is 0', async () => {
    stop.abort();
    assert.equal(await status, 0);
    await ops.close();
    assert.match(out, /"event":"stopped"/);
  });
});
