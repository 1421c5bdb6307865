import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { AUTH_TOKEN_ENV } from '../../../src/cli/serveFlags.js';
import { loadServerTls } from '../../../src/net/loadServerTls.js';
import { repoRoot } from '../../support/paths.js';
import { type TestCertificate, makeSelfSignedCert } from '../../support/selfSignedCert.js';
import { type HttpTestServer, startHttpServer } from './httpTestServer.js';

const run = promisify(execFile);
const CURL = '/usr/bin/curl';
const TOKEN = 'docs-token-8c1f';

interface Example {
  readonly command: string;
  /** The documented answer: status line, headers, body. */
  readonly answer: string;
}

/** Each ```sh block that runs curl, with the ```http block that follows it. */
function curlExamples(markdown: string): Example[] {
  const blocks = [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, text: m[2]! }));
  const examples: Example[] = [];
  blocks.forEach((block, i) => {
    if (block.lang !== 'sh' || !/^curl /m.test(block.text)) return;
    const answer = blocks[i + 1];
    assert.equal(answer?.lang, 'http', `the curl example ${JSON.stringify(block.text.trim())} needs an http block after it`);
    examples.push({ command: block.text.trim(), answer: answer!.text });
  });
  return examples;
}

/** Status, headers (lower-case names) and body of `curl -i` output or a documented answer. */
function parseAnswer(text: string): { status: number; headers: Map<string, string>; body: string } {
  const normal = text.replace(/\r\n/g, '\n');
  const split = normal.indexOf('\n\n');
  const head = split < 0 ? normal.trim() : normal.slice(0, split);
  const [statusLine = '', ...headerLines] = head.split('\n');
  const status = /^HTTP\/1\.1 (\d{3}) /.exec(statusLine);
  assert.ok(status, `no status line in ${JSON.stringify(statusLine)}`);
  const headers = new Map(
    headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()] as const),
  );
  return { status: Number(status[1]), headers, body: split < 0 ? '' : normal.slice(split + 2) };
}

describe('docs/http.md: the curl examples run as documented', { skip: existsSync(CURL) ? false : `${CURL} not found` }, () => {
  const examples = curlExamples(readFileSync(join(repoRoot, 'docs', 'http.md'), 'utf8'));
  let cert: TestCertificate;
  let http: HttpTestServer;
  let https: HttpTestServer;

  before(async () => {
    cert = await makeSelfSignedCert();
    http = await startHttpServer({ authToken: TOKEN, maxCount: 1_000_000 });
    https = await startHttpServer({ authToken: TOKEN, tls: loadServerTls({ cert: cert.certFile, key: cert.keyFile }) });
  });
  after(async () => {
    await Promise.all([http?.stop(), https?.stop()]);
    await cert?.remove();
  });

  it('GIVEN the doc THEN it has an example for every endpoint and every error status', () => {
    const statuses = examples.map((example) => parseAnswer(example.answer).status);
    for (const status of [200, 400, 401, 404, 405, 413]) assert.ok(statuses.includes(status), `no example answers ${status}`);
    for (const path of ['/v1/ids?', '/v1/ids/', '/healthz', '/metrics']) {
      assert.ok(examples.some((example) => example.command.includes(path)), `no example for ${path}`);
    }
  });

  for (const example of examples) {
    it(`GIVEN ${example.command.replace(/^curl -i /, 'curl ')} THEN ${example.answer.split('\n')[0]}`, async () => {
      const command = example.command
        .replaceAll('http://localhost:8080', `http://127.0.0.1:${http.port}`)
        .replaceAll('https://localhost:8443', `https://localhost:${https.port}`)
        .replaceAll('--cacert cert.pem', `--cacert '${cert.certFile}'`)
        .replace(/^curl /, `${CURL} -sS --max-time 10 `);
      const { stdout } = await run('/bin/sh', ['-c', command], { env: { PATH: process.env.PATH ?? '', [AUTH_TOKEN_ENV]: TOKEN } });
      const actual = parseAnswer(stdout);
      const documented = parseAnswer(example.answer);
      assert.equal(actual.status, documented.status, stdout);
      for (const [name, value] of documented.headers) assert.equal(actual.headers.get(name), value, `header ${name}`);
      if (documented.body.trim().startsWith('{')) {
        const want = JSON.parse(documented.body) as Record<string, unknown>;
        const got = JSON.parse(actual.body) as Record<string, unknown>;
        assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort());
        for (const key of Object.keys(want)) {
          if (Array.isArray(want[key])) assert.equal((got[key] as unknown[]).length, (want[key] as unknown[]).length, key);
        }
        // A decoded ID is the same whichever server decodes it: the example must match exactly.
        if ('unixMs' in want) assert.deepEqual(got, want);
      } else if (documented.headers.get('content-type') === 'text/plain; charset=utf-8') {
        assert.equal(actual.body.trimEnd().split('\n').length, documented.body.trimEnd().split('\n').length);
      } else if (documented.headers.get('content-type')?.includes('version=0.0.4')) {
        const lines = new Set(actual.body.split('\n'));
        for (const line of documented.body.split('\n').filter((l) => l.startsWith('#'))) assert.ok(lines.has(line), line);
      }
    });
  }
});
