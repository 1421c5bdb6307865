import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FlakeryError, InvalidOptionError } from '../../src/errors.js';
import { MAX_WIRE_COUNT } from '../../src/protocol/constants.js';
import type { Frame } from '../../src/protocol/Frame.js';
import { FrameDecoder } from '../../src/protocol/FrameDecoder.js';
import { ServerSession, type ServerSessionOptions } from '../../src/protocol/ServerSession.js';
import { splitAt, wireBytes, wireFrameArb } from './frameArbitraries.js';

const ascii = (text: string) => new TextEncoder().encode(text);
const count = (n: number): Frame => ({ kind: 'count', count: n });
const auth = (token: Uint8Array): Frame => ({ kind: 'auth', token });

const SECRET = 'hunter2-secret';
const TOKEN = ascii(SECRET);

/** An action summarised for comparison: 'serve 5', 'close ERR_...', or '-' for nothing to do. */
type Outcome = string;

function outcomes(session: ServerSession, frames: readonly Frame[]): Outcome[] {
  return frames.map((frame) => {
    const action = session.receive(frame);
    if (action === undefined) return '-';
    if (action.kind === 'serve') return `serve ${action.count}`;
    assert.ok(action.error instanceof FlakeryError);
    assert.ok(!action.error.message.includes(SECRET.slice(0, 7)), 'message must not contain the token');
    return `close ${action.error.code}`;
  });
}

/** The rules of DESIGN.md, written as plainly as possible, as an oracle for the fuzz tests. */
function referenceOutcomes(token: Uint8Array | undefined, maxCount: number, frames: Frame[]): Outcome[] {
  const needsToken = token !== undefined && token.length > 0;
  const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);
  let closed: Outcome | undefined;
  let authed = !needsToken;
  return frames.map((frame, index) => {
    if (closed !== undefined) return closed;
    let outcome: Outcome;
    if (frame.kind === 'auth') {
      if (index > 0) outcome = 'close ERR_BAD_FRAME';
      else if (needsToken && !sameBytes(frame.token, token)) outcome = 'close ERR_AUTH_FAILED';
      else {
        authed = true;
        outcome = '-';
      }
    } else if (!authed) outcome = 'close ERR_AUTH_FAILED';
    else if (!Number.isInteger(frame.count) || frame.count < 1 || frame.count > MAX_WIRE_COUNT) {
      outcome = 'close ERR_BAD_FRAME';
    } else if (frame.count > maxCount) outcome = 'close ERR_COUNT_TOO_LARGE';
    else outcome = `serve ${frame.count}`;
    if (outcome.startsWith('close')) closed = outcome;
    return outcome;
  });
}

describe('ServerSession', () => {
  describe('rules', () => {
    const open: ServerSessionOptions = { maxCount: 10 };
    const locked: ServerSessionOptions = { maxCount: 10, token: TOKEN };
    const widest: ServerSessionOptions = { maxCount: MAX_WIRE_COUNT };
    type Row = [title: string, options: ServerSessionOptions, frames: Frame[], expected: Outcome[], authed: boolean];
    const rows: Row[] = [
      // no token configured
      ['no token, a count', open, [count(5)], ['serve 5'], true],
      ['no token, pipelined counts', open, [count(1), count(10), count(3)], ['serve 1', 'serve 10', 'serve 3'], true],
      ['no token, an auth header first (ignored)', open, [auth(ascii('any')), count(2)], ['-', 'serve 2'], true],
      [
        'no token, two auth headers',
        open,
        [auth(ascii('a')), auth(ascii('a')), count(1)],
        ['-', 'close ERR_BAD_FRAME', 'close ERR_BAD_FRAME'],
        true,
      ],
      ['no token, auth after a count', open, [count(1), auth(ascii('a'))], ['serve 1', 'close ERR_BAD_FRAME'], true],
      ['empty token (means none)', { ...open, token: new Uint8Array(0) }, [count(1)], ['serve 1'], true],
      // counts
      ['a count of 0', open, [count(0), count(1)], ['close ERR_BAD_FRAME', 'close ERR_BAD_FRAME'], true],
      ['a count equal to maxCount', open, [count(10)], ['serve 10'], true],
      ['a count above maxCount', open, [count(11)], ['close ERR_COUNT_TOO_LARGE'], true],
      ['the largest wire count, maxCount the same', widest, [count(MAX_WIRE_COUNT)], [`serve ${MAX_WIRE_COUNT}`], true],
      ['a hand-made negative count', open, [count(-1)], ['close ERR_BAD_FRAME'], true],
      ['a hand-made fractional count', open, [count(1.5)], ['close ERR_BAD_FRAME'], true],
      ['a hand-made count above the wire range', widest, [count(2 ** 32)], ['close ERR_BAD_FRAME'], true],
      // token configured
      ['token, right token, counts', locked, [auth(TOKEN), count(4), count(5)], ['-', 'serve 4', 'serve 5'], true],
      ['token, a count first', locked, [count(1)], ['close ERR_AUTH_FAILED'], false],
      ['token, a count of 0 first', locked, [count(0)], ['close ERR_AUTH_FAILED'], false],
      [
        'token, a wrong token',
        locked,
        [auth(ascii('hunter2-secreT')), count(1)],
        ['close ERR_AUTH_FAILED', 'close ERR_AUTH_FAILED'],
        false,
      ],
      ['token, a prefix of the token', locked, [auth(TOKEN.subarray(0, 7))], ['close ERR_AUTH_FAILED'], false],
      ['token, the token with a byte more', locked, [auth(ascii(`${SECRET}!`))], ['close ERR_AUTH_FAILED'], false],
      ['token, an empty token', locked, [auth(new Uint8Array(0))], ['close ERR_AUTH_FAILED'], false],
      [
        'token, the right token twice',
        locked,
        [auth(TOKEN), auth(TOKEN), count(1)],
        ['-', 'close ERR_BAD_FRAME', 'close ERR_BAD_FRAME'],
        true,
      ],
      ['token, right token, count too large', locked, [auth(TOKEN), count(11)], ['-', 'close ERR_COUNT_TOO_LARGE'], true],
    ];
    for (const [title, options, frames, expected, authenticated] of rows) {
      it(`GIVEN ${title} THEN ${expected.join(', ')}`, () => {
        const session = new ServerSession(options);
        assert.deepEqual(outcomes(session, frames), expected);
        assert.equal(session.authenticated, authenticated);
        assert.equal(session.closed !== undefined, expected.some((o) => o.startsWith('close')));
        // the oracle agrees with every row, so the fuzz tests below check the same rules
        assert.deepEqual(referenceOutcomes(options.token, options.maxCount, frames), expected);
      });
    }
  });

  it('GIVEN a close THEN every later frame gets the very same close action', () => {
    const session = new ServerSession({ maxCount: 1 });
    const first = session.receive(count(2));
    assert.equal(first?.kind, 'close');
    assert.equal(session.receive(count(1)), first);
    assert.equal(session.closed, first);
  });

  it('GIVEN the caller changes its token array after construction THEN the session still wants the original', () => {
    const token = ascii('abc');
    const session = new ServerSession({ maxCount: 1, token });
    token.fill(0);
    assert.equal(session.receive(auth(ascii('abc'))), undefined);
    assert.deepEqual(session.receive(count(1)), { kind: 'serve', count: 1 });
  });

  it('reports whether it requires auth', () => {
    assert.equal(new ServerSession({ maxCount: 1 }).requiresAuth, false);
    assert.equal(new ServerSession({ maxCount: 1, token: new Uint8Array(0) }).requiresAuth, false);
    assert.equal(new ServerSession({ maxCount: 1, token: TOKEN }).requiresAuth, true);
    assert.equal(new ServerSession({ maxCount: 1, token: TOKEN }).authenticated, false);
  });

  describe('options', () => {
    for (const maxCount of [0, -1, 1.5, Number.NaN, MAX_WIRE_COUNT + 1]) {
      it(`GIVEN maxCount ${maxCount} THEN throws InvalidOptionError naming maxCount`, () => {
        assert.throws(() => new ServerSession({ maxCount }), (err: unknown) => {
          assert.ok(err instanceof InvalidOptionError);
          assert.equal(err.option, 'maxCount');
          assert.match(err.message, /from 1 to 4294967039/);
          return true;
        });
      });
    }
    it('GIVEN a 256-byte token THEN throws InvalidOptionError naming token, without its bytes', () => {
      const token = ascii('Q'.repeat(256));
      assert.throws(() => new ServerSession({ maxCount: 1, token }), (err: unknown) => {
        assert.ok(err instanceof InvalidOptionError);
        assert.equal(err.option, 'token');
        assert.ok(!err.message.includes('QQQ'));
        return true;
      });
    });
    it('GIVEN a 255-byte token and maxCount 1 or the largest wire count THEN constructs', () => {
      new ServerSession({ maxCount: 1, token: new Uint8Array(255) });
      new ServerSession({ maxCount: MAX_WIRE_COUNT });
    });
  });

  describe('fuzz', () => {
    const tokenOption = fc.option(fc.uint8Array({ minLength: 0, maxLength: 8 }), { nil: undefined });
    const maxCountArb = fc.oneof(fc.integer({ min: 1, max: 20 }), fc.constant(MAX_WIRE_COUNT));

    it('follows the reference rules on random frame sequences', () => {
      // Tokens short enough that random auth frames sometimes carry the right one.
      const sessionCase = tokenOption.chain((token) =>
        fc.tuple(
          fc.constant(token),
          maxCountArb,
          fc.array(
            fc.oneof(
              wireFrameArb,
              fc.integer({ min: 0, max: 25 }).map(count),
              fc.uint8Array({ maxLength: 2 }).map(auth),
              fc.constant(auth(token ?? new Uint8Array(0))),
            ),
            { maxLength: 8 },
          ),
        ),
      );
      fc.assert(
        fc.property(sessionCase, ([token, maxCount, frames]) => {
          const session = new ServerSession({ token, maxCount });
          assert.deepEqual(
            frames.map((frame) => summarise(session.receive(frame))),
            referenceOutcomes(token, maxCount, frames),
          );
        }),
        { numRuns: 1000 },
      );
    });

    it('never serves before the right token, whatever bytes arrive', () => {
      const token = ascii('k3y');
      const prefix = Uint8Array.from([0xff, 0xff, 0xff, token.length, ...token]);
      fc.assert(
        fc.property(
          fc.oneof(
            fc.uint8Array({ maxLength: 64 }),
            // near misses: the right header with random or mangled token bytes
            fc.uint8Array({ maxLength: 40 }).map((tail) => Uint8Array.from([0xff, 0xff, 0xff, 3, ...tail])),
            fc.tuple(fc.nat(prefix.length - 1), fc.uint8Array({ maxLength: 20 })).map(([i, tail]) => {
              const mangled = Uint8Array.from([...prefix, ...tail]);
              mangled[i] = (mangled[i]! + 1) & 0xff;
              return mangled;
            }),
          ),
          fc.array(fc.nat(), { maxLength: 10 }),
          (input, cuts) => {
            const startsWithToken = input.length >= prefix.length && prefix.every((b, i) => input[i] === b);
            const decoder = new FrameDecoder();
            const session = new ServerSession({ token, maxCount: MAX_WIRE_COUNT });
            for (const chunk of splitAt(input, cuts)) {
              for (const frame of decoder.decode(chunk)) {
                const action = session.receive(frame);
                if (action?.kind === 'serve') assert.ok(startsWithToken, 'served without the right token');
              }
            }
          },
        ),
        { numRuns: 1000 },
      );
    });

    it('decoded wire frames give the same actions as the frames themselves', () => {
      fc.assert(
        fc.property(fc.array(wireFrameArb, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), (frames, cuts) => {
          const direct = new ServerSession({ maxCount: 1000 });
          const viaWire = new ServerSession({ maxCount: 1000 });
          const decoder = new FrameDecoder();
          const decoded = splitAt(wireBytes(frames), cuts).flatMap((chunk) => decoder.decode(chunk));
          assert.deepEqual(
            decoded.map((frame) => summarise(viaWire.receive(frame))),
            frames.map((frame) => summarise(direct.receive(frame))),
          );
        }),
        { numRuns: 200 },
      );
    });
  });
});

function summarise(action: ReturnType<ServerSession['receive']>): Outcome {
  if (action === undefined) return '-';
  return action.kind === 'serve' ? `serve ${action.count}` : `close ${action.error.code}`;
}
