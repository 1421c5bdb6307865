import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type HttpTestServer, rawRequest, startHttpServer } from './http/httpTestServer.js';
import { RawClient, countFrame } from './rawClient.js';
import { startServer } from './startServer.js';

/** "sésame": the token's bytes (UTF-8), and another spelling of it (Latin-1). */
const TOKEN = 'sésame';
const UTF8 = Buffer.from(TOKEN, 'utf8');
const LATIN1 = Buffer.from(TOKEN, 'latin1');

function httpStatus(port: number, token: Buffer): Promise<number> {
  const head = Buffer.concat([
    Buffer.from('GET /v1/ids HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ', 'latin1'),
    token,
    Buffer.from('\r\n\r\n', 'latin1'),
  ]);
  return rawRequest(port, head).then((text) => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]));
}

async function tcpIdBytes(port: number, token: Buffer): Promise<number> {
  const client = await RawClient.connect(port);
  client.write([0xff, 0xff, 0xff, token.length, ...token, ...countFrame(1)]);
  await client.closed.then(() => undefined, () => undefined).catch(() => undefined);
  return client.received;
}

/**
 * A non-ASCII token (issue #9, item 9): both transports compare the exact bytes the client sent
 * with the token's UTF-8 bytes. HTTP used to read the header as Latin-1 and encode that as UTF-8,
 * so the exact bytes were refused and a Latin-1 spelling accepted.
 */
describe('a non-ASCII token, over TCP and HTTP', () => {
  let http: HttpTestServer;
  let tcp: Awaited<ReturnType<typeof startServer>>;
  before(async () => {
    http = await startHttpServer({ authToken: TOKEN });
    tcp = await startServer({ authToken: TOKEN });
  });
  after(async () => {
    await http.stop();
    await tcp.stop();
  });

  it('GIVEN its exact UTF-8 bytes THEN HTTP answers 200', async () => {
    assert.equal(await httpStatus(http.port, UTF8), 200);
  });
  it('GIVEN its Latin-1 spelling THEN HTTP answers 401', async () => {
    assert.equal(await httpStatus(http.port, LATIN1), 401);
  });
  it('GIVEN its exact UTF-8 bytes THEN TCP answers an ID', async () => {
    const client = await RawClient.connect(tcp.port);
    client.write([0xff, 0xff, 0xff, UTF8.length, ...UTF8, ...countFrame(1)]);
    assert.equal((await client.read(16)).length, 16);
    client.socket.destroy();
  });
  it('GIVEN its Latin-1 spelling THEN TCP closes without a byte', async () => {
    assert.equal(await tcpIdBytes(tcp.port, LATIN1), 0);
  });
});
