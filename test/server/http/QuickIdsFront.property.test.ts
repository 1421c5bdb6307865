import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import fc from 'fast-check';
import { assertStrictlyIncreasing } from '../rawClient.js';
import { type HttpTestServer, startHttpServer } from './httpTestServer.js';
import { type RawResponse, RawHttpConnection, header, idsOfBody, requestText } from './rawHttp.js';

/** A request the property may send, and what its answer must look like. */
interface Case {
  readonly name: string;
  readonly text: string;
  readonly head?: boolean;
  /** IDs the answer carries (decimal, JSON or text): they must keep increasing over the stream. */
  readonly ids?: number;
  check(answer: RawResponse): void;
}

const idsCase = (name: string, target: string, count: number, headers: string[] = []): Case => ({
  name,
  text: requestText(target, headers),
  ids: count,
  check: (answer) => {
    assert.equal(answer.status, 200);
    assert.equal(idsOfBody(answer.body).length, count);
  },
});

const statusCase = (name: string, text: string, status: number, code?: string, head = false): Case => ({
  name,
  text,
  head,
  check: (answer) => {
    assert.equal(answer.status, status);
    if (code !== undefined) assert.equal(JSON.parse(answer.body).error.code, code);
  },
});

/** Each keeps the connection open; the quick ones and the rest, so the stream mixes both paths. */
const CASES: readonly Case[] = [
  idsCase('quick', '/v1/ids', 1),
  idsCase('quick count', '/v1/ids?count=7', 7),
  idsCase('quick text', '/v1/ids?count=2', 2, ['Accept: text/plain']),
  idsCase('quick keep-alive', '/v1/ids', 1, ['Connection: keep-alive', 'User-Agent: property']),
  idsCase('general: Content-Length 0', '/v1/ids?count=3', 3, ['Content-Length: 0']),
  idsCase('quick leading zeros', '/v1/ids?count=0004', 4),
  idsCase('general: format', '/v1/ids?count=2&format=decimal', 2),
  { ...idsCase('general: a body', '/v1/ids?count=2', 2, ['Content-Length: 16']), text: requestText('/v1/ids?count=2', ['Content-Length: 16']) + 'GET /v1/ids?x=1 ' },
  statusCase('healthz', requestText('/healthz'), 200),
  statusCase('HEAD healthz', requestText('/healthz', [], 'HEAD /healthz HTTP/1.1'), 200, undefined, true),
  statusCase('not found', requestText('/v2/ids'), 404, 'ERR_NOT_FOUND'),
  statusCase('POST', requestText('/v1/ids', ['Content-Length: 2'], 'POST /v1/ids HTTP/1.1') + 'hi', 405, 'ERR_METHOD_NOT_ALLOWED'),
  statusCase('bad count', requestText('/v1/ids?count=0'), 400, 'ERR_BAD_REQUEST'),
  statusCase('chunked', `${requestText('/healthz', ['Transfer-Encoding: chunked']).slice(0, -2)}\r\n2\r\nok\r\n0\r\n\r\n`, 200),
];

/**
 * Whatever the requests and however their bytes are cut into writes (heads split anywhere,
 * several requests in one write), every request gets exactly one well-formed answer, in order,
 * and the IDs increase over the whole connection — across quick answers, the hand-off, and
 * node:http's answers.
 */
describe('quick path: any mix of requests, cut anywhere', () => {
  let ctx: HttpTestServer;
  before(async () => (ctx = await startHttpServer()));
  after(() => ctx.stop());

  // A bound, so a lost request fails the test instead of hanging it.
  it('GIVEN requests cut into writes at arbitrary points THEN one answer each, in order, IDs increasing', { timeout: 20_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...CASES), { minLength: 1, maxLength: 8 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
        async (cases, cutsAt) => {
          const stream = cases.map((c) => c.text).join('');
          const cuts = [...new Set(cutsAt.map((f) => Math.floor(f * stream.length)))].sort((a, b) => a - b);
          const connection = await RawHttpConnection.connect(ctx.port);
          try {
            let from = 0;
            for (const cut of [...cuts, stream.length]) {
              if (cut <= from) continue;
              await connection.write(stream.slice(from, cut));
              await nextTurn(); // gives the server a chance to read each piece on its own
              from = cut;
            }
            const answers = await connection.responses(cases.length, (i) => cases[i]!.head === true);
            const ids: bigint[] = [];
            answers.forEach((answer, i) => {
              const c = cases[i]!;
              assert.equal(header(answer, 'connection'), 'keep-alive', c.name);
              c.check(answer);
              if (c.ids !== undefined) ids.push(...idsOfBody(answer.body));
            });
            assertStrictlyIncreasing(ids);
          } finally {
            connection.destroy();
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
