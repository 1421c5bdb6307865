import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { IdClient } from '../../src/client/IdClient.js';
import type { FlakeryError } from '../../src/errors.js';
import { createGenerator } from '../../src/createGenerator.js';
import { TcpIdServer } from '../../src/server/TcpIdServer.js';
import { loadCaFile, loadServerTls } from '../../src/net/loadServerTls.js';
import { type TestCertificate, makeSelfSignedCert } from '../support/selfSignedCert.js';

describe('loadServerTls', () => {
  let cert: TestCertificate;
  let other: TestCertificate;
  before(async () => {
    [cert, other] = await Promise.all([makeSelfSignedCert(), makeSelfSignedCert('other')]);
  });
  after(async () => {
    await Promise.all([cert?.remove(), other?.remove()]);
  });

  it('GIVEN neither file THEN TLS is off', () => {
    assert.equal(loadServerTls({}), undefined);
  });

  it('GIVEN a certificate or CA file over 1 MiB (a wrong path, /dev/zero) THEN refused naming the flag, read no further than the limit', async () => {
    const huge = join(cert.dir, 'huge.pem');
    await writeFile(huge, `-----BEGIN CERTIFICATE-----\n${'A'.repeat(2 * 1024 * 1024)}\n-----END CERTIFICATE-----\n`);
    assert.throws(() => loadServerTls({ cert: huge, key: cert.keyFile }), { code: 'ERR_INVALID_OPTION', option: '--tls-cert', message: /larger than 1 MiB/ });
    assert.throws(() => loadCaFile('--ca', huge), { option: '--ca', message: /larger than 1 MiB/ });
    assert.throws(() => loadCaFile('--ca', '/dev/zero'), { option: '--ca', message: /larger than 1 MiB/ });
  });

  it('GIVEN a matching certificate and key THEN returns them with TLS 1.2 as the floor', () => {
    const tls = loadServerTls({ cert: cert.certFile, key: cert.keyFile });
    assert.deepEqual(tls?.cert, cert.cert);
    assert.equal(tls?.minVersion, 'TLSv1.2');
    assert.equal(tls?.handshakeTimeout, 10_000);
  });

  it('GIVEN only one of the two THEN the error names the missing flag', () => {
    assert.throws(() => loadServerTls({ cert: cert.certFile }), { code: 'ERR_INVALID_OPTION', option: '--tls-key' });
    assert.throws(() => loadServerTls({ key: cert.keyFile }), { code: 'ERR_INVALID_OPTION', option: '--tls-cert' });
  });

  it('GIVEN a missing file, or files swapped THEN the error names the flag and the path', () => {
    const missing = join(cert.dir, 'nope.pem');
    assert.throws(() => loadServerTls({ cert: missing, key: cert.keyFile }), {
      option: '--tls-cert',
      message: new RegExp(`--tls-cert: cannot read ${missing} \\(ENOENT\\)`),
    });
    assert.throws(() => loadServerTls({ cert: cert.keyFile, key: cert.certFile }), { option: '--tls-cert', message: /no PEM certificate/ });
  });

  it('GIVEN a key of another certificate THEN refuses, without printing the key', () => {
    assert.throws(
      () => loadServerTls({ cert: cert.certFile, key: other.keyFile }),
      (error: Error & { option?: string }) => {
        assert.equal(error.option, '--tls-key');
        assert.match(error.message, /cannot be used together/);
        assert.ok(!error.message.includes('PRIVATE KEY'));
        return true;
      },
    );
  });

  it('GIVEN a garbage PEM body THEN refuses at load time', async () => {
    const bad = join(cert.dir, 'bad.pem');
    await writeFile(bad, '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n');
    assert.throws(() => loadServerTls({ cert: bad, key: cert.keyFile }), { code: 'ERR_INVALID_OPTION' });
  });

  it('GIVEN a CA file THEN loadCaFile reads it; not a certificate THEN names the option', () => {
    assert.deepEqual(loadCaFile('--tls-ca', cert.certFile), cert.cert);
    assert.throws(() => loadCaFile('--tls-ca', cert.keyFile), { option: '--tls-ca' });
  });
});

describe('TLS on the TCP protocol listener', () => {
  let cert: TestCertificate;
  let server: TcpIdServer;
  let port: number;
  before(async () => {
    cert = await makeSelfSignedCert();
    // A client that rejects the certificate leaves a half-open socket in the handshake, which
    // only the handshake timeout ends; a short one keeps close() in after() quick.
    const tls = { ...loadServerTls({ cert: cert.certFile, key: cert.keyFile }), handshakeTimeout: 200 };
    server = new TcpIdServer({ service: createGenerator({ layout: 'snowflake', machineId: 3 }), authToken: 'tls-token', tls });
    ({ port } = await server.listen({ host: '127.0.0.1', port: 0 }));
  });
  after(async () => {
    await server?.close({ timeoutMs: 1000 });
    await cert?.remove();
  });

  it('GIVEN a client that trusts the certificate (ca) THEN it gets increasing IDs over TLS', async () => {
    const client = new IdClient({
      servers: [{ address: `127.0.0.1:${port}`, authToken: 'tls-token' }],
      layout: 'snowflake',
      tls: { ca: loadCaFile('ca', cert.certFile) },
    });
    try {
      const ids = await client.nextBatch(100);
      assert.equal(ids.length, 100);
      for (let i = 1; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!);
    } finally {
      await client.close();
    }
  });

  it('GIVEN a client without the ca THEN the handshake fails and no ID is handed out', async () => {
    const client = new IdClient({
      servers: [{ address: `127.0.0.1:${port}`, authToken: 'tls-token' }],
      layout: 'snowflake',
      tls: {},
      connectTimeoutMs: 2000,
    });
    try {
      // Not retried on another server: a certificate that fails verification is not transient.
      await assert.rejects(client.nextBatch(1), (error: FlakeryError) => {
        assert.equal(error.code, 'ERR_TLS');
        assert.match(error.message, /^TLS handshake with 127\.0\.0\.1:\d+ failed: .*self-signed.* \(DEPTH_ZERO_SELF_SIGNED_CERT\)$/);
        assert.equal((error.cause as NodeJS.ErrnoException).code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
        assert.doesNotMatch(error.message, /tls-token/);
        return true;
      });
    } finally {
      await client.close();
    }
  });

  it('GIVEN a plain TCP client THEN it gets nothing', async () => {
    const client = new IdClient({ servers: [{ address: `127.0.0.1:${port}`, authToken: 'tls-token' }], layout: 'snowflake', connectTimeoutMs: 500, requestTimeoutMs: 500 });
    try {
      // The TLS server closes without a byte, as on a wrong token: the message names both causes.
      await assert.rejects(client.nextBatch(1), (error: FlakeryError) => {
        assert.equal(error.code, 'ERR_AUTH_REFUSED');
        assert.match(error.message, /or it wants TLS/);
        return true;
      });
    } finally {
      await client.close();
    }
  });
});
