import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { resolveOpsFlags, opsFlags } from '../../src/cli/opsFlags.js';
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
  it('GIVEN no flags THEN HTTP and TLS are off, the inspector would be on, the level is info and the format pretty', () => {
    assert.deepEqual(resolveOpsFlags({}), { http: undefined, inspector: true, tls: undefined, logLevel: 'info', logFormat: 'pretty' });
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
    assert.throws(() => resolveOpsFlags(given(['--log-format', 'xml'])), { option: '--log-format', message: /must be one of pretty, json/ });
  });
});

describe('flakery serve with the operator flags and --log-format json (in process)', () => {
  let cert: TestCertificate;
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const wake of waiters.splice(0)) wake();
  });
  stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const stop = new AbortController();
  let status: Promise<number>;
  let started: Record<string, unknown>;
  const logLines = () => out.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

  before(async () => {
    cert = await makeSelfSignedCert();
    const sources = serveSources(parseArgs(
      [
        '--listen', '127.0.0.1:0', '--http', '127.0.0.1:0', '--layout', 'snowflake', '--machine-id', '12',
        '--auth-token', TOKEN, '--tls-cert', cert.certFile, '--tls-key', cert.keyFile, '--log-level', 'debug', '--log-format', 'json',
      ],
      flags,
      'flakery serve',
    ), flags);
    const config = resolveServeConfig(sources, {});
    status = runServe(config, { program: 'flakery serve', stdout, stderr, ops: resolveOpsFlags(sources.values), stop: stop.signal, shutdownTimeoutMs: 1000 });
    while (!/"event":"started"/.test(out)) await new Promise<void>((resolve) => waiters.push(resolve));
    started = logLines().find((line) => line.event === 'started')!;
  });
  after(async () => {
    stop.abort();
    await status;
    await cert?.remove();
  });

  it('GIVEN --http and TLS THEN https answers with the token, and TCP speaks TLS', async () => {
    const base = String(started.http);
    const tcp = String(started.tcp);
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

  it('GIVEN the run so far THEN stdout has one started line and the request lines, stderr nothing, and neither the token', async () => {
    const lines = logLines();
    assert.equal(lines.filter((line) => line.event === 'started').length, 1);
    assert.equal(started.authRequired, true);
    assert.match(String(started.http), /^https:\/\//);
    assert.equal((started.node as Record<string, unknown>).workerId, 12);
    assert.ok(lines.some((line) => line.event === 'request' && line.outcome === 'auth_failed' && line.listener === 'http'));
    assert.ok(lines.some((line) => line.event === 'request' && line.outcome === 'ok' && line.listener === 'tcp'));
    assert.equal(err, '');
    assert.ok(!out.includes(TOKEN));
  });

  it('GIVEN the stop THEN both listeners close, stopping and stopped are logged and the status is 0', async () => {
    stop.abort();
    assert.equal(await status, 0);
    const events = logLines().map((line) => line.event);
    assert.ok(events.indexOf('stopping') < events.indexOf('stopped') && events.includes('stopping'));
    assert.equal(err, '');
  });
});

describe('flakery serve with --log-format pretty (the default, in process)', () => {
  it('GIVEN a start and a stop THEN stderr has one banner, then listening last, and stdout nothing', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    const stop = new AbortController();
    stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
      if (/listening on /.test(err)) stop.abort();
    });
    const sources = serveSources(parseArgs(['--listen', '127.0.0.1:0', '--http', '127.0.0.1:0', '--layout', 'snowflake', '--machine-id', '13'], flags, 'flakery serve'), flags);
    const ops = resolveOpsFlags(sources.values);
    assert.equal(ops.logFormat, 'pretty');
    const status = await runServe(resolveServeConfig(sources, {}), { program: 'flakery serve', stdout, stderr, ops, stop: stop.signal });
    assert.equal(status, 0);
    assert.equal(out, '');
    assert.equal(err.match(/serving\n/g)?.length, 1, 'one banner');
    assert.match(err, /^ {2}http +http:\/\/127\.0\.0\.1:\d+$/m);
    assert.match(err, /\n {2}node +workerId=13 [^]*\nflakery serve: listening on 127\.0\.0\.1:\d+\nflakery serve: stop requested: stopping; finishing 0 open connections\n[^]*flakery serve: stopped\n$/);
    assert.match(err, /^flakery serve: worker id 13 acquired from config state=held$/m, 'log events as lines for a person');
    assert.doesNotMatch(err, /"event"/);
  });
});
