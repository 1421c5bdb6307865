import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { readQuickHead } from '../../../src/server/http/readQuickHead.js';

/** Reads `text` (one whole head) as the front does: from a Buffer, with bytes around it. */
function read(text: string, maxCount = 1024) {
  const bytes = Buffer.from(`xx${text}yy`, 'latin1');
  return readQuickHead(bytes, 2, bytes.length - 2, maxCount);
}

const head = (lines: string[], requestLine = 'GET /v1/ids HTTP/1.1'): string => `${[requestLine, ...lines].join('\r\n')}\r\n\r\n`;

describe('readQuickHead', () => {
  it('GIVEN GET /v1/ids with a Host THEN count 1, no Authorization or Accept', () => {
    assert.deepEqual(read(head(['Host: x'])), { count: 1, authorization: undefined, accept: undefined });
  });

  it('GIVEN ?count=N, Authorization, Accept, Connection: keep-alive and other headers THEN their values, trimmed', () => {
    const text = head(
      ['host: a.example:80', 'AUTHORIZATION: \t Bearer abc \t', 'Accept:text/plain', 'Connection: Keep-Alive', 'User-Agent: t/1', 'X-Empty:'],
      'GET /v1/ids?count=17 HTTP/1.1',
    );
    assert.deepEqual(read(text), { count: 17, authorization: 'Bearer abc', accept: 'text/plain' });
  });

  it('GIVEN a count over the limit THEN undefined', () => {
    assert.equal(read(head(['Host: x'], 'GET /v1/ids?count=5 HTTP/1.1'), 4), undefined);
    assert.equal(read(head(['Host: x'], 'GET /v1/ids?count=4 HTTP/1.1'), 4)?.count, 4);
  });

  for (const [name, text] of [
    ['HEAD', head(['Host: x'], 'HEAD /v1/ids HTTP/1.1')],
    ['lower-case get', head(['Host: x'], 'get /v1/ids HTTP/1.1')],
    ['HTTP/1.0', head(['Host: x'], 'GET /v1/ids HTTP/1.0')],
    ['HTTP/2.0', head(['Host: x'], 'GET /v1/ids HTTP/2.0')],
    ['two spaces', head(['Host: x'], 'GET  /v1/ids HTTP/1.1')],
    ['another path', head(['Host: x'], 'GET /healthz HTTP/1.1')],
    ['an absolute target', head(['Host: x'], 'GET http://x/v1/ids HTTP/1.1')],
    ['a format', head(['Host: x'], 'GET /v1/ids?count=2&format=hex HTTP/1.1')],
    ['count 0', head(['Host: x'], 'GET /v1/ids?count=0 HTTP/1.1')],
    ['no Host', head(['Accept: */*'])],
    ['two Hosts', head(['Host: x', 'Host: y'])],
    ['Content-Length: 0', head(['Host: x', 'Content-Length: 0'])],
    ['Transfer-Encoding', head(['Host: x', 'Transfer-Encoding: chunked'])],
    ['Expect', head(['Host: x', 'Expect: 100-continue'])],
    ['Upgrade', head(['Host: x', 'Upgrade: websocket'])],
    ['Connection: close', head(['Host: x', 'Connection: close'])],
    ['Proxy-Connection (node:http reads it as Connection)', head(['Host: x', 'Proxy-Connection: close'])],
    ['Connection: keep-alive, Upgrade', head(['Host: x', 'Connection: keep-alive, Upgrade'])],
    ['two Connection headers', head(['Host: x', 'Connection: keep-alive', 'Connection: keep-alive'])],
    ['two Authorization headers', head(['Host: x', 'Authorization: Bearer a', 'Authorization: Bearer b'])],
    ['two Accept headers', head(['Host: x', 'Accept: text/plain', 'Accept: application/json'])],
    ['a space before the colon', head(['Host : x'])],
    ['an empty name', head(['Host: x', ': y'])],
    ['a name with a slash', head(['Host: x', 'X/Y: y'])],
    ['no colon', head(['Host: x', 'Hello'])],
    ['a folded line', head(['Host: x', 'X-A: a', ' b'])],
    ['a value with a control byte', head(['Host: x', 'X-A: a\x01b'])],
    ['a value with DEL', head(['Host: x', 'X-A: a\x7f'])],
    ['a value with obs-text', head(['Host: x', 'X-A: caf\xe9'])],
    ['a bare LF in a value', head(['Host: x', 'X-A: a\nb'])],
    ['a bare CR in a value', head(['Host: x', 'X-A: a\rb'])],
    ['a bare LF ending a line', 'GET /v1/ids HTTP/1.1\r\nX-A: a\nHost: x\r\n\r\n'],
    ['a target with a control byte', head(['Host: x'], 'GET /v1/ids\x01 HTTP/1.1')],
    ['an empty line first', `\r\n${head(['Host: x'])}`],
  ] as const) {
    it(`GIVEN ${name} THEN undefined (node:http's to answer)`, () => {
      assert.equal(read(text), undefined);
    });
  }

  it('GIVEN any head THEN it never reads outside [start, end), and never throws', () => {
    const pieces = ['GET /v1/ids', ' HTTP/1.1', '\r\n', 'Host: x', ':', ' ', '\r', '\n', 'Connection: keep-alive', '?count=3', '\x00', 'é'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }), fc.uint8Array({ maxLength: 4 }), (parts, junk) => {
        const text = Buffer.from(`${parts.join('')}\r\n\r\n`, 'latin1');
        // Junk on both sides that would make a different answer if it were read.
        const bytes = Buffer.concat([Buffer.from(junk), text, Buffer.from('Host: y\r\nContent-Length: 5\r\n\r\n')]);
        const before = readQuickHead(Buffer.concat([Buffer.from(junk), text]), junk.length, junk.length + text.length, 1024);
        assert.deepEqual(readQuickHead(bytes, junk.length, junk.length + text.length, 1024), before);
      }),
      { numRuns: 300 },
    );
  });
});
