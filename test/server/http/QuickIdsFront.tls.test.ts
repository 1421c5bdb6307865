import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadServerTls } from '../../../src/net/loadServerTls.js';
import { type TestCertificate, makeSelfSignedCert } from '../../support/selfSignedCert.js';
import { assertStrictlyIncreasing, turnsUntil } from '../rawClient.js';
import { RecordingObserver } from '../recordingObserver.js';
import { type HttpTestServer, servedBy, startHttpServer } from './httpTestServer.js';
import { RawHttpConnection, idsOfBody, requestText } from './rawHttp.js';

/** The quick path behind TLS: the front ends TLS, and node:http takes decrypted sockets. */
describe('quick path over TLS', () => {
  let cert: TestCertificate;
  let ctx: HttpTestServer;
  const recorder = new RecordingObserver();
  before(async () => {
    cert = await makeSelfSignedCert();
    ctx = await startHttpServer({ tls: loadServerTls({ cert: cert.certFile, key: cert.keyFile }), observer: recorder });
  });
  after(async () => {
    await ctx?.stop();
    await cert?.remove();
  });

  it('GIVEN quick, /healthz and quick pipelined over TLS THEN answered in order, the last by node:http, one connection counted', async () => {
    const connection = await RawHttpConnection.connectTls(ctx.port, cert.cert);
    await connection.write(requestText('/v1/ids?count=2') + requestText('/healthz') + requestText('/v1/ids?count=3'));
    const answers = await connection.responses(3);
    assert.deepEqual(answers.map((answer) => answer.status), [200, 200, 200]);
    assertStrictlyIncreasing([...idsOfBody(answers[0]!.body), ...idsOfBody(answers[2]!.body)]);
    assert.deepEqual(servedBy(ctx.server), [{ servedBy: 'node:http', quickAnswers: 1 }]);
    connection.destroy();
    await recorder.until(() => recorder.closed === 1);
    assert.equal(recorder.opened, 1);
    await turnsUntil(() => ctx.server.connectionStates().length === 0);
  });
});
