import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createGenerator, decode } from '../../src/index.js';
import { loadServerTls } from '../../src/net/loadServerTls.js';
import { startServer } from '../server/startServer.js';
import { OriginalLikeServer } from '../support/OriginalLikeServer.js';
import { type TestCertificate, makeSelfSignedCert } from '../support/selfSignedCert.js';
import { lines, runFlakery, runInProcess } from './runFlakery.js';

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

  it('GIVEN a wrong token THEN status 1 and one line saying the token was probably refused', async () => {
    const wrong = join(dir, 'wrong');
    await writeFile(wrong, 'not-the-token\n');
    const result = await runFlakery(['gen', '--server', `127.0.0.1:${ctx.port}`, '--auth-token-file', wrong]);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.equal(lines(result.stderr).length, 1, result.stderr);
    assert.match(result.stderr, /^flakery gen: .*auth token.*probably wrong.*\[ERR_AUTH_REFUSED\]\n$/);
    assert.doesNotMatch(result.stderr, /not-the-token|gen-token/);
  });

  it('GIVEN an overt client (the default) and a snowflake server THEN status 1 at once, naming --layout snowflake', async () => {
    const snowflake = await startServer({ service: createGenerator({ layout: 'snowflake', machineId: 3 }) });
    try {
      const result = await runFlakery(['gen', '--server', `127.0.0.1:${snowflake.port}`]);
      assert.equal(result.status, 1);
      assert.equal(result.stdout, '');
      assert.equal(lines(result.stderr).length, 1, result.stderr);
      assert.match(result.stderr, /^flakery gen: .*8 bytes.*--layout snowflake.*\[ERR_IMPLAUSIBLE_ID\]\n$/);
    } finally {
      await snowflake.stop();
    }
  });

  it('GIVEN a count past one step (prefetched) from a server whose clock is half a second behind THEN every ID is printed, in order', async () => {
    const behind = await startServer({ service: createGenerator({ layout: 'snowflake', machineId: 4, clock: { now: () => Date.now() - 500 } }) });
    try {
      const result = await runInProcess(['gen', '--server', `127.0.0.1:${behind.port}`, '--layout', 'snowflake', '--count', '150000']);
      assert.equal(result.status, 0, result.stderr);
      const ids = lines(result.stdout).map(BigInt);
      assert.equal(ids.length, 150_000);
      assert.ok(ids.every((id, i) => i === 0 || id > ids[i - 1]!), 'strictly increasing');
    } finally {
      await behind.stop();
    }
  });

  it('GIVEN --epoch with --server THEN the IDs are checked against that epoch', async () => {
    const result = await runInProcess(['gen', '--server', `127.0.0.1:${ctx.port}`, '--auth-token-file', tokenFile, '--epoch', 'unix']);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /--epoch overtone.*\[ERR_IMPLAUSIBLE_ID\]\n$/);
  });

  it('GIVEN --layout snowflake --count 4096 against a server that answers at most 4,095 per request, as the original THEN prints 4096 IDs', async () => {
    const original = await OriginalLikeServer.start(createGenerator({ layout: 'snowflake', machineId: 9 }));
    try {
      const result = await runInProcess(['gen', '--server', original.address, '--layout', 'snowflake', '--count', '4096']);
      assert.equal(result.status, 0, result.stderr);
      assert.equal(new Set(lines(result.stdout)).size, 4096);
      assert.ok(original.requests.every((count) => count <= 4095));
    } finally {
      await original.close();
    }
  });

  it('GIVEN an empty token file or one over 255 bytes THEN status 2 naming --auth-token-file, never the token', async () => {
    const empty = join(dir, 'empty-token');
    const long = join(dir, 'long-token');
    await writeFile(empty, '\n');
    await writeFile(long, `LONGSECRET${'x'.repeat(300)}`);
    for (const [file, reason] of [[empty, /is empty/], [long, /at most 255 bytes; got 310 bytes/]] as const) {
      const result = await runInProcess(['gen', '--server', '127.0.0.1:1', '--auth-token-file', file]);
      assert.equal(result.status, 2);
      assert.match(result.stderr, /--auth-token-file/);
      assert.match(result.stderr, reason);
      assert.doesNotMatch(result.stderr, /LONGSECRET/);
    }
  });

  it('rejects generator flags with --server, and --auth-token-file without it', async () => {
    for (const args of [
      ['--server', '127.0.0.1:1', '--machine-id', '3'],
      ['--auth-token-file', tokenFile],
      ['--server', ','],
    ]) {
      const result = await runInProcess(['gen', ...args]);
      assert.equal(result.status, 2, args.join(' '));
      assert.equal(lines(result.stderr).length, 1);
    }
  });

  it('GIVEN --server nonsense THEN status 2 and one line naming --server, not the client option behind it', async () => {
    for (const server of ['nonsense', `127.0.0.1:${ctx.port},nonsense`]) {
      const result = await runInProcess(['gen', '--server', server]);
      assert.equal(result.status, 2, result.stderr);
      assert.equal(lines(result.stderr).length, 1);
      assert.match(result.stderr, /--server/);
      assert.doesNotMatch(result.stderr, /servers\[/);
    }
  });
});

describe('flakery gen --server with TLS', () => {
  let cert: TestCertificate;
  let other: TestCertificate;
  let tokenFile: string;
  let ctx: Awaited<ReturnType<typeof startServer>>;
  let server: string;
  before(async () => {
    [cert, other] = await Promise.all([makeSelfSignedCert(), makeSelfSignedCert('other')]);
    tokenFile = join(cert.dir, 'token');
    await writeFile(tokenFile, 'tls-gen-token\n');
    // A client that rejects the certificate leaves the server a half-open handshake, which only
    // the handshake timeout ends; a short one keeps stop() in after() quick.
    const tls = { ...loadServerTls({ cert: cert.certFile, key: cert.keyFile }), handshakeTimeout: 200 };
    ctx = await startServer({ tls, authToken: 'tls-gen-token' });
    server = `127.0.0.1:${ctx.port}`;
  });
  after(async () => {
    await ctx?.stop();
    await Promise.all([cert?.remove(), other?.remove()]);
  });

  it('GIVEN --ca naming the server certificate THEN the real flakery prints IDs fetched over TLS', async () => {
    const result = await runFlakery(['gen', '--server', server, '--auth-token-file', tokenFile, '--ca', cert.certFile, '--count', '3', '--format', 'hex']);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, '');
    const ids = lines(result.stdout).map((line) => BigInt(`0x${line}`));
    assert.equal(ids.length, 3);
    assert.ok(ids[0]! < ids[1]! && ids[1]! < ids[2]!);
    assert.equal(decode(ids[0]!, { layout: 'overt' }).hardwareId, '0242ac110002');
  });

  it('GIVEN several CA files separated by commas THEN any of them may verify the server', async () => {
    const result = await runInProcess(['gen', '--server', server, '--auth-token-file', tokenFile, '--ca', `${other.certFile},${cert.certFile}`, '--count', '2']);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(lines(result.stdout).length, 2);
  });

  it('GIVEN --tls alone (system CAs) against a self-signed server THEN status 1 and one ERR_TLS line that points at --ca', async () => {
    const result = await runFlakery(['gen', '--server', server, '--auth-token-file', tokenFile, '--tls', '--count', '3']);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.equal(lines(result.stderr).length, 1, result.stderr);
    assert.match(
      result.stderr,
      /^flakery gen: TLS handshake with 127\.0\.0\.1:\d+ failed: .*self-signed.*\(DEPTH_ZERO_SELF_SIGNED_CERT\); .*--ca FILE \[ERR_TLS\]\n$/,
    );
    assert.doesNotMatch(result.stderr, /tls-gen-token/);
  });

  it('GIVEN --ca naming another certificate THEN ERR_TLS, without the hint to give --ca', async () => {
    const result = await runInProcess(['gen', '--server', server, '--auth-token-file', tokenFile, '--ca', other.certFile]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^flakery gen: TLS handshake with .* \[ERR_TLS\]\n$/);
    assert.doesNotMatch(result.stderr, /--ca FILE/);
  });

  it('GIVEN --tls or --ca without --server, or a --ca that is not a certificate THEN status 2 and one line naming the flag', async () => {
    for (const [args, message] of [
      [['--ca', cert.certFile], /^flakery gen: --ca goes with --server/],
      [['--tls', '--count', '3'], /^flakery gen: --tls goes with --server/],
      [['--server', server, '--ca', cert.keyFile], /^flakery gen: --ca: .*key\.pem holds no PEM certificate/],
      [['--server', server, '--ca', join(cert.dir, 'nope.pem')], /^flakery gen: --ca: cannot read .*nope\.pem \(ENOENT\)/],
      [['--server', server, '--ca', `${cert.certFile},`], /^flakery gen: --ca must be FILE\[,FILE…\]/],
    ] as const) {
      const result = await runInProcess(['gen', ...args]);
      assert.equal(result.status, 2, args.join(' '));
      assert.equal(result.stdout, '');
      assert.equal(lines(result.stderr).length, 1);
      assert.match(result.stderr, message);
    }
  });

  it('GIVEN --ca without --server THEN the real flakery exits 2', async () => {
    const result = await runFlakery(['gen', '--ca', cert.certFile, '--count', '3']);
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.equal(lines(result.stderr).length, 1);
  });
});
