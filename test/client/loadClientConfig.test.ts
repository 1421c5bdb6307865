import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createClient } from '../../src/client/createClient.js';
import { loadClientConfig, parseClientConfig } from '../../src/client/loadClientConfig.js';
import type { FlakeryError } from '../../src/errors.js';
import { loadServerTls } from '../../src/net/loadServerTls.js';
import { startServer } from '../server/startServer.js';
import { type TestCertificate, makeSelfSignedCert } from '../support/selfSignedCert.js';

describe('loadClientConfig', () => {
  let dir: string | undefined;
  after(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

  it('reads an overt-flake client config: servers in order, auth optional', async () => {
    dir = await mkdtemp(join(tmpdir(), 'flakery-client-'));
    const path = join(dir, 'client.yml');
    await writeFile(path, 'servers:\n  - server: 10.0.0.1:4444\n    auth: "secret"\n  - server: 10.0.0.2:4444\n    auth: ""\n  - server: "[::1]:4445"\n');
    const options = await loadClientConfig(path);
    assert.deepEqual(options.servers, [{ address: '10.0.0.1:4444', authToken: 'secret' }, '10.0.0.2:4444', '[::1]:4445']);
    const client = createClient(options);
    assert.deepEqual(
      client.servers.map(({ host, port, token }) => [host, port, token?.length ?? 0]),
      [['10.0.0.1', 4444, 6], ['10.0.0.2', 4444, 0], ['::1', 4445, 0]],
    );
    await client.close();
  });

  it('reads Flakery extras: timeouts and layout', () => {
    const options = parseClientConfig('servers: [{server: "h:1"}]\nrequestTimeoutMs: 250\nlayout: snowflake\n');
    assert.equal(options.requestTimeoutMs, 250);
    assert.equal(createClient(options).idSize, 8);
  });

  it('reads prefetch: a mapping of ids and maxAgeMs, true for the defaults; an unknown key is an error', () => {
    const options = parseClientConfig('servers: [{server: "h:1"}]\nlayout: snowflake\nprefetch:\n  ids: 8192\n  maxAgeMs: 50\n');
    assert.deepEqual(options.prefetch, { ids: 8192, maxAgeMs: 50 });
    assert.equal(createClient(options).prefetching, true);
    assert.deepEqual(parseClientConfig('servers: [{server: "h:1"}]\nprefetch: true\n').prefetch, {});
    assert.equal(parseClientConfig('servers: [{server: "h:1"}]\nprefetch: false\n').prefetch, undefined);
    assert.throws(
      () => parseClientConfig('servers: [{server: "h:1"}]\nprefetch:\n  id: 10\n'),
      (error: FlakeryError) => error.code === 'ERR_CONFIG_FILE' && /prefetch\.id is not a prefetch setting/.test(error.message),
    );
    assert.throws(
      () => createClient(parseClientConfig('servers: [{server: "h:1"}]\nprefetch: {ids: lots}\n')),
      (error: FlakeryError) => error.code === 'ERR_INVALID_OPTION' && /prefetch\.ids must be an integer/.test(error.message),
    );
  });

  it('reads the answer check and request size: epoch, maxClockSkewMs, maxCountPerRequest', () => {
    const text = 'servers: [{server: "h:1"}]\nlayout: snowflake\nepoch: discord\nmaxClockSkewMs: 5000\nmaxCountPerRequest: 100\n';
    const options = parseClientConfig(text);
    assert.deepEqual([options.epoch, options.maxClockSkewMs, options.maxCountPerRequest], ['discord', 5000, 100]);
    assert.throws(() => createClient(parseClientConfig('servers: [{server: "h:1"}]\nmaxClockSkewMs: soon\n')), { option: 'maxClockSkewMs' });
  });

  for (const [name, text] of [
    ['no servers', 'servers: []'],
    ['a server without an address', 'servers: [{auth: x}]'],
    ['not YAML', 'servers: [unclosed'],
    ['a list at the top', '- server: h:1'],
    ['a non-string auth', 'servers: [{server: "h:1", auth: [1]}]'],
  ]) {
    it(`GIVEN ${name} THEN ERR_CONFIG_FILE`, () => {
      assert.throws(() => parseClientConfig(text!, 'c.yml'), { code: 'ERR_CONFIG_FILE' });
    });
  }

  it('GIVEN a missing file THEN ERR_CONFIG_FILE naming it', async () => {
    await assert.rejects(loadClientConfig('/nonexistent/client.yml'), { code: 'ERR_CONFIG_FILE', message: /nonexistent\/client\.yml/ });
  });
});

describe('loadClientConfig: tls', () => {
  const token = 'sekrit-config-token';
  let cert: TestCertificate;
  let ctx: Awaited<ReturnType<typeof startServer>>;
  before(async () => {
    cert = await makeSelfSignedCert();
    // A client that rejects the certificate leaves the server a half-open handshake, which only
    // the handshake timeout ends; a short one keeps stop() in after() quick.
    const tls = { ...loadServerTls({ cert: cert.certFile, key: cert.keyFile }), handshakeTimeout: 200 };
    ctx = await startServer({ tls, authToken: token });
  });
  after(async () => {
    await ctx?.stop();
    await cert?.remove();
  });

  const servers = () => `servers:\n  - server: 127.0.0.1:${ctx.port}\n    auth: ${token}\n`;

  it('GIVEN tls.ca relative to the config file THEN a client from it gets increasing IDs over TLS', async () => {
    const path = join(cert.dir, 'client.yml');
    await writeFile(path, `${servers()}tls:\n  ca: cert.pem\n  servername: localhost\n`);
    const options = await loadClientConfig(path);
    assert.deepEqual(options.tls, { ca: cert.cert, servername: 'localhost' });
    const client = createClient(options);
    try {
      const ids = await client.nextBatch(50);
      assert.equal(ids.length, 50);
      for (let i = 1; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!);
    } finally {
      await client.close();
    }
  });

  it('GIVEN text in hand THEN relative ca paths resolve against baseDir, by default the working directory', () => {
    assert.deepEqual(parseClientConfig(`${servers()}tls: {ca: [cert.pem, ./cert.pem]}`, 'c.yml', cert.dir).tls, { ca: [cert.cert, cert.cert] });
    const fromCwd = relative(process.cwd(), cert.certFile);
    assert.deepEqual(parseClientConfig(`${servers()}tls: {ca: ${JSON.stringify(fromCwd)}}`).tls, { ca: cert.cert });
    assert.deepEqual(parseClientConfig(`${servers()}tls: {ca: ${JSON.stringify(cert.certFile)}}`, 'c.yml', '/nonexistent').tls, { ca: cert.cert });
  });

  it('GIVEN tls false or absent THEN plain TCP; tls true or an empty mapping THEN TLS with the system CAs', () => {
    assert.equal('tls' in parseClientConfig(`${servers()}tls: false`), false);
    assert.equal('tls' in parseClientConfig(servers()), false);
    assert.deepEqual(parseClientConfig(`${servers()}tls: true`).tls, {});
    assert.deepEqual(parseClientConfig(`${servers()}tls: {}`).tls, {});
  });

  it('GIVEN tls true against a self-signed server THEN ERR_TLS, not a failover', async () => {
    const client = createClient({ ...parseClientConfig(`${servers()}tls: true\nconnectTimeoutMs: 2000\n`), layout: 'overt' });
    try {
      await assert.rejects(client.next(), (error: FlakeryError) => {
        assert.equal(error.code, 'ERR_TLS');
        assert.match(error.message, /self-signed/);
        assert.ok(!error.message.includes(token));
        return true;
      });
    } finally {
      await client.close();
    }
  });

  for (const [name, tls, key, detail] of [
    ['a string', 'tls: "yes"', 'tls must be true, false or a mapping with ca and servername', /the string "yes"/],
    ['a number', 'tls: 1', 'tls must be true, false or a mapping with ca and servername', /number 1/],
    ['nothing', 'tls:', 'tls must be true, false or a mapping with ca and servername', /bare/],
    ['a list', 'tls: [cert.pem]', 'tls must be true, false or a mapping with ca and servername', /a list/],
    ['an unknown key', 'tls: {cafile: cert.pem}', 'tls.cafile is not a tls setting', /ca and servername/],
    ['a numeric ca', 'tls: {ca: 1}', 'tls.ca must be a path', /PEM/],
    ['an empty ca', 'tls: {ca: }', 'tls.ca must be a path', /PEM/],
    ['an empty ca list', 'tls: {ca: []}', 'tls.ca must be a path or a non-empty list', /PEM/],
    ['a bad entry in a ca list', 'tls: {ca: [cert.pem, {x: 1}]}', 'tls.ca[1] must be a path', /PEM/],
    ['a missing ca file', 'tls: {ca: nope.pem}', 'tls.ca: cannot read', /nope\.pem \(ENOENT\)/],
    ['a ca file without a certificate', 'tls: {ca: [cert.pem, key.pem]}', 'tls.ca[1]: ', /key\.pem holds no PEM certificate/],
    ['a numeric servername', 'tls: {servername: 3}', 'tls.servername must be a host name', /certificate/],
  ] as const) {
    it(`GIVEN ${name} under tls THEN ERR_CONFIG_FILE naming the key, never the auth token`, () => {
      assert.throws(
        () => parseClientConfig(`${servers()}${tls}\n`, 'c.yml', cert.dir),
        (error: FlakeryError) => {
          assert.equal(error.code, 'ERR_CONFIG_FILE');
          assert.ok(error.message.startsWith(`c.yml: ${key}`), error.message);
          assert.match(error.message, detail);
          assert.ok(!error.message.includes(token), error.message);
          return true;
        },
      );
    });
  }

  it('GIVEN a missing ca file relative to the config file THEN the message names the resolved path', async () => {
    const path = join(cert.dir, 'missing-ca.yml');
    await writeFile(path, `${servers()}tls: {ca: sub/ca.pem}\n`);
    await assert.rejects(loadClientConfig(path), {
      code: 'ERR_CONFIG_FILE',
      message: `${path}: tls.ca: cannot read ${join(cert.dir, 'sub', 'ca.pem')} (ENOENT)`,
    });
  });
});
